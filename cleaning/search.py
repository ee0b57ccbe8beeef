"""What cleaning answers in search: areas by name or place, rectifications by number."""

from django.utils.text import capfirst

from core.registry import SearchResult
from core.scoping import scope_queryset
from core.search import PER_TYPE, document_number, more_url

from .models import CleaningArea, Rectification

AREA = "cleaning"


def areas(user, query):
    if not user.has_perm("cleaning.view_cleaningarea"):
        return []
    found = (
        scope_queryset(CleaningArea.objects.select_related("property", "location"), user)
        .filter(query.q("name", "location__full_name"))
        .order_by("property_id", "name")[:PER_TYPE]
    )
    label = capfirst(CleaningArea._meta.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=area.name,
            url=area.get_absolute_url(),
            detail=f"{area.property.code} · {area.location.full_name} · {area.get_kind_display()}",
            more_url=more_url("cleaning:cleaningarea_list", query),
        )
        for area in found
    ]


def rectifications(user, query):
    """A rectification by its number (ZG-000123, zg123)."""
    pk = document_number(query, "ZG")
    if pk is None or not user.has_perm("cleaning.view_rectification"):
        return []
    found = scope_queryset(Rectification.objects.select_related("area__property"), user).filter(
        pk=pk
    )
    label = capfirst(Rectification._meta.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=f"{rectification.number} · {rectification.area.name}",
            url=rectification.get_absolute_url(),
            detail=f"{rectification.area.property.code} · {rectification.get_status_display()}",
        )
        for rectification in found
    ]
