"""The procurement tile: stock value and items below their minimum, aggregated in SQL."""

from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dashboard import Stat
from core.scoping import scope_queryset

from .models import (
    IN_PROGRESS,
    Requisition,
    RequisitionStatus,
    StockBalance,
    StockCount,
    StockLevel,
)


def with_on_hand(levels):
    """Stock levels annotated with ``on_hand``: what the storeroom holds (zero for items
    never stocked there)."""
    # No ordering: at most one balance per item and storeroom, and the model's default order
    # (storeroom, item code) would join two tables for each level (136 ms at 18,000 levels).
    on_hand = (
        StockBalance.objects.filter(item=OuterRef("item"), storeroom=OuterRef("storeroom"))
        .order_by()
        .values("quantity")[:1]
    )
    return levels.annotate(
        on_hand=Coalesce(
            Subquery(on_hand),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=12, decimal_places=3),
        )
    )


def levels_below_minimum(levels):
    """Stock levels whose storeroom holds less than the minimum, counting items never
    stocked there as zero; each annotated with ``on_hand``."""
    return with_on_hand(levels).filter(on_hand__lt=F("minimum"))


def stock_figures(request):
    user = request.user
    if not user.has_perm("procurement.view_stockbalance"):
        return []
    balances = scope_queryset(StockBalance.objects.all(), user)
    totals = balances.aggregate(value=Sum("value"), lines=Count("pk", filter=Q(quantity__gt=0)))
    low = levels_below_minimum(scope_queryset(StockLevel.objects.all(), user)).count()
    url = reverse("procurement:stockbalance_list")
    levels_url = reverse("procurement:stocklevel_list")
    stats = [
        Stat(_("Stock value (¥)"), round(totals["value"] or 0), url),
        Stat(_("Items in stock"), totals["lines"], f"{url}?in_stock=true"),
        Stat(
            _("Below minimum"),
            low,
            f"{levels_url}?below_minimum=true",
            "warning" if low else "",
        ),
    ]
    if user.has_perm("procurement.view_requisition"):
        waiting = scope_queryset(
            Requisition.objects.filter(status=RequisitionStatus.SUBMITTED), user
        ).count()
        stats.append(
            Stat(
                _("Requisitions to approve"),
                waiting,
                f"{reverse('procurement:requisition_list')}?status=submitted",
                "warning" if waiting else "",
            )
        )
    if user.has_perm("procurement.view_stockcount"):
        counting = scope_queryset(StockCount.objects.filter(status__in=IN_PROGRESS), user).count()
        stats.append(
            Stat(
                _("Stock counts in progress"),
                counting,
                f"{reverse('procurement:stockcount_list')}?in_progress=true",
            )
        )
    return stats
