"""Supplier scorecards, computed from orders and receipts in three grouped queries, whatever
the number of suppliers: on-time deliveries, quantity delivered, rejections, price."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import GoodsReceipt, GoodsReceiptLine, OrderStatus, PurchaseOrderLine


@dataclass
class Scorecard:
    deliveries: int = 0
    on_time: Decimal | None = None  # share of deliveries by the promised date
    fill_rate: Decimal | None = None  # quantity delivered against ordered, once due
    rejection: Decimal | None = None  # share of received quantity rejected at inspection
    price_index: Decimal | None = None  # paid against standard price (1.00 = standard)

    def __str__(self):
        parts = []
        if self.on_time is not None:
            parts.append(f"{self.on_time:.0%}")
        if self.rejection is not None:
            parts.append(f"−{self.rejection:.0%}")
        return " · ".join(parts) or "—"


def _ratio(part, whole):
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else None


def scorecards(supplier_ids, day=None):
    day = day or timezone.localdate()
    cards = {pk: Scorecard() for pk in supplier_ids}
    deliveries = (
        GoodsReceipt.objects.filter(order__supplier__in=supplier_ids, posted_at__isnull=False)
        .values("order__supplier")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(received_on__lte=F("order__promised_on"))),
        )
    )
    for row in deliveries:
        card = cards[row["order__supplier"]]
        card.deliveries, card.on_time = row["total"], _ratio(row["on_time"], row["total"])
    money = DecimalField(max_digits=20, decimal_places=4)
    lines = (
        PurchaseOrderLine.objects.filter(
            order__supplier__in=supplier_ids,
            order__status__in=[
                OrderStatus.ORDERED,
                OrderStatus.PARTIAL,
                OrderStatus.RECEIVED,
                OrderStatus.CLOSED,
            ],
        )
        # The standard price when ordered (older lines: the item's current standard).
        .annotate(standard=Coalesce(F("standard_price"), F("item__standard_price")))
        .values("order__supplier")
        .annotate(
            due=Sum("quantity", filter=Q(order__promised_on__lt=day)),
            delivered=Sum("received", filter=Q(order__promised_on__lt=day)),
            # Lines of items without a standard price cannot be compared: left out of both.
            paid=Sum(
                ExpressionWrapper(F("quantity") * F("unit_price"), output_field=money),
                filter=Q(standard__gt=0),
            ),
            standard=Sum(ExpressionWrapper(F("quantity") * F("standard"), output_field=money)),
        )
    )
    for row in lines:
        card = cards[row["order__supplier"]]
        card.fill_rate = _ratio(row["delivered"] or 0, row["due"] or 0)
        card.price_index = _ratio(row["paid"] or 0, row["standard"] or 0)
    inspected = (
        GoodsReceiptLine.objects.filter(receipt__order__supplier__in=supplier_ids)
        .values("receipt__order__supplier")
        .annotate(received=Sum("received"), accepted=Sum("accepted"))
    )
    for row in inspected:
        card = cards[row["receipt__order__supplier"]]
        card.rejection = _ratio(row["received"] - row["accepted"], row["received"])
    return cards
