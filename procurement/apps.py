from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_count_schedule(**kwargs):
    from django.conf import settings

    from core.schedules import ensure_daily_task

    ensure_daily_task(
        "procurement.tasks.open_due_counts_task",
        "Open stock counts due / 开启到期盘点",
        "Opens each storeroom's count sheet on its due day. 每天按计划开启仓库盘点单。",
        hour=settings.PROCUREMENT_COUNT_HOUR,
    )


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement & stores")

    def ready(self):
        post_migrate.connect(
            ensure_count_schedule, sender=self, dispatch_uid="procurement.count_schedule"
        )
