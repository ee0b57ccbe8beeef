"""What safety offers the rest of the site (core.registry): declared here, and only here.
Visitors and access cards keep their providers in ``providers_visitors``."""

from core.registry import declare

from . import demo_visitors
from . import providers_visitors as visitors


def seed(**kwargs):
    demo_visitors.seed(**kwargs)


declare(
    "safety",
    nav_links=[*visitors.NAV_LINKS],
    dashboard=[visitors.on_site_figures],
    reminders=[visitors.cards_expiring],
    work_items=[visitors.visitors_expected_today],
    search=[visitors.visitors, visitors.access_cards],
    period_figures=[visitors.month_figures],
    demo=seed,
    autocomplete=[*visitors.AUTOCOMPLETE],
)
