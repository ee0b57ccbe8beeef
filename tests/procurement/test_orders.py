"""Purchase orders and goods receipts: the state machine, the quality check into stock,
over-receipt and double submission refused, scorecards, overdue reminders, the pages."""

import datetime
import uuid
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.reminders import collect
from procurement import services
from procurement.models import (
    GoodsReceipt,
    OrderStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    StockBalance,
    StockMovement,
)
from procurement.scorecard import scorecards
from tests.crud import CrudViewTests
from tests.factories import UserFactory

from .factories import ItemFactory, PurchaseOrderFactory, StoreroomFactory, SupplierFactory


def placed(keeper, quantity=10, price="12.00", **kwargs):
    order = PurchaseOrderFactory(**kwargs)
    line = PurchaseOrderLine.objects.create(
        order=order,
        item=ItemFactory(standard_price=10),
        quantity=quantity,
        unit_price=Decimal(price),
    )
    services.approve_order(order, by=keeper)
    services.place_order(order, by=keeper)
    return order, line


@pytest.fixture
def keeper(db):
    return UserFactory(groups=["stores"])


class TestPurchaseOrderViews(CrudViewTests):
    model = PurchaseOrder
    factory = PurchaseOrderFactory

    def make_object(self, property_):
        return PurchaseOrderFactory(storeroom=StoreroomFactory(property=property_))

    def form_data(self, property_):
        return {
            "supplier": SupplierFactory().pk,
            "storeroom": StoreroomFactory(property=property_).pk,
            "promised_on": "2026-12-10",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-item": ItemFactory().pk,
            "lines-0-quantity": "5",
            "lines-0-unit_price": "9.90",
        }


@pytest.mark.django_db
class TestOrders:
    def test_the_order_moves_only_forward(self, keeper):
        order = PurchaseOrderFactory()
        with pytest.raises(ValidationError, match="at least one line"):
            services.approve_order(order, by=keeper)
        PurchaseOrderLine.objects.create(order=order, item=ItemFactory(), quantity=1, unit_price=1)
        with pytest.raises(ValidationError, match="“Draft” and cannot be placed"):
            services.place_order(order, by=keeper)
        services.approve_order(order, by=keeper)
        with pytest.raises(ValidationError, match="“Approved” and cannot be approved"):
            services.approve_order(order, by=keeper)  # a second approval changes nothing
        order.refresh_from_db()
        assert order.status == OrderStatus.APPROVED and order.approved_by == keeper

    def test_only_approved_suppliers(self, keeper):
        order = PurchaseOrderFactory(supplier=SupplierFactory(status="candidate"))
        PurchaseOrderLine.objects.create(order=order, item=ItemFactory(), quantity=1, unit_price=1)
        with pytest.raises(ValidationError, match="approved suppliers"):
            services.approve_order(order, by=keeper)

    def test_receiving_with_inspection(self, keeper):
        order, line = placed(keeper)
        token = uuid.uuid4()
        receipt, created = services.receive(
            order, {line: (6, 5, "1 个破损")}, by=keeper, token=token
        )
        assert created
        again, created = services.receive(order, {line: (6, 5, "1 个破损")}, by=keeper, token=token)
        assert again == receipt and not created  # double submission: nothing changes
        line.refresh_from_db()
        order.refresh_from_db()
        assert (line.received, line.accepted, order.status) == (6, 5, OrderStatus.PARTIAL)
        balance = StockBalance.objects.get(item=line.item, storeroom=order.storeroom)
        assert (balance.quantity, balance.value) == (5, Decimal("60.00"))  # at the order price
        assert StockMovement.objects.count() == 1

    def test_over_receipt_and_unexplained_rejection_are_refused(self, keeper):
        order, line = placed(keeper)
        with pytest.raises(ValidationError, match="still to come"):
            services.receive(order, {line: (11, 11, "")}, by=keeper, token=uuid.uuid4())
        with pytest.raises(ValidationError, match="reason"):
            services.receive(order, {line: (5, 4, " ")}, by=keeper, token=uuid.uuid4())
        assert not GoodsReceipt.objects.exists()
        services.receive(order, {line: (10, 10, "")}, by=keeper, token=uuid.uuid4())
        order.refresh_from_db()
        assert order.status == OrderStatus.RECEIVED
        with pytest.raises(ValidationError, match="“Received” and cannot be received"):
            services.receive(order, {line: (1, 1, "")}, by=keeper, token=uuid.uuid4())

    def test_cancelling_needs_a_reason_and_no_deliveries(self, keeper):
        order, line = placed(keeper)
        with pytest.raises(ValidationError, match="reason"):
            services.cancel_order(order, by=keeper, reason="")
        services.receive(order, {line: (1, 1, "")}, by=keeper, token=uuid.uuid4())
        with pytest.raises(ValidationError, match="close it"):
            services.cancel_order(order, by=keeper, reason="不要了")
        services.close_order(order, by=keeper)

    def test_scorecard_arithmetic(self, keeper):
        supplier = SupplierFactory()
        with time_machine.travel("2026-10-20 10:00 +0800", tick=False):  # ordered then
            early, line_a = placed(
                keeper,
                supplier=supplier,
                quantity=10,
                price="11.00",
                promised_on=datetime.date(2026, 11, 1),
            )
            late, line_b = placed(
                keeper,
                supplier=supplier,
                quantity=10,
                price="9.00",
                promised_on=datetime.date(2026, 11, 1),
            )
        services.receive(
            early,
            {line_a: (10, 8, "包装破损")},
            by=keeper,
            token=uuid.uuid4(),
            received_on=datetime.date(2026, 10, 30),
        )
        services.receive(
            late,
            {line_b: (5, 5, "")},
            by=keeper,
            token=uuid.uuid4(),
            received_on=datetime.date(2026, 11, 5),
        )
        card = scorecards([supplier.pk], day=datetime.date(2026, 11, 24))[supplier.pk]
        assert card.deliveries == 2
        assert card.on_time == Decimal("0.5")  # one of two by the promised date
        assert card.fill_rate == Decimal("0.75")  # 15 of 20 delivered once due
        assert card.rejection == Decimal("0.1333")  # 2 of 15 received rejected
        assert card.price_index == Decimal("1")  # (110 + 90) / (100 + 100)

    def test_overdue_orders_are_reminded(self, keeper):
        order, _line = placed(keeper, promised_on=datetime.date(2026, 11, 20))
        keeper.properties.add(order.storeroom.property)
        found = collect(datetime.date(2026, 11, 24))[keeper]
        assert [r.obj for r in found if r.kind.key == "procurement.order_overdue"] == [order]
        assert not [
            r
            for r in collect(datetime.date(2026, 11, 20)).get(keeper, [])
            if r.kind.key == "procurement.order_overdue"
        ]


