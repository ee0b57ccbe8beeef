"""Requests for quotation (the minimum number of suppliers, complete quotes, the award with
its reason and the order it drafts), returns to suppliers written by the receipt, the
stores reports, and the pages."""

import csv
import datetime
import io
import uuid
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from procurement import reports, services
from procurement.models import (
    Item,
    MovementKind,
    OrderStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    Quotation,
    RequisitionLine,
    RequisitionStatus,
    ReturnStatus,
    RfqStatus,
    StockMovement,
    Supplier,
    SupplierReturn,
)
from tests.factories import PropertyFactory, UserFactory

from .factories import (
    ItemCategoryFactory,
    ItemFactory,
    PurchaseOrderFactory,
    RequisitionFactory,
    StockLevelFactory,
    StoreroomFactory,
    SupplierFactory,
)


@pytest.fixture
def keeper(db):
    return UserFactory(groups=["stores"])


def reply_by():
    """A reply date a fortnight from today, whenever the suite runs."""
    return timezone.localdate() + datetime.timedelta(days=14)


def approved_requisition(property_, *lines):
    """An approved requisition with ``lines`` of (item, quantity, estimated price)."""
    requisition = RequisitionFactory(property=property_, status=RequisitionStatus.APPROVED)
    for item, quantity, price in lines:
        RequisitionLine.objects.create(
            requisition=requisition, item=item, quantity=quantity, estimated_price=price
        )
    return requisition


def sent_rfq(keeper, property_=None, suppliers=3):
    """An RFQ for 10 lamps and 4 switches, sent to ``suppliers`` approved suppliers."""
    property_ = property_ or PropertyFactory()
    lamp, switch = ItemFactory(name="灯管"), ItemFactory(name="开关")
    requisition = approved_requisition(
        property_, (lamp, Decimal(10), Decimal("20.00")), (switch, Decimal(4), Decimal("5.00"))
    )
    rfq = services.rfq_from_requisition(requisition, by=keeper, reply_by=reply_by())
    asked = [SupplierFactory() for _ in range(suppliers)]
    rfq.suppliers.add(*asked)
    services.send_rfq(rfq, by=keeper)
    return rfq, asked


def quote(rfq, supplier, lamp, switch, *, by, lead_days=7):
    lines = {line.item.name: line for line in rfq.lines.select_related("item")}
    return services.record_quotation(
        rfq,
        supplier,
        {lines["灯管"]: Decimal(lamp), lines["开关"]: Decimal(switch)},
        by=by,
        lead_days=lead_days,
    )


def placed(keeper, lines, **kwargs):
    """An order placed with its ``lines`` of (item, quantity, price)."""
    order = PurchaseOrderFactory(**kwargs)
    order_lines = [
        PurchaseOrderLine.objects.create(
            order=order, item=item, quantity=quantity, unit_price=Decimal(price)
        )
        for item, quantity, price in lines
    ]
    services.approve_order(order, by=keeper)
    services.place_order(order, by=keeper)
    return order, order_lines


def csv_rows(response):
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


# --- requests for quotation -------------------------------------------------------------------


