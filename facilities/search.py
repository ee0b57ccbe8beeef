"""What facilities answers in search: work orders by number or title, equipment by asset code
or name. A query or two per type; the columns have trigram indexes on PostgreSQL."""

from django.db.models import Case, ExpressionWrapper, IntegerField, Subquery, Value, When
from django.utils.text import capfirst

from core.registry import SearchResult
from core.scoping import scope_queryset
from core.search import PER_TYPE, more_url

from .models import Equipment, WorkOrder

AREA = "facilities"
# A search of one or two characters (no trigram to look up) reads the newest orders only.
RECENT_ORDERS = 20_000


def work_orders(user, query):
    if not user.has_perm("facilities.view_workorder"):
        return []
    orders = scope_queryset(WorkOrder.objects.select_related("property", "equipment"), user)
    exact = None
    if len(query.words) == 1:  # WO-2026-000123: the unique index finds it at once
        exact = orders.filter(number=query.text.upper()).first()
    matches = orders.filter(query.q("number", "title"))
    if query.short:
        # Walk the primary key back from the newest order, within the last RECENT_ORDERS.
        newest = WorkOrder.objects.order_by("-pk").values("pk")[:1]
        matches = matches.filter(
            pk__gt=ExpressionWrapper(
                Subquery(newest) - Value(RECENT_ORDERS), output_field=IntegerField()
            )
        ).order_by("-pk")
    else:
        # Newest first by a column with no index: PostgreSQL then collects the matches from
        # the trigram indexes and sorts them, rather than walking the primary key backwards
        # in the hope of meeting eight matches soon (which reads every row when they are
        # rare).
        matches = matches.order_by("-created_at", "-pk")
    found = [exact] if exact else []
    found += [order for order in matches[:PER_TYPE] if order != exact]
    label = capfirst(WorkOrder._meta.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=f"{order.number} · {order.display_title}",
            url=order.get_absolute_url(),
            detail=" · ".join(
                str(part)
                for part in (
                    order.get_status_display(),
                    order.property.code,
                    order.equipment and order.equipment.asset_code,
                )
                if part
            ),
            rank=0 if order == exact else 1,
            more_url=more_url("facilities:workorder_list", query),
        )
        for order in found[:PER_TYPE]
    ]


def equipment(user, query):
    if not user.has_perm("facilities.view_equipment"):
        return []
    text = query.text
    found = (
        scope_queryset(Equipment.objects.select_related("property", "category"), user)
        .filter(query.q("asset_code", "name"))
        .annotate(
            rank=Case(
                When(asset_code__iexact=text, then=Value(0)),
                When(asset_code__istartswith=text, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "property__code", "asset_code")[:PER_TYPE]
    )
    label = capfirst(Equipment._meta.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=str(piece),
            url=piece.get_absolute_url(),
            detail=f"{piece.property.code} · {piece.category.name} · {piece.get_status_display()}",
            rank=piece.rank,
            more_url=more_url("facilities:equipment_list", query),
        )
        for piece in found
    ]
