"""Issue 12: a record named on another's page, or in a message, is a link to its own page
when the reader may open it, else its plain (escaped) text."""

import re
import uuid
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.links import linked_message, record_link
from procurement import services
from procurement.models import PurchaseOrder
from tests.factories import UserFactory
from tests.procurement.factories import ItemFactory, StoreroomFactory, SupplierFactory
from tests.procurement.test_sourcing import placed, quote, sent_rfq

pytestmark = pytest.mark.django_db


def received(keeper, lines=1):
    order, order_lines = placed(
        keeper, [(ItemFactory(name=f"灯管{n}"), 10, "12.00") for n in range(lines)]
    )
    receipt, _created = services.receive(
        order, dict.fromkeys(order_lines, (10, 10, "")), by=keeper, token=uuid.uuid4()
    )
    return order, receipt


def test_a_receipt_links_its_order_and_items(client):
    keeper = UserFactory(groups=["stores"])
    order, receipt = received(keeper)
    keeper.properties.add(order.storeroom.property)
    client.force_login(keeper)
    page = client.get(receipt.get_absolute_url()).content.decode()
    assert f'<a href="{order.get_absolute_url()}">{order}</a>' in page
    item = order.lines.get().item
    assert f'<a href="{item.get_absolute_url()}">{item}</a>' in page


def test_without_the_permission_the_reference_is_text(client):
    keeper = UserFactory(groups=["stores"])
    order, receipt = received(keeper)
    clerk = UserFactory(
        perms=["procurement.view_goodsreceipt"], properties=[order.storeroom.property]
    )
    client.force_login(clerk)
    response = client.get(receipt.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert str(order) in page
    assert order.get_absolute_url() not in page
    assert order.lines.get().item.get_absolute_url() not in page


def test_links_cost_no_query_per_line(client):
    keeper = UserFactory(groups=["stores"])
    client.force_login(keeper)

    def queries(lines):
        order, receipt = received(keeper, lines)
        keeper.properties.add(order.storeroom.property)
        client.get(receipt.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            page = client.get(receipt.get_absolute_url()).content.decode()
        assert len(re.findall(r'href="/procurement/items/\d+/"', page)) == lines
        return len(captured)

    assert queries(1) == queries(4)


def test_record_link_escapes_and_falls_back_to_text():
    keeper = UserFactory(groups=["stores"])
    supplier = SupplierFactory(name="<b>恶意</b>")
    nobody = UserFactory()
    assert record_link(supplier, keeper) == (
        f'<a href="{supplier.get_absolute_url()}">&lt;b&gt;恶意&lt;/b&gt;</a>'
    )
    assert record_link(supplier, nobody) == "&lt;b&gt;恶意&lt;/b&gt;"
    assert record_link(None, keeper) == "—"
    message = linked_message("<%(supplier)s> %(note)s", nobody, supplier=supplier, note="<i>")
    assert message == "&lt;&lt;b&gt;恶意&lt;/b&gt;&gt; &lt;i&gt;"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Awarded: {order} drafted for {supplier}."),
        ("zh-hans", "已定标：已为{supplier}生成采购订单草稿{order}。"),
    ],
)
def test_the_award_message_links_the_order(client, settings, language, message):
    settings.PROCUREMENT_MIN_QUOTES = 2
    keeper = UserFactory(groups=["stores"], language=language)
    rfq, (first, second) = sent_rfq(keeper, suppliers=2)
    keeper.properties.add(rfq.property)
    cheapest = quote(rfq, first, "18.00", "5.00", by=keeper)
    quote(rfq, second, "19.00", "5.00", by=keeper)
    room = StoreroomFactory(property=rfq.property)
    client.force_login(keeper)
    response = client.post(
        f"/procurement/rfqs/{rfq.pk}/award/",
        {"quotation": cheapest.pk, "storeroom": room.pk, "reason": ""},
        follow=True,
    )
    order = PurchaseOrder.objects.get()
    assert order.supplier == first
    page = response.content.decode()
    link = f'<a href="{order.get_absolute_url()}">{order}</a>'
    supplier = f'<a href="{first.get_absolute_url()}">{first}</a>'
    assert message.format(order=link, supplier=supplier) in page


@pytest.mark.parametrize("may_view", [True, False])
def test_a_fault_report_names_its_work_order(client, property_a, may_view):
    from facilities.models import WorkOrder
    from tests.facilities.factories import EquipmentFactory

    equipment = EquipmentFactory(property=property_a)
    perms = ["facilities.report_fault", "facilities.view_equipment"]
    if may_view:
        perms.append("facilities.view_workorder")
    client.force_login(UserFactory(perms=perms, properties=[property_a]))
    response = client.post(
        "/facilities/report-fault/",
        {"equipment": equipment.pk, "description": "漏水", "priority": "normal"},
        follow=True,
    )
    order = WorkOrder.objects.get()
    page = response.content.decode()
    link = f'<a href="{order.get_absolute_url()}">{order.number}</a>'
    if may_view:
        assert f"Fault reported: work order {link} is open." in page
    else:
        assert f"Fault reported: work order {order.number} is open." in page
        assert link not in page