@pytest.mark.django_db
class TestRequestsForQuotation:
    def test_the_request_copies_the_requisition(self, keeper):
        item = ItemFactory()
        requisition = approved_requisition(PropertyFactory(), (item, Decimal(3), Decimal("2.00")))
        rfq = services.rfq_from_requisition(requisition, by=keeper, reply_by=reply_by())
        assert (rfq.property, rfq.title, rfq.status) == (
            requisition.property,
            requisition.purpose,
            RfqStatus.DRAFT,
        )
        assert [(line.item, line.quantity) for line in rfq.lines.all()] == [(item, 3)]
        with pytest.raises(ValidationError, match="already has a request"):
            services.rfq_from_requisition(requisition, by=keeper, reply_by=rfq.reply_by)
        with pytest.raises(ValidationError, match="out for quotation"):
            services.order_from_requisition(
                requisition,
                supplier=SupplierFactory(),
                storeroom=StoreroomFactory(property=requisition.property),
                promised_on=timezone.localdate(),
                by=keeper,
            )

    def test_sending_needs_the_minimum_of_suppliers(self, keeper):
        requisition = approved_requisition(
            PropertyFactory(), (ItemFactory(), Decimal(1), Decimal(1))
        )
        rfq = services.rfq_from_requisition(requisition, by=keeper, reply_by=reply_by())
        rfq.suppliers.add(
            SupplierFactory(),
            SupplierFactory(),
            SupplierFactory(status="blacklisted", status_reason="质量问题"),
        )
        with pytest.raises(ValidationError, match=r"at least 3 suppliers \(2 chosen\)"):
            services.send_rfq(rfq, by=keeper)
        rfq.refresh_from_db()
        assert rfq.status == RfqStatus.DRAFT
        with (
            override_settings(PROCUREMENT_MIN_QUOTES=4),
            pytest.raises(ValidationError, match=r"at least 4 suppliers \(2 chosen\)"),
        ):
            services.send_rfq(rfq, by=keeper)
        with override_settings(PROCUREMENT_MIN_QUOTES=2):
            assert services.send_rfq(rfq, by=keeper).status == RfqStatus.SENT
        with pytest.raises(ValidationError, match="“Sent to suppliers” and cannot be sent"):
            services.send_rfq(rfq, by=keeper)

    def test_a_quote_prices_every_line(self, keeper):
        rfq, (first, *_rest) = sent_rfq(keeper)
        lamp, switch = rfq.lines.order_by("pk")
        with pytest.raises(ValidationError, match="every line"):
            services.record_quotation(rfq, first, {lamp: Decimal("19.00")}, by=keeper)
        with pytest.raises(ValidationError, match="every line"):
            services.record_quotation(rfq, first, {lamp: Decimal("19.00"), switch: None}, by=keeper)
        with pytest.raises(ValidationError, match="two decimals"):
            services.record_quotation(
                rfq, first, {lamp: Decimal("19.001"), switch: Decimal(1)}, by=keeper
            )
        with pytest.raises(ValidationError, match="not asked"):
            services.record_quotation(
                rfq, SupplierFactory(), {lamp: Decimal(1), switch: Decimal(1)}, by=keeper
            )
        assert not Quotation.objects.exists()
        quotation = quote(rfq, first, "19.00", "4.50", by=keeper)
        assert quotation.total == Decimal("208.00")  # 10 × 19 + 4 × 4.50
        corrected = quote(rfq, first, "18.00", "4.50", by=keeper)
        assert corrected.pk == quotation.pk and corrected.total == Decimal("198.00")
        assert sorted(corrected.lines.values_list("unit_price", flat=True)) == [
            Decimal("4.50"),
            Decimal("18.00"),
        ]

    def test_the_cheapest_quote_needs_no_reason(self, keeper):
        rfq, (cheap, dear, dearer) = sent_rfq(keeper)
        quote(rfq, dear, "20.00", "5.00", by=keeper)
        cheapest = quote(rfq, cheap, "19.00", "5.00", by=keeper, lead_days=3)
        quote(rfq, dearer, "25.00", "5.00", by=keeper)
        room = StoreroomFactory(property=rfq.property)
        order = services.award_rfq(rfq, cheapest, by=keeper, storeroom=room)
        rfq.refresh_from_db()
        assert (rfq.status, rfq.awarded_to, rfq.award_reason) == (RfqStatus.AWARDED, cheap, "")
        assert order.supplier == cheap
        assert order.promised_on == timezone.localdate() + datetime.timedelta(days=3)

    def test_an_expired_quote_cannot_be_awarded(self, keeper):
        rfq, (cheap, dear, dearer) = sent_rfq(keeper)
        expired = quote(rfq, cheap, "19.00", "5.00", by=keeper)
        quote(rfq, dear, "20.00", "5.00", by=keeper)
        quote(rfq, dearer, "25.00", "5.00", by=keeper)
        expired.valid_until = timezone.localdate() - datetime.timedelta(days=1)
        expired.save()
        room = StoreroomFactory(property=rfq.property)
        with pytest.raises(ValidationError, match="expired"):
            services.award_rfq(rfq, expired, by=keeper, storeroom=room)
        assert not PurchaseOrder.objects.exists()

    def test_a_dearer_quote_needs_the_reason_and_drafts_the_order(self, keeper):
        rfq, (cheap, dear, dearer) = sent_rfq(keeper)
        quote(rfq, cheap, "19.00", "5.00", by=keeper)
        chosen = quote(rfq, dear, "20.00", "4.00", by=keeper, lead_days=10)
        quote(rfq, dearer, "25.00", "5.00", by=keeper)
        room = StoreroomFactory(property=rfq.property)
        with pytest.raises(ValidationError, match="not the cheapest"):
            services.award_rfq(rfq, chosen, by=keeper, storeroom=room, reason="  ")
        assert not PurchaseOrder.objects.exists()
        with pytest.raises(ValidationError, match="same property"):
            services.award_rfq(
                rfq, chosen, by=keeper, storeroom=StoreroomFactory(), reason="质量更好"
            )

        order = services.award_rfq(rfq, chosen, by=keeper, storeroom=room, reason=" 质量更好 ")

        assert (order.supplier, order.storeroom, order.status) == (dear, room, OrderStatus.DRAFT)
        assert order.promised_on == timezone.localdate() + datetime.timedelta(days=10)
        assert (order.rfq, order.requisition) == (rfq, rfq.requisition)
        assert {(line.item.name, line.quantity, line.unit_price) for line in order.lines.all()} == {
            ("灯管", 10, Decimal("20.00")),
            ("开关", 4, Decimal("4.00")),
        }
        rfq.refresh_from_db()
        assert (rfq.status, rfq.awarded_to, rfq.award_reason) == (
            RfqStatus.AWARDED,
            dear,
            "质量更好",
        )
        rfq.requisition.refresh_from_db()
        assert rfq.requisition.status == RequisitionStatus.ORDERED
        with pytest.raises(ValidationError, match="“Awarded” and cannot be awarded"):
            services.award_rfq(rfq, chosen, by=keeper, storeroom=room, reason="再来")
        assert PurchaseOrder.objects.count() == 1
        rfq.refresh_from_db()
        assert rfq.award_reason == "质量更好"

    def test_fewer_quotes_than_the_minimum_need_a_reason(self, keeper):
        rfq, (first, second, _silent) = sent_rfq(keeper)
        quote(rfq, first, "20.00", "5.00", by=keeper)
        cheapest = quote(rfq, second, "19.00", "5.00", by=keeper)
        room = StoreroomFactory(property=rfq.property)
        with pytest.raises(ValidationError, match="Fewer than 3 quotes"):
            services.award_rfq(rfq, cheapest, by=keeper, storeroom=room)
        order = services.award_rfq(rfq, cheapest, by=keeper, storeroom=room, reason="急用")
        assert order.supplier == second

    def test_a_quote_of_another_request_is_refused(self, keeper):
        rfq, _asked = sent_rfq(keeper)
        other, (other_supplier, *_others) = sent_rfq(keeper, property_=rfq.property)
        foreign = quote(other, other_supplier, "1.00", "1.00", by=keeper)
        with pytest.raises(ValidationError, match="another request"):
            services.award_rfq(
                rfq, foreign, by=keeper, storeroom=StoreroomFactory(property=rfq.property)
            )
        assert not PurchaseOrder.objects.exists()

    def test_cancelling_frees_the_requisition(self, keeper):
        rfq, (supplier, *_rest) = sent_rfq(keeper)
        with pytest.raises(ValidationError, match="reason"):
            services.cancel_rfq(rfq, by=keeper, reason=" ")
        services.cancel_rfq(rfq, by=keeper, reason="价格都太高")
        rfq.refresh_from_db()
        assert (rfq.status, rfq.cancel_reason) == (RfqStatus.CANCELLED, "价格都太高")
        with pytest.raises(ValidationError, match="out"):
            quote(rfq, supplier, "1.00", "1.00", by=keeper)
        order = services.order_from_requisition(
            rfq.requisition,
            supplier=supplier,
            storeroom=StoreroomFactory(property=rfq.property),
            promised_on=timezone.localdate(),
            by=keeper,
        )
        assert {(line.quantity, line.unit_price) for line in order.lines.all()} == {
            (10, Decimal("20.00")),
            (4, Decimal("5.00")),
        }


