"""The sidebar and the dashboard tiles: the duty areas and the pages each app offers."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .registry import NAV_LINKS, providers


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    permission: str  # "app_label.codename"; the link shows only to users who hold it
    group: str = ""  # a heading over an area's links that belong together ("Waste" …)


@dataclass(frozen=True)
class Area:
    app_label: str
    label: str
    icon: str  # a Bootstrap Icons name
    description: str

    @property
    def links(self):
        """The pages the app declares (``nav_links=[…]`` in its ``hooks.py``)."""
        return [provider.func for provider in providers(NAV_LINKS, self.app_label)]

    @property
    def url(self):
        return reverse(f"{self.app_label}:index")


# core's own pages (reference data), shown above the duty areas; core/hooks.py declares them.
REFERENCE_LINKS = [
    NavLink(_("Properties"), "core:property_list", "core.view_property"),
    NavLink(_("Locations"), "core:location_list", "core.view_location"),
]

AREAS = [
    Area(
        "staff",
        _("Staff & team"),
        "people",
        _("Employees, certificates, recruitment, training, appraisals and rosters."),
    ),
    Area(
        "procurement",
        _("Procurement & stores"),
        "box-seam",
        _("Items, suppliers, purchase orders, receiving, stock and counts."),
    ),
    Area(
        "facilities",
        _("Facilities & maintenance"),
        "tools",
        _("Equipment, maintenance plans, work orders and inspection rounds."),
    ),
    Area(
        "cleaning",
        _("Cleaning & environment"),
        "droplet",
        _("Cleaning areas and schedules, inspections, waste and greenery."),
    ),
    Area(
        "safety",
        _("Safety & security"),
        "shield-check",
        _("Patrols, visitors, incidents, emergency plans, drills and hazards."),
    ),
    Area(
        "liaison",
        _("Liaison & requests"),
        "chat-dots",
        _("Service requests, call-backs, memos, agencies and compliance."),
    ),
]
AREAS_BY_APP = {area.app_label: area for area in AREAS}


def reference_links():
    return [provider.func for provider in providers(NAV_LINKS, "core")]


def visible_links(user, links):
    from .roles import permission_names

    if user.is_active and user.is_superuser:
        return list(links)
    held = permission_names(user)
    return [link for link in links if link.permission in held]


def user_areas(user):
    """The areas a user can open (``core.roles.can_open_area``), with the links they may follow."""
    from .roles import can_open_area

    return [
        {"area": area, "links": visible_links(user, area.links)}
        for area in AREAS
        if can_open_area(user, area.app_label)
    ]
