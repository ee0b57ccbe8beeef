from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


def ensure_reminder_schedule(**kwargs):
    """The daily digest entry in django-celery-beat."""
    from django.conf import settings

    from .schedules import ensure_daily_task

    ensure_daily_task(
        "core.tasks.send_reminders_task",
        "Daily reminder digests / 每日提醒摘要",
        "One e-mail per user per day with what is due. 每人每天一封到期事项提醒邮件。",
        hour=settings.REMINDER_DEFAULT_HOUR,
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
        from .checks import check_scoping

        checks.register(check_scoping, checks.Tags.models)

        post_migrate.connect(after_migrate, sender=self, dispatch_uid="core.after_migrate")
        # Each app's reminders.py registers its sources with core.reminders.
        autodiscover_modules("reminders")