# --- returns to suppliers ---------------------------------------------------------------------


@pytest.mark.django_db
class TestReturns:
    def test_rejected_goods_make_one_return(self, keeper):
        order, (lamps, switches, cables) = placed(
            keeper,
            [(ItemFactory(), 10, "12.00"), (ItemFactory(), 5, "3.00"), (ItemFactory(), 2, "1.00")],
        )
        receipt, _created = services.receive(
            order,
            {
                lamps: (8, 6, " 灯管破裂 "),
                switches: (5, Decimal("4.5"), "型号不符"),
                cables: (2, 2, ""),
            },
            by=keeper,
            token=uuid.uuid4(),
        )
        supplier_return = SupplierReturn.objects.get()
        assert (supplier_return.receipt, supplier_return.supplier, supplier_return.status) == (
            receipt,
            order.supplier,
            ReturnStatus.PENDING,
        )
        assert {
            (line.receipt_line.order_line, line.quantity, line.reason)
            for line in supplier_return.lines.all()
        } == {(lamps, 2, "灯管破裂"), (switches, Decimal("0.5"), "型号不符")}
        # The rejected goods never entered stock.
        assert sorted(
            StockMovement.objects.filter(kind=MovementKind.RECEIPT).values_list(
                "quantity", flat=True
            )
        ) == [Decimal("2"), Decimal("4.5"), Decimal("6")]

    def test_no_return_when_everything_is_accepted(self, keeper):
        order, (line,) = placed(keeper, [(ItemFactory(), 10, "12.00")])
        services.receive(order, {line: (10, 10, "")}, by=keeper, token=uuid.uuid4())
        assert not SupplierReturn.objects.exists()

    def test_marking_the_goods_returned(self, keeper):
        with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
            order, (line,) = placed(keeper, [(ItemFactory(), 10, "12.00")])
            services.receive(
                order,
                {line: (10, 7, "受潮")},
                by=keeper,
                token=uuid.uuid4(),
                received_on=datetime.date(2026, 11, 20),
            )
        supplier_return = SupplierReturn.objects.get()
        with time_machine.travel("2026-11-24 10:00 +0800", tick=False):
            for day in (datetime.date(2026, 11, 19), datetime.date(2026, 11, 25)):
                with pytest.raises(ValidationError, match="between the receipt and today"):
                    services.mark_returned(supplier_return, by=keeper, returned_on=day)
            supplier_return.refresh_from_db()
            assert supplier_return.status == ReturnStatus.PENDING
            services.mark_returned(
                supplier_return,
                by=keeper,
                returned_on=datetime.date(2026, 11, 20),
                carrier=" 顺丰 SF123 ",
            )
            with pytest.raises(ValidationError, match="“Returned” and cannot be returned"):
                services.mark_returned(
                    supplier_return, by=keeper, returned_on=datetime.date(2026, 11, 24)
                )
        supplier_return.refresh_from_db()
        assert (
            supplier_return.status,
            supplier_return.returned_on,
            supplier_return.carrier,
            supplier_return.returned_by,
        ) == (ReturnStatus.RETURNED, datetime.date(2026, 11, 20), "顺丰 SF123", keeper)


