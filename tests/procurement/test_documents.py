"""Procurement's documents: purchase order, goods receipt, stock issue, count sheet and
variance report, requisition; as pages for the browser's print and as real PDFs."""

import uuid
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procurement import services
from procurement.models import MovementKind, PurchaseOrderLine, RequisitionLine, StockIssueLine
from tests.documents import compact, needs_pdf, pdf_text
from tests.factories import PropertyFactory, UserFactory

from .factories import (
    ItemFactory,
    PurchaseOrderFactory,
    RequisitionFactory,
    StockIssueFactory,
    StoreroomFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(db):
    return PropertyFactory(code="JLG", name="翠湖花园")


@pytest.fixture
def keeper(home):
    return UserFactory(groups=["stores"], properties=[home])


@pytest.fixture
def order(home, keeper):
    """Placed, two lines: 10 × ¥12.00 + 5 × ¥50.00 = ¥370.00 (叁佰柒拾元整)."""
    supplier = SupplierFactory(name="上海恒通五金有限公司", address="上海市徐汇区漕溪路100号")
    order = PurchaseOrderFactory(storeroom=StoreroomFactory(property=home), supplier=supplier)
    PurchaseOrderLine.objects.create(
        order=order, item=ItemFactory(name="灯管"), quantity=10, unit_price=Decimal("12.00")
    )
    PurchaseOrderLine.objects.create(
        order=order, item=ItemFactory(name="水泵密封圈"), quantity=5, unit_price=Decimal("50.00")
    )
    services.approve_order(order, by=keeper)
    services.place_order(order, by=keeper)
    return order


@pytest.fixture
def receipt(order, keeper):
    """All of the lamps, 4 of the 5 seals (one rejected): 120 + 200 = ¥320.00."""
    lamps, seals = order.lines.order_by("pk")
    receipt, _created = services.receive(
        order,
        {lamps: (10, 10, ""), seals: (5, 4, "破损")},
        by=keeper,
        token=uuid.uuid4(),
    )
    return receipt


def url(name, obj, kind="print"):
    return reverse(f"procurement:{name}_{kind}", args=[obj.pk])


class TestPurchaseOrder:
    def test_the_printable_order(self, client, keeper, order):
        client.force_login(keeper)
        response = client.get(url("purchaseorder", order))
        assert response.status_code == HTTPStatus.OK
        body = response.content.decode()
        assert str(order) in body and "上海恒通五金有限公司" in body
        assert "¥370.00" in body and "叁佰柒拾元整" in body
        assert "翠湖花园" in body  # the property's letterhead
        # Nothing internal: no scorecard, no change log, no actions, no navigation.
        for internal in ("scorecard", "Supplier scorecard", "History", "<form", "sidebar"):
            assert internal not in body, internal
        assert "data-print" in body and url("purchaseorder", order, "pdf") in body

    def test_the_detail_page_links_the_document(self, client, keeper, order):
        client.force_login(keeper)
        body = client.get(order.get_absolute_url()).content.decode()
        assert url("purchaseorder", order) in body and url("purchaseorder", order, "pdf") in body

    def test_another_propertys_order_is_404(self, client, order):
        outsider = UserFactory(groups=["stores"], properties=[PropertyFactory()])
        client.force_login(outsider)
        for kind in ("print", "pdf"):
            assert client.get(url("purchaseorder", order, kind)).status_code == 404

    def test_without_permission_it_is_403(self, client, home, order):
        client.force_login(UserFactory(groups=["guard"], properties=[home]))
        for kind in ("print", "pdf"):
            assert client.get(url("purchaseorder", order, kind)).status_code == 403

    def test_the_query_count_does_not_grow_with_lines(self, client, keeper, home):
        client.force_login(keeper)
        order = PurchaseOrderFactory(storeroom=StoreroomFactory(property=home))

        def queries(lines):
            for _n in range(lines):
                PurchaseOrderLine.objects.create(
                    order=order, item=ItemFactory(), quantity=1, unit_price=1
                )
            client.get(url("purchaseorder", order))
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url("purchaseorder", order)).status_code == 200
            return len(captured)

        assert queries(1) == queries(20)

    def test_english(self, client, keeper, order):
        keeper.language = "en"
        client.force_login(keeper)
        body = client.get(url("purchaseorder", order), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Purchase order" in body and "叁佰柒拾元整" in body

    def test_the_pdf_carries_the_supplier_and_the_total_in_capitals(self, client, keeper, order):
        needs_pdf()
        client.force_login(keeper)
        response = client.get(url("purchaseorder", order, "pdf"))
        text = compact(pdf_text(response))
        assert "上海恒通五金有限公司" in text
        assert "叁佰柒拾元整" in text and "¥370.00" in text
        assert str(order) in text
        assert f'filename="{order}.pdf"' in response["Content-Disposition"]

    def test_without_weasyprint_the_pdf_says_what_to_install(
        self, client, keeper, order, monkeypatch
    ):
        from core import documents

        monkeypatch.setattr(documents, "_weasyprint", lambda: "WeasyPrint is not installed")
        client.force_login(keeper)
        response = client.get(url("purchaseorder", order, "pdf"))
        assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
        assert "weasyprint" in response.content.decode().lower()
        assert url("purchaseorder", order) in response.content.decode()
        page = client.get(url("purchaseorder", order))
        assert page.status_code == 200 and "pip install weasyprint" in page.content.decode()


class TestGoodsReceipt:
    def test_the_printable_receipt(self, client, keeper, receipt):
        client.force_login(keeper)
        body = client.get(url("goodsreceipt", receipt)).content.decode()
        assert str(receipt) in body and "破损" in body
        assert "¥320.00" in body and "叁佰贰拾元整" in body

    def test_the_detail_page_links_the_document(self, client, keeper, receipt):
        client.force_login(keeper)
        body = client.get(receipt.get_absolute_url()).content.decode()
        assert url("goodsreceipt", receipt) in body

    def test_another_propertys_receipt_is_404_and_no_permission_403(self, client, home, receipt):
        client.force_login(UserFactory(groups=["stores"], properties=[PropertyFactory()]))
        assert client.get(url("goodsreceipt", receipt)).status_code == 404
        client.force_login(UserFactory(groups=["guard"], properties=[home]))
        assert client.get(url("goodsreceipt", receipt)).status_code == 403

    def test_the_pdf_carries_the_supplier_and_the_total_in_capitals(self, client, keeper, receipt):
        needs_pdf()
        client.force_login(keeper)
        text = compact(pdf_text(client.get(url("goodsreceipt", receipt, "pdf"))))
        assert "上海恒通五金有限公司" in text and "叁佰贰拾元整" in text and str(receipt) in text


class TestStockIssue:
    def test_the_printable_issue(self, client, keeper, home):
        issue = StockIssueFactory(storeroom=StoreroomFactory(property=home), purpose="电梯维修")
        StockIssueLine.objects.create(issue=issue, item=ItemFactory(name="润滑油"), quantity=3)
        client.force_login(keeper)
        body = client.get(url("stockissue", issue)).content.decode()
        assert str(issue) in body and "润滑油" in body and "电梯维修" in body
        assert url("stockissue", issue) in client.get(issue.get_absolute_url()).content.decode()
        client.force_login(UserFactory(groups=["stores"], properties=[PropertyFactory()]))
        assert client.get(url("stockissue", issue)).status_code == 404
        client.force_login(UserFactory(groups=["guard"], properties=[home]))
        assert client.get(url("stockissue", issue)).status_code == 403


class TestRequisition:
    def test_the_printable_requisition(self, client, keeper, home):
        requisition = RequisitionFactory(property=home)
        RequisitionLine.objects.create(
            requisition=requisition, item=ItemFactory(), quantity=2, estimated_price="502.75"
        )
        client.force_login(keeper)
        body = client.get(url("requisition", requisition)).content.decode()
        assert str(requisition) in body and "¥1,005.50" in body and "壹仟零伍元伍角" in body
        detail = client.get(requisition.get_absolute_url()).content.decode()
        assert url("requisition", requisition) in detail
        client.force_login(UserFactory(groups=["stores"], properties=[PropertyFactory()]))
        assert client.get(url("requisition", requisition)).status_code == 404
        client.force_login(UserFactory(groups=["guard"], properties=[home]))
        assert client.get(url("requisition", requisition)).status_code == 403


class TestStockCount:
    @pytest.fixture
    def count(self, home, keeper):
        room = StoreroomFactory(property=home, blind_count=False)
        for name, quantity in (("灯泡", 10), ("扳手", 4)):
            services.post_movement(
                ItemFactory(name=name),
                room,
                quantity,
                MovementKind.OPENING,
                by=keeper,
                unit_cost=Decimal("2.50"),
            )
        return services.open_count(room, by=keeper)

    def test_the_count_sheet(self, client, keeper, count):
        client.force_login(keeper)
        body = client.get(url("stockcount", count)).content.decode()
        assert str(count) in body and "灯泡" in body and "扳手" in body
        detail = client.get(count.get_absolute_url()).content.decode()
        assert url("stockcount", count) in detail

    def test_a_blind_open_count_hides_the_book(self, client, keeper, count):
        count.blind = True
        count.save(update_fields=["blind"])
        client.force_login(keeper)
        response = client.get(url("stockcount", count))
        assert response.context["hide_book"] is True
        assert "Book quantity" not in response.content.decode()

    def test_the_variance_report(self, client, keeper, count):
        lines = {line.item.name: line for line in count.lines.select_related("item")}
        services.record_counts(
            count, {lines["灯泡"].pk: (8, "破损"), lines["扳手"].pk: (4, "")}, by=keeper
        )
        services.submit_count(count, by=keeper)
        client.force_login(keeper)
        body = client.get(reverse("procurement:stockcount_variances_print", args=[count.pk]))
        body = body.content.decode()
        assert "灯泡" in body and "扳手" not in body  # only the lines with a variance
        assert "-¥5.00" in body or "¥-5.00" in body
        assert "负伍元整" in body
        detail = client.get(count.get_absolute_url()).content.decode()
        assert reverse("procurement:stockcount_variances_print", args=[count.pk]) in detail

    def test_another_property_and_no_permission(self, client, home, count):
        client.force_login(UserFactory(groups=["stores"], properties=[PropertyFactory()]))
        assert client.get(url("stockcount", count)).status_code == 404
        assert client.get(url("stockcount_variances", count)).status_code == 404
        client.force_login(UserFactory(groups=["guard"], properties=[home]))
        assert client.get(url("stockcount", count)).status_code == 403
