"""What core offers through its own registry (core.registry): the reference pages and the
demo's properties, locations and logins."""

from core.navigation import REFERENCE_LINKS
from core.registry import declare

from . import demo

declare("core", nav_links=REFERENCE_LINKS, demo=demo.seed)
