"""What cleaning offers the rest of the site (core.registry): declared here, and only here.
Waste collection and greening keep their providers in their own modules
(``providers_waste``, ``providers_greening``)."""

from django.utils.translation import gettext_lazy as _

from core.autocomplete import Source
from core.navigation import NavLink
from core.registry import declare

from . import (
    calendar,
    dashboard,
    demo,
    demo_consumables,
    demo_waste,
    measures,
    period,
    reminders,
    search,
    work,
)
from . import providers_greening as greening
from . import providers_waste as waste
from .models import CleaningArea, CleaningStandard


def seed(**kwargs):
    """The demo: areas, standards, tasks and inspections, then waste and greening."""
    demo.seed(**kwargs)
    demo_waste.seed(**kwargs)
    demo_consumables.seed()


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
        NavLink(
            _("Cleaning consumables"),
            "cleaning:consumableissue_list",
            "cleaning.view_consumableissue",
        ),
        *waste.NAV_LINKS,
        *greening.NAV_LINKS,
    ],
    dashboard=[
        dashboard.task_figures,
        dashboard.inspection_figures,
        waste.waste_figures,
        greening.greening_figures,
    ],
    reminders=[
        reminders.missed_tasks,
        reminders.rectifications_due,
        reminders.rectifications_overdue,
        reminders.rectifications_escalated,
        reminders.not_inspected_this_month,
        waste.missed_collections,
        greening.greening_due,
    ],
    work_items=[
        work.todays_tasks,
        work.rectifications,
        work.areas_to_inspect,
        waste.collections_expected_today,
        greening.greening_tasks_for_me,
    ],
    calendar=[
        calendar.inspections,
        calendar.rectification_deadlines,
        waste.waste_collections,
        greening.greening_work,
    ],
    search=[search.areas, search.rectifications, waste.collection_points, greening.green_zones],
    period_figures=[period.month_figures, waste.month_figures, greening.month_figures],
    measures=[measures.cleaner_measures],
    demo=seed,
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
        *waste.AUTOCOMPLETE,
        *greening.AUTOCOMPLETE,
    ],
)
