"""What core offers through its own registry (core.registry): the reference pages, search
over properties and locations, and the demo's properties, locations and logins."""

from dataclasses import replace

from django.db.models import Q

from core.autocomplete import Source
from core.models import Location
from core.navigation import REFERENCE_LINKS
from core.registry import declare

from . import demo, search

LOCATIONS = Source(
    "core.location",
    Location,
    search_fields=("full_name", "code"),
    label=lambda location: f"{location.property.code} · {location.full_name}",
    select_related=("property",),
    order_by=("property__code", "path"),
)

declare(
    "core",
    nav_links=REFERENCE_LINKS,
    search=[search.properties, search.locations],
    demo=demo.seed,
    autocomplete=[
        LOCATIONS,
        # What a location can sit in: a building or a floor, never a room.
        replace(LOCATIONS, name="core.location.container", filter=~Q(kind="space")),
    ],
)
