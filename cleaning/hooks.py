"""What cleaning offers the rest of the site (core.registry): declared here, and only here."""

from django.utils.translation import gettext_lazy as _

from core.autocomplete import Source
from core.navigation import NavLink
from core.registry import declare

from .models import CleaningArea, CleaningStandard

declare(
    "cleaning",
    nav_links=[
        NavLink(_("Cleaning tasks"), "cleaning:cleaningtask_list", "cleaning.view_cleaningtask"),
        NavLink(
            _("Inspections"),
            "cleaning:cleaninginspection_list",
            "cleaning.view_cleaninginspection",
        ),
        NavLink(_("Rectifications"), "cleaning:rectification_list", "cleaning.view_rectification"),
        NavLink(_("Cleaning areas"), "cleaning:cleaningarea_list", "cleaning.view_cleaningarea"),
        NavLink(
            _("Cleaning standards"),
            "cleaning:cleaningstandard_list",
            "cleaning.view_cleaningstandard",
        ),
    ],
    autocomplete=[
        Source(
            "cleaning.cleaningarea",
            CleaningArea,
            search_fields=("name", "location__full_name"),
            order_by=("property_id", "name"),
        ),
        Source(
            "cleaning.cleaningstandard",
            CleaningStandard,
            search_fields=("name",),
            order_by=("property_id", "name"),
        ),
    ],
)
