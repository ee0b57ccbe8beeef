"""What waste collection and greening offer the rest of the site; ``cleaning/hooks.py``
declares them (one ``declare("cleaning", …)`` for the whole app)."""

from django.utils.translation import gettext_lazy as _

from core.autocomplete import Source
from core.navigation import NavLink

from .models import CollectionPoint

NAV_LINKS = [
    NavLink(
        _("Record a collection"), "cleaning:wastecollection_record", "cleaning.add_wastecollection"
    ),
    NavLink(
        _("Expected collections"),
        "cleaning:expectedcollection_list",
        "cleaning.view_expectedcollection",
    ),
    NavLink(
        _("Waste collections"), "cleaning:wastecollection_list", "cleaning.view_wastecollection"
    ),
    NavLink(_("Waste figures"), "cleaning:waste_figures", "cleaning.view_wastecollection"),
    NavLink(
        _("Collection schedules"),
        "cleaning:collectionschedule_list",
        "cleaning.view_collectionschedule",
    ),
    NavLink(
        _("Collection points"), "cleaning:collectionpoint_list", "cleaning.view_collectionpoint"
    ),
    NavLink(
        _("Waste category names"),
        "cleaning:wastecategorylabel_list",
        "cleaning.view_wastecategorylabel",
    ),
]

AUTOCOMPLETE = [
    Source(
        "cleaning.collectionpoint",
        CollectionPoint,
        search_fields=("name",),
        label=lambda point: f"{point.property.code} · {point.name}",
        select_related=("property",),
        order_by=("property__code", "name"),
    ),
]
