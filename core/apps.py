from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


def ensure_reminder_schedule(**kwargs):
    """Create the daily digest entry in django-celery-beat once; admins may then change it."""
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    if PeriodicTask.objects.filter(task="core.tasks.send_reminders_task").exists():
        return
    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour=str(settings.REMINDER_DEFAULT_HOUR),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.create(
        name="Daily reminder digests / 每日提醒摘要",
        task="core.tasks.send_reminders_task",
        crontab=schedule,
        description="One e-mail per user per day with what is due. 每人每天一封到期事项提醒邮件。",
    )


def after_migrate(sender, **kwargs):
    from .roles import sync_roles

    sync_roles(**kwargs)
    ensure_reminder_schedule(**kwargs)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import signals  # noqa: F401

        post_migrate.connect(after_migrate, sender=self, dispatch_uid="core.after_migrate")
        # Each app's reminders.py registers its sources with core.reminders.
        autodiscover_modules("reminders")
