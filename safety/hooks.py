"""What safety offers the rest of the site (core.registry): declared here, and only here.
Patrols keep their providers in ``providers_patrols``."""

from core.registry import declare

from . import demo_patrols
from . import providers_patrols as patrols


def seed(**kwargs):
    demo_patrols.seed(**kwargs)


declare(
    "safety",
    nav_links=[*patrols.NAV_LINKS],
    reminders=[patrols.missed_rounds, patrols.late_rounds],
    work_items=[patrols.rounds_to_walk],
    calendar=[patrols.patrol_rounds],
    search=[patrols.checkpoints],
    period_figures=[patrols.month_figures],
    measures=[patrols.guard_measures],
    demo=seed,
    autocomplete=[*patrols.AUTOCOMPLETE],
)
