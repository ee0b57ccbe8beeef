"""What cleaning offers the rest of the site (core.registry): declared here, and only here."""

from core.registry import declare

from . import providers_waste as waste

declare(
    "cleaning",
    nav_links=[*waste.NAV_LINKS],
    autocomplete=[*waste.AUTOCOMPLETE],
)
