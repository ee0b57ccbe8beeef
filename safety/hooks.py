"""What safety offers the rest of the site (core.registry): declared here, and only here.
Each part keeps its providers in its own module (``providers_patrols``,
``providers_visitors``)."""

from core.registry import declare

from . import demo_patrols, demo_visitors
from . import providers_patrols as patrols
from . import providers_visitors as visitors


def seed(**kwargs):
    """The demo: patrol routes and a week of rounds, then visitors and access cards."""
    demo_patrols.seed(**kwargs)
    demo_visitors.seed(**kwargs)


declare(
    "safety",
    nav_links=[*patrols.NAV_LINKS, *visitors.NAV_LINKS],
    dashboard=[visitors.on_site_figures],
    reminders=[
        patrols.missed_rounds,
        patrols.late_rounds,
        visitors.cards_expiring,
    ],
    work_items=[patrols.rounds_to_walk, visitors.visitors_expected_today],
    calendar=[patrols.patrol_rounds],
    search=[patrols.checkpoints, visitors.visitors, visitors.access_cards],
    period_figures=[patrols.month_figures, visitors.month_figures],
    measures=[patrols.guard_measures],
    demo=seed,
    autocomplete=[*patrols.AUTOCOMPLETE, *visitors.AUTOCOMPLETE],
)
