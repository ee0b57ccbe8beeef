"""What cleaning offers the rest of the site (core.registry): declared here, and only here.
Each part of the app keeps its providers in its own module (``providers_waste``,
``providers_greening``)."""

from core.registry import declare

from . import demo_waste
from . import providers_greening as greening
from . import providers_waste as waste

declare(
    "cleaning",
    nav_links=[*waste.NAV_LINKS, *greening.NAV_LINKS],
    dashboard=[waste.waste_figures, greening.greening_figures],
    reminders=[waste.missed_collections, greening.greening_due],
    work_items=[waste.collections_expected_today, greening.greening_tasks_for_me],
    calendar=[waste.waste_collections, greening.greening_work],
    search=[waste.collection_points, greening.green_zones],
    period_figures=[waste.month_figures, greening.month_figures],
    demo=demo_waste.seed,
    autocomplete=[*waste.AUTOCOMPLETE, *greening.AUTOCOMPLETE],
)