@pytest.mark.django_db
class TestPages:
    def test_receive_through_the_page_twice(self, client, keeper):
        order, line = placed(keeper)
        keeper.properties.add(order.storeroom.property)
        client.force_login(keeper)
        url = f"/procurement/orders/{order.pk}/receive/"
        form = client.get(url).context["form"]
        token = form.initial["token"]
        data = {
            "received_on": timezone.localdate().isoformat(),
            "token": token,
            f"received_{line.pk}": "4",
            f"accepted_{line.pk}": "4",
        }
        first = client.post(url, data)
        assert first.status_code == HTTPStatus.FOUND, first.context and first.context["form"].errors
        second = client.post(url, data)
        assert second.status_code == HTTPStatus.FOUND
        line.refresh_from_db()
        assert line.received == 4 and GoodsReceipt.objects.count() == 1
        bad = client.post(
            url,
            {
                **data,
                "token": uuid.uuid4(),
                f"received_{line.pk}": "99",
                f"accepted_{line.pk}": "99",
            },
        )
        assert bad.status_code == HTTPStatus.OK and bad.context["form"].errors

    def test_actions_from_the_order_page(self, client, keeper):
        order = PurchaseOrderFactory()
        keeper.properties.add(order.storeroom.property)
        PurchaseOrderLine.objects.create(order=order, item=ItemFactory(), quantity=1, unit_price=1)
        client.force_login(keeper)
        assert client.get(order.get_absolute_url()).status_code == HTTPStatus.OK
        client.post(f"/procurement/orders/{order.pk}/approve/")
        client.post(f"/procurement/orders/{order.pk}/place/")
        order.refresh_from_db()
        assert order.status == OrderStatus.ORDERED
        assert client.get(f"/procurement/orders/{order.pk}/edit/").status_code == 404
        client.post(f"/procurement/orders/{order.pk}/cancel/", {"reason": ""})
        order.refresh_from_db()
        assert order.status == OrderStatus.ORDERED


@pytest.mark.django_db
def test_the_price_index_compares_with_the_standard_when_ordered(keeper):
    """Raising an item's standard price later does not rewrite the supplier's history."""
    order, line = placed(keeper, quantity=10, price="12.00")
    assert line.standard_price == Decimal("10.00")
    services.receive(order, {line: (10, 10, "")}, by=keeper, token=uuid.uuid4())
    line.item.standard_price = Decimal("24.00")
    line.item.save()
    card = scorecards([order.supplier_id])[order.supplier_id]
    assert card.price_index == Decimal("1.2")  # 120 paid against 100 standard at the time
