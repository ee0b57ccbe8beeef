"""What core offers through its own registry (core.registry): the reference pages, search
over properties and locations, and the demo's properties, locations and logins."""

from core.navigation import REFERENCE_LINKS
from core.registry import declare

from . import demo, search

declare(
    "core",
    nav_links=REFERENCE_LINKS,
    search=[search.properties, search.locations],
    demo=demo.seed,
)
