from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_generation_schedule(**kwargs):
    from django.conf import settings

    from core.schedules import ensure_daily_task

    ensure_daily_task(
        "facilities.tasks.generate_work_orders_task",
        "Generate preventive work orders / 生成保养工单",
        "Opens the work orders of every maintenance plan due within its lead days. "
        "每天按维保计划生成到期的保养工单。",
        hour=settings.FACILITIES_GENERATE_HOUR,
    )
    ensure_daily_task(
        "facilities.tasks.generate_rounds_task",
        "Open inspection rounds / 生成巡检任务",
        "Opens the rounds of every inspection route due today. 每天按巡检路线生成当天的巡检任务。",
        hour=settings.FACILITIES_GENERATE_HOUR,
    )


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = _("Facilities & maintenance")

    def ready(self):
        post_migrate.connect(
            ensure_generation_schedule, sender=self, dispatch_uid="facilities.generation_schedule"
        )
