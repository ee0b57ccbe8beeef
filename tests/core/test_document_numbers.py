"""Printed documents write quantities as the pages do (``core.numbers``): grouped by thousands,
no trailing zeros ("16", never "16.000"; "12,345.5", never "12345.500")."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from facilities import services as facilities_services
from facilities.models import WorkOrderKind
from procurement import services
from procurement.models import MovementKind, PurchaseOrderLine, StockIssueLine
from tests.facilities.factories import EquipmentFactory
from tests.factories import PropertyFactory, UserFactory
from tests.procurement.factories import (
    ItemFactory,
    PurchaseOrderFactory,
    StockIssueFactory,
    StoreroomFactory,
)
from tests.staff.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def printed(client, user, name, obj):
    client.force_login(user)
    response = client.get(reverse(name, args=[obj.pk]))
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    lines = body[body.index("<tbody") : body.rindex("</tbody>")]
    return body, lines


def test_procurement_documents_write_quantities_as_the_pages_do(client):
    home = PropertyFactory()
    keeper = UserFactory(groups=["stores"], properties=[home])
    room = StoreroomFactory(property=home)
    order = PurchaseOrderFactory(storeroom=room)
    for name, quantity in (("灯管", "12345.500"), ("密封圈", "16.000")):
        PurchaseOrderLine.objects.create(
            order=order, item=ItemFactory(name=name), quantity=quantity, unit_price="1.00"
        )
    _body, lines = printed(client, keeper, "procurement:purchaseorder_print", order)
    assert '<td class="num">12,345.5</td>' in lines and '<td class="num">16</td>' in lines
    assert "12345.5" not in lines and "16.000" not in lines

    issue = StockIssueFactory(storeroom=room)
    StockIssueLine.objects.create(issue=issue, item=ItemFactory(), quantity=Decimal("2500.250"))
    _body, lines = printed(client, keeper, "procurement:stockissue_print", issue)
    assert "2,500.25" in lines and "2500.250" not in lines


def test_the_work_order_document_writes_parts_and_hours_as_the_pages_do(client):
    home = PropertyFactory()
    technician = UserFactory(groups=["technician"], properties=[home])
    EmployeeFactory(property=home, user=technician)
    room = StoreroomFactory(property=home)
    item = ItemFactory(name="密封圈")
    keeper = UserFactory(groups=["stores"])
    services.post_movement(item, room, 20000, MovementKind.OPENING, by=keeper, unit_cost=1)
    order = facilities_services.open_work_order(
        title="水泵保养",
        by=None,
        equipment=EquipmentFactory(property=home),
        kind=WorkOrderKind.REPAIR,
    )
    facilities_services.start(order, by=technician)
    facilities_services.use_parts(order, room, {item: Decimal("12345.5")}, by=technician)
    facilities_services.complete(
        order, resolution="更换密封圈", labour_hours=Decimal("2.50"), by=technician
    )
    order.refresh_from_db()
    assert order.completed_at is not None, order.status
    body, _lines = printed(client, technician, "facilities:workorder_print", order)
    assert "12,345.5" in body and "12345.5" not in body
    assert "更换密封圈" in body  # the work done, read from the order itself
    hours = body[body.index("Labour hours") :]
    assert hours[: hours.index("</dd>")].endswith(">2.5")
