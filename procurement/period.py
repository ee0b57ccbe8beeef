"""The stores' figures of one property's month (for the monthly report), from the same
documents and expressions as the reports (``procurement.reports``)."""

from datetime import datetime, time
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.registry import Figure

from .models import CountStatus, GoodsReceipt, GoodsReceiptLine, PurchaseOrder, StockCount
from .reports import ACCEPTED_VALUE, AMOUNT

CENT = Decimal("0.01")


def month_figures(property_, month):
    """``month`` is any day of the month; the period is that whole month."""
    first = month.replace(day=1)
    following = first + relativedelta(months=1)
    spend = GoodsReceiptLine.objects.filter(
        receipt__order__storeroom__property=property_,
        receipt__received_on__gte=first,
        receipt__received_on__lt=following,
    ).aggregate(total=Coalesce(Sum(ACCEPTED_VALUE, output_field=AMOUNT), Decimal(0)))["total"]
    receipts = GoodsReceipt.objects.filter(
        order__storeroom__property=property_, received_on__gte=first, received_on__lt=following
    ).count()
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(following, time.min))
    placed = PurchaseOrder.objects.filter(
        storeroom__property=property_, ordered_at__gte=start, ordered_at__lt=end
    ).count()
    counts = StockCount.objects.filter(
        storeroom__property=property_,
        status=CountStatus.POSTED,
        posted_at__gte=start,
        posted_at__lt=end,
    ).aggregate(
        counts=Count("pk"),
        lines=Coalesce(Sum("lines_counted"), 0),
        matching=Coalesce(Sum("lines_matching"), 0),
    )
    accuracy = (
        (Decimal(counts["matching"]) * 100 / counts["lines"]).quantize(Decimal("0.1"))
        if counts["lines"]
        else None
    )
    return [
        Figure(
            "procurement.spend", _("Goods accepted (spend)"), Decimal(spend).quantize(CENT), "¥"
        ),
        Figure("procurement.receipts", _("Goods receipts"), receipts),
        Figure("procurement.orders_placed", _("Purchase orders placed"), placed),
        Figure("procurement.counts_posted", _("Stock counts posted"), counts["counts"]),
        Figure("procurement.count_accuracy", _("Count accuracy"), accuracy, "%"),
    ]