# --- reports ----------------------------------------------------------------------------------

REPORTS = (
    "/procurement/reports/",
    "/procurement/reports/slow-moving/",
    "/procurement/reports/spend/",
    "/procurement/reports/scorecards/",
    "/procurement/reports/count-accuracy/",
)


def stock(item, room, quantity, cost, by):
    return services.post_movement(item, room, quantity, MovementKind.OPENING, by=by, unit_cost=cost)


@pytest.mark.django_db
class TestReports:
    @pytest.fixture
    def home(self, db):
        return PropertyFactory(name="Alpha Gardens")

    @pytest.fixture
    def stores(self, home):
        return UserFactory(groups=["stores"], properties=[home])

    def test_every_report_opens_for_the_stores_and_nobody_else(self, client, stores):
        client.force_login(stores)
        for url in REPORTS:
            assert client.get(url).status_code == HTTPStatus.OK, url
        for url in REPORTS[1:]:
            rows = csv_rows(client.get(url, {"_export": "csv"}))
            assert rows and rows[0], url  # at least the header
        client.force_login(UserFactory(groups=["technician"]))
        for url in REPORTS:
            assert client.get(url).status_code == HTTPStatus.FORBIDDEN, url

    def test_slow_moving_and_overstock(self, client, home, stores, keeper):
        room = StoreroomFactory(property=home)
        never = ItemFactory(name="从未领用")
        lately, long_ago = ItemFactory(name="昨天领用"), ItemFactory(name="百日前领用")
        over = StockLevelFactory(storeroom=room, item=ItemFactory(name="超储"), maximum=50).item
        fine = StockLevelFactory(storeroom=room, item=ItemFactory(name="正常"), maximum=50).item
        hidden = ItemFactory(name="别处的")
        with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
            for item in (never, lately, long_ago, over, fine):
                stock(item, room, 60, Decimal("1.00"), keeper)
            stock(hidden, StoreroomFactory(), 5, Decimal("1.00"), keeper)
        with time_machine.travel("2026-08-16 10:00 +0800", tick=False):  # 100 days before
            services.issue_items(room, {long_ago: 1}, by=keeper)
        with time_machine.travel("2026-11-23 10:00 +0800", tick=False):  # yesterday
            services.issue_items(room, {lately: 1, over: 1, fine: 20}, by=keeper)
        client.force_login(stores)
        with time_machine.travel("2026-11-24 10:00 +0800", tick=False):
            response = client.get("/procurement/reports/slow-moving/")
            both = [row.record.item for row in response.context["table"].rows]
            assert set(both) == {never, long_ago, over}  # over: 59 above a maximum of 50
            slow = client.get("/procurement/reports/slow-moving/", {"days": 90, "show": "slow"})
            assert {row.record.item for row in slow.context["table"].rows} == {never, long_ago}
            within = client.get("/procurement/reports/slow-moving/", {"days": 120, "show": "slow"})
            assert {row.record.item for row in within.context["table"].rows} == {never}
            overstock = client.get(
                "/procurement/reports/slow-moving/", {"days": 90, "show": "overstock"}
            )
            assert [row.record.item for row in overstock.context["table"].rows] == [over]
            exported = csv_rows(client.get("/procurement/reports/slow-moving/", {"_export": "csv"}))
            # Sorting the first view keeps the default parameters.
            by_value = client.get("/procurement/reports/slow-moving/", {"sort": "item"})
            assert len(by_value.context["table"].rows) == 3
            foreign = client.get(
                "/procurement/reports/slow-moving/",
                {"storeroom": StoreroomFactory().pk, "days": 90, "show": "both"},
            )
            assert "storeroom" in foreign.context["form"].errors
            assert not list(foreign.context["table"].rows)
        names = {row[0] for row in exported[1:]}
        assert names == {str(never), str(long_ago), str(over)}
        assert str(hidden) not in response.content.decode()

    def test_spend_per_month(self, client, home, stores, keeper):
        electrical = ItemCategoryFactory(name="电气")
        wire = ItemFactory(category=ItemCategoryFactory(name="开关", parent=electrical))
        soap = ItemFactory(category=ItemCategoryFactory(name="清洁"))
        first, second = SupplierFactory(name="甲供应商"), SupplierFactory(name="乙供应商")
        room = StoreroomFactory(property=home)
        elsewhere = StoreroomFactory(property=PropertyFactory(name="Beta Tower"))
        with time_machine.travel("2025-12-01 10:00 +0800", tick=False):
            big, (wires,) = placed(keeper, [(wire, 11, "12.00")], supplier=first, storeroom=room)
            small, (soaps,) = placed(keeper, [(soap, 3, "7.50")], supplier=second, storeroom=room)
            theirs, (their_wires,) = placed(
                keeper, [(wire, 2, "100.00")], supplier=first, storeroom=elsewhere
            )
        deliveries = [
            (big, wires, (1, 1, ""), datetime.date(2025, 12, 20)),  # last year
            (big, wires, (6, 5, "破损"), datetime.date(2026, 1, 15)),  # 5 × 12 = 60
            (big, wires, (4, 4, ""), datetime.date(2026, 2, 10)),  # 4 × 12 = 48
            (small, soaps, (3, 3, ""), datetime.date(2026, 2, 20)),  # 3 × 7.50 = 22.50
            (theirs, their_wires, (2, 2, ""), datetime.date(2026, 3, 1)),  # another property
        ]
        with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
            for order, line, quantities, day in deliveries:
                services.receive(
                    order, {line: quantities}, by=keeper, token=uuid.uuid4(), received_on=day
                )
            director = UserFactory(groups=["director"])

            def amounts(user, by):
                return [
                    (row["name"], row["m1"], row["m2"], row["m3"], row["total"])
                    for row in reports.spend(user, {"year": 2026, "by": by})
                ]

            assert amounts(stores, "supplier") == [
                ("甲供应商", Decimal("60.00"), Decimal("48.00"), Decimal(0), Decimal("108.00")),
                ("乙供应商", Decimal(0), Decimal("22.50"), Decimal(0), Decimal("22.50")),
            ]
            assert amounts(stores, "category") == [
                ("电气", Decimal("60.00"), Decimal("48.00"), Decimal(0), Decimal("108.00")),
                ("清洁", Decimal(0), Decimal("22.50"), Decimal(0), Decimal("22.50")),
            ]
            assert amounts(stores, "property") == [
                (
                    "Alpha Gardens",
                    Decimal("60.00"),
                    Decimal("70.50"),
                    Decimal(0),
                    Decimal("130.50"),
                ),
            ]
            assert amounts(director, "property") == [
                ("Beta Tower", Decimal(0), Decimal(0), Decimal("200.00"), Decimal("200.00")),
                (
                    "Alpha Gardens",
                    Decimal("60.00"),
                    Decimal("70.50"),
                    Decimal(0),
                    Decimal("130.50"),
                ),
            ]
            assert amounts(stores, "supplier") and not reports.spend(
                stores, {"year": 2024, "by": "supplier"}
            )
            client.force_login(stores)
            page = client.get("/procurement/reports/spend/", {"year": 2026, "by": "category"})
            assert [row.record["name"] for row in page.context["table"].rows] == ["电气", "清洁"]
            exported = csv_rows(client.get("/procurement/reports/spend/", {"_export": "csv"}))
        header, *rows = exported
        assert header[0].lower() == "name" and header[-1].lower() == "total"
        # Every month is a cell, 0 when nothing was received.
        assert [(row[0], *(Decimal(cell or 0) for cell in row[1:])) for row in rows] == [
            ("甲供应商", Decimal("60.00"), Decimal("48.00"), *[0] * 10, Decimal("108.00")),
            ("乙供应商", 0, Decimal("22.50"), *[0] * 10, Decimal("22.50")),
        ]

    def test_two_suppliers_of_one_name_are_two_rows(self, home, stores):
        room = StoreroomFactory(property=home)
        twins = [SupplierFactory(name="同名供应商") for _ in range(2)]
        for supplier, price in zip(twins, ("10.00", "30.00"), strict=True):
            order, (line,) = placed(
                stores, [(ItemFactory(), 1, price)], supplier=supplier, storeroom=room
            )
            services.receive(order, {line: (1, 1, "")}, by=stores, token=uuid.uuid4())
        year = timezone.localdate().year
        rows = reports.spend(stores, {"year": year, "by": "supplier"})
        assert [(row["key"], row["total"]) for row in rows] == [
            (twins[1].pk, Decimal("30.00")),
            (twins[0].pk, Decimal("10.00")),
        ]

    def test_supplier_scorecards(self, client, stores):
        approved, candidate = (
            SupplierFactory(name="合格"),
            SupplierFactory(name="候选", status="candidate"),
        )
        client.force_login(stores)
        default = csv_rows(client.get("/procurement/reports/scorecards/", {"_export": "csv"}))
        assert [row[0] for row in default[1:]] == [str(approved)]
        every = csv_rows(
            client.get("/procurement/reports/scorecards/", {"status": "", "_export": "csv"})
        )
        assert sorted(row[0] for row in every[1:]) == sorted([str(approved), str(candidate)])


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestPages:
    def test_the_comparison_marks_the_cheapest(self, client, keeper):
        rfq, (cheap, dear, dearer) = sent_rfq(keeper)
        keeper.properties.add(rfq.property)
        quote(rfq, dear, "1000.00", "5.00", by=keeper)  # 10,020.00
        quote(rfq, cheap, "999.00", "4.00", by=keeper)  # 10,006.00
        quote(rfq, dearer, "1200.00", "5.00", by=keeper)  # 12,020.00
        client.force_login(keeper)
        response = client.get(rfq.get_absolute_url())
        assert response.status_code == HTTPStatus.OK
        marks = {quote.supplier: cheapest for quote, _card, cheapest in response.context["columns"]}
        assert marks == {cheap: True, dear: False, dearer: False}
        body = response.content.decode()
        for total in ("¥10,006.00", "¥10,020.00", "¥12,020.00"):
            assert total in body
        assert body.count('badge text-bg-success">cheapest') == 1
        assert response.context["award_form"] is not None

    def test_quotes_and_the_award_through_the_pages(self, client, keeper, settings):
        settings.PROCUREMENT_MIN_QUOTES = 2
        rfq, (first, second) = sent_rfq(keeper, suppliers=2)
        keeper.properties.add(rfq.property)
        client.force_login(keeper)
        url = f"/procurement/rfqs/{rfq.pk}/quote/"
        assert client.get(url).status_code == HTTPStatus.OK
        lamp, switch = rfq.lines.order_by("pk")
        for supplier, price in ((first, "19.00"), (second, "18.00")):
            response = client.post(
                url,
                {
                    "supplier": supplier.pk,
                    "received_on": timezone.localdate().isoformat(),
                    "lead_days": "5",
                    f"price_{lamp.pk}": price,
                    f"price_{switch.pk}": "5.00",
                },
            )
            assert response.status_code == HTTPStatus.FOUND
        missing = client.post(
            url,
            {"supplier": first.pk, "received_on": "2026-11-24", "lead_days": "5"},
        )
        assert missing.status_code == HTTPStatus.OK and missing.context["form"].errors
        dearer = Quotation.objects.get(supplier=first)
        room = StoreroomFactory(property=rfq.property)
        award = f"/procurement/rfqs/{rfq.pk}/award/"
        client.post(award, {"quotation": dearer.pk, "storeroom": room.pk, "reason": ""})
        rfq.refresh_from_db()
        assert rfq.status == RfqStatus.SENT and not PurchaseOrder.objects.exists()
        response = client.post(
            award, {"quotation": dearer.pk, "storeroom": room.pk, "reason": "交货快"}
        )
        assert response.status_code == HTTPStatus.FOUND
        order = PurchaseOrder.objects.get()
        assert (order.supplier, order.rfq) == (first, rfq)
        assert client.get(rfq.get_absolute_url()).context["award_form"] is None

    def test_actions_need_the_permission(self, client, keeper):
        rfq, (supplier, *_rest) = sent_rfq(keeper)
        quotation = quote(rfq, supplier, "1.00", "1.00", by=keeper)
        order, (line,) = placed(
            keeper, [(ItemFactory(), 2, "1.00")], storeroom=StoreroomFactory(property=rfq.property)
        )
        services.receive(order, {line: (2, 1, "坏")}, by=keeper, token=uuid.uuid4())
        supplier_return = SupplierReturn.objects.get()
        viewer = UserFactory(groups=["viewer"], properties=[rfq.property])
        client.force_login(viewer)
        assert client.get(rfq.get_absolute_url()).status_code == HTTPStatus.OK
        assert client.get(supplier_return.get_absolute_url()).status_code == HTTPStatus.OK
        posts = {
            f"/procurement/rfqs/{rfq.pk}/send/": {},
            f"/procurement/rfqs/{rfq.pk}/cancel/": {"reason": "不要"},
            f"/procurement/rfqs/{rfq.pk}/award/": {
                "quotation": quotation.pk,
                "storeroom": order.storeroom_id,
                "reason": "x",
            },
            f"/procurement/rfqs/{rfq.pk}/quote/": {},
            f"/procurement/returns/{supplier_return.pk}/returned/": {
                "returned_on": timezone.localdate().isoformat()
            },
        }
        for url, data in posts.items():
            assert client.post(url, data).status_code == HTTPStatus.FORBIDDEN, url
        rfq.refresh_from_db()
        supplier_return.refresh_from_db()
        assert rfq.status == RfqStatus.SENT and not PurchaseOrder.objects.filter(rfq=rfq)
        assert supplier_return.status == ReturnStatus.PENDING

    def test_another_propertys_records_are_not_found(self, client, keeper):
        rfq, (supplier, *_rest) = sent_rfq(keeper)
        quotation = quote(rfq, supplier, "1.00", "1.00", by=keeper)
        order, (line,) = placed(
            keeper, [(ItemFactory(), 2, "1.00")], storeroom=StoreroomFactory(property=rfq.property)
        )
        services.receive(order, {line: (2, 1, "坏")}, by=keeper, token=uuid.uuid4())
        supplier_return = SupplierReturn.objects.get()
        outsider = UserFactory(groups=["stores"], properties=[PropertyFactory()])
        client.force_login(outsider)
        for url in (
            rfq.get_absolute_url(),
            f"/procurement/rfqs/{rfq.pk}/quote/",
            supplier_return.get_absolute_url(),
        ):
            assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
        posts = {
            f"/procurement/rfqs/{rfq.pk}/cancel/": {"reason": "不要"},
            f"/procurement/rfqs/{rfq.pk}/award/": {
                "quotation": quotation.pk,
                "storeroom": order.storeroom_id,
                "reason": "x",
            },
            f"/procurement/returns/{supplier_return.pk}/returned/": {
                "returned_on": timezone.localdate().isoformat()
            },
        }
        for url, data in posts.items():
            assert client.post(url, data).status_code == HTTPStatus.NOT_FOUND, url
        rfq.refresh_from_db()
        supplier_return.refresh_from_db()
        assert rfq.status == RfqStatus.SENT
        assert supplier_return.status == ReturnStatus.PENDING

    def test_marking_returned_on_the_page(self, client, keeper):
        order, (line,) = placed(keeper, [(ItemFactory(), 2, "1.00")])
        keeper.properties.add(order.storeroom.property)
        services.receive(order, {line: (2, 1, "坏")}, by=keeper, token=uuid.uuid4())
        supplier_return = SupplierReturn.objects.get()
        client.force_login(keeper)
        page = client.get(supplier_return.get_absolute_url())
        assert page.status_code == HTTPStatus.OK and "坏" in page.content.decode()
        url = f"/procurement/returns/{supplier_return.pk}/returned/"
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        client.post(url, {"returned_on": tomorrow.isoformat()})
        supplier_return.refresh_from_db()
        assert supplier_return.status == ReturnStatus.PENDING
        client.post(url, {"returned_on": timezone.localdate().isoformat(), "carrier": "自提"})
        supplier_return.refresh_from_db()
        assert (supplier_return.status, supplier_return.carrier) == (ReturnStatus.RETURNED, "自提")

    @pytest.mark.parametrize("kind", ["rfqs", "returns"])
    def test_lists_keep_a_constant_query_count(self, client, keeper, kind):
        home = PropertyFactory()
        keeper.properties.add(home)
        client.force_login(keeper)

        def make(property_):
            if kind == "rfqs":
                rfq, (supplier, *_rest) = sent_rfq(keeper, property_=property_)
                quotation = quote(rfq, supplier, "1.00", "1.00", by=keeper)
                services.award_rfq(
                    rfq,
                    quotation,
                    by=keeper,
                    storeroom=StoreroomFactory(property=property_),
                    reason="只比了一家",
                )
                return rfq
            order, (line,) = placed(
                keeper, [(ItemFactory(), 2, "1.00")], storeroom=StoreroomFactory(property=property_)
            )
            receipt, _created = services.receive(
                order, {line: (2, 1, "坏")}, by=keeper, token=uuid.uuid4()
            )
            return receipt.supplier_return

        url = "/procurement/rfqs/" if kind == "rfqs" else "/procurement/returns/"
        make(home)
        hidden = make(PropertyFactory())
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for _ in range(8):
            make(home)
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        shown = [row.record for row in response.context["table"].page.object_list]
        assert len(shown) == 9 and hidden not in shown
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
        assert len(csv_rows(client.get(url, {"_export": "csv"}))) == 1 + 9


