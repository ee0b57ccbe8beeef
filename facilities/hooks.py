"""What facilities offers the rest of the site (core.registry): declared here, and only here."""

from django.utils.translation import gettext_lazy as _

from core.autocomplete import Source
from core.navigation import NavLink
from core.registry import declare

from . import calendar, dashboard, demo, measures, period, reminders, scan, search, work
from .models import Equipment, InspectionRoute, MaintenancePlan, WorkOrder

declare(
    "facilities",
    nav_links=[
        NavLink(_("My work orders"), "facilities:my_work_orders", "facilities.work_on_workorder"),
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
    ],
    dashboard=[dashboard.equipment_figures, dashboard.work_order_figures, dashboard.round_figures],
    reminders=[
        reminders.warranties_ending,
        reminders.certificates_expiring,
        reminders.preventive_due,
        reminders.past_resolution_target,
        reminders.long_overdue,
        reminders.readings_out_of_range,
        reminders.rounds_not_done,
    ],
    measures=[measures.work_order_measures],
    work_items=[
        work.assigned_orders,
        work.orders_to_take,
        work.orders_to_verify,
        work.rounds_to_walk,
    ],
    calendar=[
        calendar.maintenance,
        calendar.open_repairs,
        calendar.expiries,
    ],
    search=[
        search.work_orders,
        search.equipment,
    ],
    period_figures=[
        period.month_figures,
    ],
    demo=demo.seed,
    autocomplete=[
        Source(
            "facilities.equipment",
            Equipment,
            search_fields=("asset_code", "name", "model_number", "serial_number"),
            order_by=("asset_code",),
        ),
        Source(
            "facilities.maintenanceplan",
            MaintenancePlan,
            search_fields=("title", "equipment__asset_code", "equipment__name"),
            select_related=("equipment",),
            order_by=("equipment__asset_code", "title"),
        ),
        Source("facilities.workorder", WorkOrder, search_fields=("number", "title")),
        Source(
            "facilities.inspectionroute",
            InspectionRoute,
            search_fields=("name",),
            order_by=("property__code", "name"),
        ),
    ],
    scan=[scan.equipment_by_code],
)
