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
        from core.navigation import NavLink, register_links

        from . import dashboard, measures  # noqa: F401  (register figures and measures)

        post_migrate.connect(
            ensure_generation_schedule, sender=self, dispatch_uid="facilities.generation_schedule"
        )
        register_links(
            "facilities",
            NavLink(
                _("My work orders"), "facilities:my_work_orders", "facilities.work_on_workorder"
            ),
            NavLink(_("Report a fault"), "facilities:report_fault", "facilities.report_fault"),
            NavLink(_("Work orders"), "facilities:workorder_list", "facilities.view_workorder"),
            NavLink(
                _("Maintenance calendar"), "facilities:calendar", "facilities.view_maintenanceplan"
            ),
            NavLink(_("Figures"), "facilities:figures", "facilities.view_workorder"),
            NavLink(
                _("Maintenance plans"),
                "facilities:maintenanceplan_list",
                "facilities.view_maintenanceplan",
            ),
            NavLink(
                _("Inspection rounds"),
                "facilities:inspectionround_list",
                "facilities.view_inspectionround",
            ),
            NavLink(
                _("Inspection routes"),
                "facilities:inspectionroute_list",
                "facilities.view_inspectionroute",
            ),
            NavLink(_("Downtime"), "facilities:downtime_list", "facilities.view_downtime"),
            NavLink(_("Equipment"), "facilities:equipment_list", "facilities.view_equipment"),
            NavLink(
                _("Plan templates"),
                "facilities:plantemplate_list",
                "facilities.view_plantemplate",
            ),
            NavLink(
                _("Equipment categories"),
                "facilities:equipmentcategory_list",
                "facilities.view_equipmentcategory",
            ),
        )