# --- whom to ask (issue 12) -------------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    """Lamps (照明 › 灯管) and mops (保洁用品), and who supplies them."""
    lighting, cleaning = ItemCategoryFactory(name="照明"), ItemCategoryFactory(name="保洁用品")
    tubes = ItemCategoryFactory(name="灯管", parent=lighting)
    lamp = ItemFactory(name="灯管", category=tubes)
    mop = ItemFactory(name="拖把", category=cleaning)
    suppliers = {
        # the whole of lighting (the parent covers the sub-category) and cleaning
        "both": SupplierFactory(name="综合供应", status="approved"),
        "lighting": SupplierFactory(name="照明公司", status="approved"),
        "tubes": SupplierFactory(name="灯管厂", status="candidate"),
        "cleaning": SupplierFactory(name="保洁公司", status="approved"),
        "suspended": SupplierFactory(name="停用供应", status="suspended", status_reason="资质过期"),
        "none": SupplierFactory(name="无关公司", status="approved"),
    }
    suppliers["both"].categories.set([lighting, cleaning])
    suppliers["lighting"].categories.set([lighting])
    suppliers["tubes"].categories.set([tubes])
    suppliers["cleaning"].categories.set([cleaning])
    suppliers["suspended"].categories.set([lighting, cleaning])
    return lamp, mop, suppliers


