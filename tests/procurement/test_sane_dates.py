"""Dates typed into the stores' forms stay within 2000–2099 (supplier documents, records of
the past, from 1950): year 1 and 9999 are form errors, never a 500, and nothing is saved."""

import uuid
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from procurement import services
from procurement.models import (
    GoodsReceipt,
    PurchaseOrder,
    Quotation,
    RequestForQuotation,
    ReturnStatus,
    Supplier,
    SupplierReturn,
)
from tests.factories import UserFactory

from .factories import ItemFactory, StoreroomFactory, SupplierFactory
from .test_orders import placed
from .test_planning import approved
from .test_sourcing import quote, sent_rfq
from .test_suppliers import DOCS, credit_code

pytestmark = pytest.mark.django_db

FAR = ("0001-01-01", "9999-12-31")


@pytest.fixture
def keeper(property_a):
    return UserFactory(groups=["stores"], properties=[property_a])


def refused(response, field):
    assert response.status_code == HTTPStatus.OK
    assert field in response.context["form"].errors, response.context["form"].errors


def test_a_receipt_far_in_time_is_refused(client, keeper, property_a):
    order, line = placed(keeper, storeroom=StoreroomFactory(property=property_a))
    client.force_login(keeper)
    url = f"/procurement/orders/{order.pk}/receive/"
    for far in FAR:
        data = {
            "received_on": far,
            "token": uuid.uuid4(),
            f"received_{line.pk}": "4",
            f"accepted_{line.pk}": "4",
        }
        refused(client.post(url, data), "received_on")
    assert not GoodsReceipt.objects.exists()


def test_an_order_or_a_request_for_quotes_far_in_time_is_refused(client, keeper, property_a):
    req = approved(property_a, (ItemFactory(), 2, "10.00"), by=UserFactory(), approver=keeper)
    room = StoreroomFactory(property=property_a)
    client.force_login(keeper)
    for far in FAR:
        refused(
            client.post(
                f"/procurement/requisitions/{req.pk}/order/",
                {"supplier": SupplierFactory().pk, "storeroom": room.pk, "promised_on": far},
            ),
            "promised_on",
        )
        refused(
            client.post(f"/procurement/requisitions/{req.pk}/rfq/", {"reply_by": far}),
            "reply_by",
        )
    assert not PurchaseOrder.objects.exists() and not RequestForQuotation.objects.exists()


def test_a_quote_far_in_time_is_refused(client, keeper, property_a):
    rfq, (supplier, *_rest) = sent_rfq(keeper, property_=property_a)
    lamp, switch = rfq.lines.order_by("pk")
    client.force_login(keeper)
    good = {
        "supplier": supplier.pk,
        "received_on": timezone.localdate().isoformat(),
        "lead_days": "5",
        f"price_{lamp.pk}": "19.00",
        f"price_{switch.pk}": "5.00",
    }
    for field in ("received_on", "valid_until"):
        for far in FAR:
            refused(client.post(f"/procurement/rfqs/{rfq.pk}/quote/", {**good, field: far}), field)
    assert not Quotation.objects.exists()


def test_goods_returned_far_in_time_are_refused(client, keeper, property_a):
    order, line = placed(keeper, storeroom=StoreroomFactory(property=property_a))
    services.receive(order, {line: (2, 1, "坏")}, by=keeper, token=uuid.uuid4())
    supplier_return = SupplierReturn.objects.get()
    client.force_login(keeper)
    for far in FAR:
        response = client.post(
            f"/procurement/returns/{supplier_return.pk}/returned/", {"returned_on": far}
        )
        assert response.status_code == HTTPStatus.FOUND  # back to the page, with the error
        errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        assert "Returned on: Choose a date between 2000-01-01 and 2099-12-31." in errors
    supplier_return.refresh_from_db()
    assert supplier_return.status == ReturnStatus.PENDING


@pytest.mark.parametrize("field", ["issued_on", "expires_on"])
@pytest.mark.parametrize("far", [*FAR, "1949-12-31"])
def test_a_supplier_document_far_in_time_is_refused(client, keeper, field, far):
    client.force_login(keeper)
    data = {
        "name": "新供应商",
        "credit_code": credit_code(4242),
        "status": "candidate",
        **DOCS,
        "documents-0-kind": "licence",
        "documents-0-issued_on": "1998-06-01",  # an old licence is a real record
        f"documents-0-{field}": far,
    }
    response = client.post("/procurement/suppliers/new/", data)
    assert response.status_code == HTTPStatus.OK
    assert field in response.context["lines"].forms[0].errors
    assert not Supplier.objects.exists()


def test_quotes_still_go_through_within_the_window(keeper, property_a):
    rfq, (supplier, *_rest) = sent_rfq(keeper, property_=property_a)
    assert quote(rfq, supplier, "19.00", "5.00", by=keeper).total == Decimal("210.00")
