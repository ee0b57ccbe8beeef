"""What safety offers the rest of the site (core.registry): declared here, and only here.
Each part keeps its providers in its own module (``providers_patrols``,
``providers_visitors``, ``providers_hazards``)."""

from core.registry import declare

from . import demo_hazards, demo_patrols, demo_visitors
from . import providers_hazards as hazards
from . import providers_patrols as patrols
from . import providers_visitors as visitors


def seed(**kwargs):
    """The demo: patrol routes and a week of rounds, visitors and access cards, hazards and
    incidents."""
    demo_patrols.seed(**kwargs)
    demo_visitors.seed(**kwargs)
    demo_hazards.seed(**kwargs)


declare(
    "safety",
    nav_links=[*patrols.NAV_LINKS, *hazards.NAV_LINKS, *visitors.NAV_LINKS],
    dashboard=[visitors.on_site_figures],
    reminders=[
        patrols.missed_rounds,
        patrols.late_rounds,
        visitors.cards_expiring,
        hazards.hazards_due,
        hazards.hazards_overdue,
        hazards.actions_overdue,
    ],
    work_items=[
        patrols.rounds_to_walk,
        visitors.visitors_expected_today,
        hazards.my_hazards,
        hazards.hazards_to_verify,
        hazards.my_corrective_actions,
    ],
    calendar=[patrols.patrol_rounds, hazards.hazard_deadlines],
    search=[
        patrols.checkpoints,
        visitors.visitors,
        visitors.access_cards,
        hazards.search_hazards,
        hazards.search_incidents,
    ],
    period_figures=[patrols.month_figures, visitors.month_figures, hazards.month_figures],
    measures=[patrols.guard_measures],
    demo=seed,
    autocomplete=[*patrols.AUTOCOMPLETE, *visitors.AUTOCOMPLETE, *hazards.AUTOCOMPLETE],
)