@pytest.mark.django_db
class TestSuppliersToAsk:
    def test_suppliers_of_every_item_requested(self, catalogue):
        lamp, mop, _s = catalogue

        def names(*items):
            found = Supplier.objects.invitable().supplying(
                Item.objects.filter(pk__in=[i.pk for i in items])
            )
            return set(found.values_list("name", flat=True))

        assert names(lamp) == {"综合供应", "照明公司", "灯管厂"}
        assert names(mop) == {"综合供应", "保洁公司"}
        assert names(lamp, mop) == {"综合供应"}

    def test_the_service_asks_the_suppliers_chosen(self, keeper, catalogue):
        lamp, _mop, s = catalogue
        requisition = approved_requisition(PropertyFactory(), (lamp, Decimal(2), Decimal("8.00")))
        with pytest.raises(ValidationError, match="Suspended or blacklisted"):
            services.rfq_from_requisition(
                requisition, by=keeper, reply_by=reply_by(), suppliers=[s["suspended"]]
            )
        rfq = services.rfq_from_requisition(
            requisition, by=keeper, reply_by=reply_by(), suppliers=[s["lighting"], s["none"]]
        )
        assert set(rfq.suppliers.all()) == {s["lighting"], s["none"]}

    def test_sending_with_nobody_chosen_says_so(self, keeper, catalogue):
        lamp, _mop, _s = catalogue
        requisition = approved_requisition(PropertyFactory(), (lamp, Decimal(2), Decimal("8.00")))
        rfq = services.rfq_from_requisition(requisition, by=keeper, reply_by=reply_by())
        with pytest.raises(ValidationError, match=r"Choose the suppliers to ask \(at least 3\)"):
            services.send_rfq(rfq, by=keeper)

    def test_the_page_asks_for_the_suppliers_of_the_items(self, client, catalogue):
        lamp, _mop, s = catalogue
        home = PropertyFactory()
        keeper = UserFactory(groups=["stores"], properties=[home], language="en")
        requisition = approved_requisition(home, (lamp, Decimal(2), Decimal("8.00")))
        url = f"/procurement/requisitions/{requisition.pk}/rfq/"
        client.force_login(keeper)
        page = client.get(url)
        assert page.status_code == HTTPStatus.OK
        form = page.context["form"]
        assert set(form.fields["suppliers"].queryset) == {s["both"], s["lighting"], s["tubes"]}
        body = page.content.decode()
        assert "照明公司" in body and "无关公司" not in body and "停用供应" not in body
        assert "Also invite another supplier" in body
        # Nobody chosen: a form error on the suppliers, and no request.
        due = reply_by().isoformat()
        refused = client.post(url, {"reply_by": due})
        assert refused.status_code == HTTPStatus.OK
        assert "Choose the suppliers to ask" in str(refused.context["form"].errors["suppliers"])
        assert not requisition.rfqs.exists()
        # A supplier outside the categories only through the labelled field.
        sneaked = client.post(url, {"reply_by": due, "suppliers": [s["none"].pk]})
        assert sneaked.status_code == HTTPStatus.OK
        assert "suppliers" in sneaked.context["form"].errors
        response = client.post(
            url,
            {
                "reply_by": due,
                "suppliers": [s["lighting"].pk, s["tubes"].pk],
                "other_suppliers": [s["none"].pk],
            },
        )
        rfq = requisition.rfqs.get()
        assert response.status_code == HTTPStatus.FOUND and response.url == rfq.get_absolute_url()
        assert set(rfq.suppliers.all()) == {s["lighting"], s["tubes"], s["none"]}
        again = client.post(url, {"reply_by": due, "suppliers": [s["lighting"].pk]})
        assert "already has a request" in str(again.context["form"].errors)
        assert requisition.rfqs.count() == 1

    def test_send_is_offered_only_with_enough_suppliers(self, client, catalogue, settings):
        lamp, _mop, s = catalogue
        home = PropertyFactory()
        keeper = UserFactory(groups=["stores"], properties=[home], language="en")
        requisition = approved_requisition(home, (lamp, Decimal(2), Decimal("8.00")))
        rfq = services.rfq_from_requisition(requisition, by=keeper, reply_by=reply_by())
        send = f"/procurement/rfqs/{rfq.pk}/send/"
        client.force_login(keeper)
        body = client.get(rfq.get_absolute_url()).content.decode()
        assert send not in body and "Send to the suppliers" not in body
        assert f"/procurement/rfqs/{rfq.pk}/edit/" in body and 'id="send-needs-suppliers"' in body
        refused = client.post(send, follow=True)
        assert "Choose the suppliers to ask (at least 3) before sending." in (
            refused.content.decode()
        )
        rfq.refresh_from_db()
        assert rfq.status == RfqStatus.DRAFT
        # The edit page lists the suppliers of the items and the explicit other choice.
        edit = client.get(f"/procurement/rfqs/{rfq.pk}/edit/")
        assert set(edit.context["form"].fields["suppliers"].queryset) == {
            s["both"],
            s["lighting"],
            s["tubes"],
        }
        assert "other_suppliers" in edit.context["form"].fields
        rfq.suppliers.add(s["both"], s["lighting"], s["tubes"])
        body = client.get(rfq.get_absolute_url()).content.decode()
        assert send in body and 'id="send-needs-suppliers"' not in body
        assert client.post(send).status_code == HTTPStatus.FOUND
        rfq.refresh_from_db()
        assert rfq.status == RfqStatus.SENT

    def test_the_pages_in_chinese(self, client, catalogue):
        lamp, _mop, _s = catalogue
        home = PropertyFactory()
        keeper = UserFactory(groups=["stores"], properties=[home], language="zh-hans")
        requisition = approved_requisition(home, (lamp, Decimal(2), Decimal("8.00")))
        client.force_login(keeper)
        body = client.get(f"/procurement/requisitions/{requisition.pk}/rfq/").content.decode()
        assert "Also invite another supplier" not in body and "这些物资的供应商" in body
        rfq = services.rfq_from_requisition(requisition, by=keeper, reply_by=reply_by())
        body = client.get(rfq.get_absolute_url()).content.decode()
        assert "Choose the suppliers" not in body and "选择供应商" in body
