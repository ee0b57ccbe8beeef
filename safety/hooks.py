"""What safety offers the rest of the site (core.registry): declared here, and only here.
The hazards and incidents slice keeps its providers in ``providers_hazards``."""

from core.registry import declare

from . import demo_hazards
from . import providers_hazards as hazards

declare(
    "safety",
    nav_links=[*hazards.NAV_LINKS],
    reminders=[hazards.hazards_due, hazards.hazards_overdue, hazards.actions_overdue],
    work_items=[hazards.my_hazards, hazards.hazards_to_verify, hazards.my_corrective_actions],
    calendar=[hazards.hazard_deadlines],
    search=[hazards.search_hazards, hazards.search_incidents],
    period_figures=[hazards.month_figures],
    demo=demo_hazards.seed,
    autocomplete=[*hazards.AUTOCOMPLETE],
)
