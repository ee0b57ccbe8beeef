"""The stores' figures of one property's month (period_figures), against a hand-made month."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement.models import GoodsReceipt, GoodsReceiptLine, PurchaseOrderLine, StockCount
from procurement.period import month_figures
from tests.factories import PropertyFactory

from .factories import ItemFactory, PurchaseOrderFactory, StoreroomFactory

pytestmark = pytest.mark.django_db


def receipt(order, day, lines):
    """A receipt of ``lines`` [(order line, accepted)] on ``day``."""
    made = GoodsReceipt.objects.create(order=order, received_on=day, token=uuid.uuid4())
    for line, accepted in lines:
        GoodsReceiptLine.objects.create(
            receipt=made, order_line=line, received=accepted, accepted=accepted
        )
    return made


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def test_the_months_figures_by_hand():
    home, other = PropertyFactory(), PropertyFactory()
    room = StoreroomFactory(property=home)
    order = PurchaseOrderFactory(
        storeroom=room, status="partial", ordered_at=at(datetime.date(2026, 3, 2))
    )
    bolts = PurchaseOrderLine.objects.create(
        order=order, item=ItemFactory(), quantity=Decimal(100), unit_price=Decimal("2.50")
    )
    cable = PurchaseOrderLine.objects.create(
        order=order, item=ItemFactory(), quantity=Decimal(10), unit_price=Decimal("12.00")
    )
    # March: 40 bolts (100.00) and 3 m of cable (36.00); April: 10 more bolts (not counted).
    receipt(order, datetime.date(2026, 3, 5), [(bolts, Decimal(40)), (cable, Decimal(3))])
    receipt(order, datetime.date(2026, 4, 1), [(bolts, Decimal(10))])
    # Another property's receipt in March counts nowhere here.
    theirs = PurchaseOrderFactory(storeroom=StoreroomFactory(property=other), status="partial")
    line = PurchaseOrderLine.objects.create(
        order=theirs, item=ItemFactory(), quantity=Decimal(5), unit_price=Decimal("100")
    )
    receipt(theirs, datetime.date(2026, 3, 6), [(line, Decimal(5))])
    # Two counts posted in March: 18 of 20 lines and 9 of 10 matched the book.
    for counted, matching, day in ((20, 18, 10), (10, 9, 20)):
        StockCount.objects.create(
            storeroom=StoreroomFactory(property=home),
            scheduled_for=datetime.date(2026, 3, day),
            snapshot_at=at(datetime.date(2026, 3, day)),
            status="posted",
            posted_at=at(datetime.date(2026, 3, day)),
            lines_counted=counted,
            lines_matching=matching,
        )

    values = {f.key: f.value for f in month_figures(home, datetime.date(2026, 3, 31))}

    assert values == {
        "procurement.spend": Decimal("136.00"),
        "procurement.receipts": 1,
        "procurement.orders_placed": 1,
        "procurement.counts_posted": 2,
        "procurement.count_accuracy": Decimal("90.0"),  # 27 of 30 lines
    }
    empty = {f.key: f.value for f in month_figures(home, datetime.date(2026, 6, 1))}
    assert empty["procurement.spend"] == Decimal("0.00")
    assert empty["procurement.count_accuracy"] is None
