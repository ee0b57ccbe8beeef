"""What cleaning offers the rest of the site (core.registry): declared here, and only here."""

from django.utils.translation import gettext_lazy as _

from core.autocomplete import Source
from core.navigation import NavLink
from core.registry import declare

from . import calendar, dashboard, demo, measures, period, reminders, search, work
from .models import CleaningArea, CleaningStandard

declare(
    "cleaning",
    nav_links=[
        NavLink(_("Cleaning tasks"), "cleaning:cleaningtask_list", "cleaning.view_cleaningtask"),
        NavLink(
            _("Inspections"),
            "cleaning:cleaninginspection_list",
            "cleaning.view_cleaninginspection",
        ),
        NavLink(_("Rectifications"), "cleaning:rectification_list", "cleaning.view_rectification"),
        NavLink(_("Cleaning areas"), "cleaning:cleaningarea_list", "cleaning.view_cleaningarea"),
        NavLink(
            _("Cleaning standards"),
            "cleaning:cleaningstandard_list",
            "cleaning.view_cleaningstandard",
        ),
    ],
    dashboard=[dashboard.task_figures, dashboard.inspection_figures],
    reminders=[
        reminders.missed_tasks,
        reminders.rectifications_due,
        reminders.rectifications_overdue,
        reminders.rectifications_escalated,
        reminders.not_inspected_this_month,
    ],
    work_items=[work.todays_tasks, work.rectifications, work.areas_to_inspect],
    calendar=[calendar.inspections, calendar.rectification_deadlines],
    search=[search.areas, search.rectifications],
    period_figures=[period.month_figures],
    measures=[measures.cleaner_measures],
    demo=demo.seed,
    autocomplete=[
        Source(
            "cleaning.cleaningarea",
            CleaningArea,
            search_fields=("name", "location__full_name"),
            order_by=("property_id", "name"),
        ),
        Source(
            "cleaning.cleaningstandard",
            CleaningStandard,
            search_fields=("name",),
            order_by=("property_id", "name"),
        ),
    ],
)
