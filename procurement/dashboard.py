"""The procurement tile: stock value and items below their minimum, aggregated in SQL."""

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dashboard import Stat, stat_provider
from core.scoping import scope_queryset

from .models import StockBalance, StockLevel


def below_minimum(queryset):
    minimum = StockLevel.objects.filter(
        item=OuterRef("item"), storeroom=OuterRef("storeroom")
    ).values("minimum")[:1]
    return queryset.annotate(minimum=Subquery(minimum)).filter(quantity__lt=F("minimum"))


@stat_provider("procurement")
def stock_figures(request):
    user = request.user
    if not user.has_perm("procurement.view_stockbalance"):
        return []
    balances = scope_queryset(StockBalance.objects.all(), user)
    totals = balances.aggregate(value=Sum("value"), lines=Count("pk", filter=Q(quantity__gt=0)))
    low = below_minimum(balances).count()
    url = reverse("procurement:stockbalance_list")
    return [
        Stat(_("Stock value (¥)"), round(totals["value"] or 0), url),
        Stat(_("Items in stock"), totals["lines"], url),
        Stat(_("Below minimum"), low, f"{url}?below_minimum=true", "warning" if low else ""),
    ]
