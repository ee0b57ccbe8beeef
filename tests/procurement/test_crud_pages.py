"""The shared CRUD checks for the procurement pages that had none: the stock ledger and
balances, counts, receipts, returns to suppliers and requests for quotation. Records are made
the way the app makes them, through the services."""

import datetime
import uuid
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from procurement import services
from procurement.models import (
    GoodsReceipt,
    MovementKind,
    PurchaseOrderLine,
    RequestForQuotation,
    RfqLine,
    StockBalance,
    StockCount,
    StockMovement,
    SupplierReturn,
)
from tests.crud import CrudViewTests
from tests.factories import UserFactory

from .factories import ItemFactory, PurchaseOrderFactory, StoreroomFactory, SupplierFactory


def opening_stock(property_, quantity=10):
    room = StoreroomFactory(property=property_)
    return services.post_movement(
        ItemFactory(),
        room,
        quantity,
        MovementKind.OPENING,
        by=UserFactory(username="crud-keeper"),
        unit_cost=Decimal("3.50"),
    )


def received(property_, accepted=10):
    """A placed order of ten lamps at ``property_``, received with ``accepted`` of them."""
    keeper = UserFactory(username="crud-keeper", is_superuser=True)
    order = PurchaseOrderFactory(storeroom=StoreroomFactory(property=property_))
    line = PurchaseOrderLine.objects.create(
        order=order, item=ItemFactory(), quantity=10, unit_price=Decimal("12.00")
    )
    services.approve_order(order, by=keeper)
    services.place_order(order, by=keeper)
    reason = "" if accepted == 10 else "灯管破裂"
    receipt, _created = services.receive(
        order, {line: (10, accepted, reason)}, by=keeper, token=uuid.uuid4()
    )
    return receipt


class TestStockMovementViews(CrudViewTests):
    """The ledger is written by the stock services only: list and detail."""

    model = StockMovement

    def make_object(self, property_):
        return opening_stock(property_)


class TestStockBalanceViews(CrudViewTests):
    """What each storeroom holds: a list (and its export)."""

    model = StockBalance

    def make_object(self, property_):
        movement = opening_stock(property_)
        return StockBalance.objects.get(item=movement.item, storeroom=movement.storeroom)


class TestStockCountViews(CrudViewTests):
    """Counts are opened by the schedule or on the "new count" form: list, detail, open."""

    model = StockCount

    def make_object(self, property_):
        movement = opening_stock(property_)
        return services.open_count(movement.storeroom, by=UserFactory(username="crud-keeper"))

    def form_data(self, property_):
        return {"storeroom": opening_stock(property_).storeroom_id}

    def success_url(self, obj):
        return reverse("procurement:stockcount_enter", args=[obj.pk])  # straight to counting


class TestGoodsReceiptViews(CrudViewTests):
    """Receipts are posted from the order: list and detail."""

    model = GoodsReceipt

    def make_object(self, property_):
        return received(property_)


class TestSupplierReturnViews(CrudViewTests):
    """A return is opened by a receipt with rejected goods: list and detail."""

    model = SupplierReturn

    def make_object(self, property_):
        return SupplierReturn.objects.get(receipt=received(property_, accepted=8))


def rfq_lines(*rows, initial=0):
    data = {
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": str(initial),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"lines-{index}-{name}": value for name, value in row.items()})
    return data


class TestRequestForQuotationViews(CrudViewTests):
    model = RequestForQuotation

    def reply_by(self):
        return timezone.localdate() + datetime.timedelta(days=14)

    def make_object(self, property_):
        rfq = RequestForQuotation.objects.create(
            property=property_, title="灯具询价", reply_by=self.reply_by()
        )
        RfqLine.objects.create(rfq=rfq, item=ItemFactory(), quantity=20)
        rfq.suppliers.add(SupplierFactory(), SupplierFactory())
        return rfq

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "title": "开关询价",
            "reply_by": self.reply_by().isoformat(),
            "suppliers": [SupplierFactory().pk, SupplierFactory().pk],
            **rfq_lines({"item": ItemFactory().pk, "quantity": "30"}),
        }

    def edit_data(self, obj):
        line = obj.lines.get()
        return {
            "property": obj.property_id,
            "title": "灯具询价（改）",
            "reply_by": obj.reply_by.isoformat(),
            "suppliers": list(obj.suppliers.values_list("pk", flat=True)),
            **rfq_lines(
                {"id": line.pk, "rfq": obj.pk, "item": line.item_id, "quantity": "25"},
                initial=1,
            ),
        }
