from django.apps import AppConfig, apps
from django.core import checks
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
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


def ensure_export_expiry_schedule(**kwargs):
    """The daily clean-up of old export files in django-celery-beat."""
    from .schedules import ensure_daily_task

    ensure_daily_task(
        "core.tasks.expire_exports_task",
        "Delete old exports / 删除过期导出文件",
        "Export files older than EXPORT_RETENTION_DAYS are deleted. 删除超过保留期的导出文件。",
        hour=3,
        minute=30,
    )


def after_migrate(sender, **kwargs):
    from .roles import sync_roles

    sync_roles(**kwargs)
    ensure_reminder_schedule(**kwargs)
    ensure_export_expiry_schedule(**kwargs)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import signals  # noqa: F401
        from .checks import check_scoping
        from .uploads import check_upload_fields, normalise_uploads, upload_fields

        checks.register(check_scoping, checks.Tags.models)

        post_migrate.connect(after_migrate, sender=self, dispatch_uid="core.after_migrate")
        # Each app declares what it offers (reminders, figures, work items, calendar,
        # search, links, demo …) in its hooks.py; this is the only place they are found.
        autodiscover_modules("hooks")
        # Short pick lists kept in the cache, and the tables whose changes renew them.
        from . import picklists

        picklists.watch_filtersets()
        post_save.connect(picklists.table_changed, dispatch_uid="core.picklists.save")
        post_delete.connect(picklists.table_changed, dispatch_uid="core.picklists.delete")
        post_migrate.connect(picklists.forget_all, dispatch_uid="core.picklists.migrate")
        # The messages each app words on its records (core.texts), in its texts.py.
        autodiscover_modules("texts")
        for model in apps.get_models():
            if upload_fields(model):
                uid = f"core.uploads.{model._meta.label}"
                pre_save.connect(normalise_uploads, sender=model, dispatch_uid=uid)
        checks.register(check_upload_fields, checks.Tags.models)
