"""Issue 12: a dashboard counter is a link to the list of exactly what it counts."""

from http import HTTPStatus

import pytest

from procurement import services
from procurement.models import CountStatus, RequisitionLine, RequisitionStatus
from tests.factories import UserFactory
from tests.procurement.factories import (
    ItemFactory,
    RequisitionFactory,
    StockLevelFactory,
    StoreroomFactory,
)

pytestmark = pytest.mark.django_db


def listed(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return response.context["table"].page.paginator.count


def test_procurement_counters_open_the_lists_they_count(client, property_a, property_b):
    room, far = StoreroomFactory(property=property_a), StoreroomFactory(property=property_b)
    for _n in range(3):  # nothing in stock, minimum 5: below
        StockLevelFactory(storeroom=room)
    StockLevelFactory(storeroom=far)  # another property's: neither counted nor listed
    stores = UserFactory(groups=["stores"], properties=[property_a], language="zh-hans")
    requester = UserFactory(groups=["facilities_supervisor"], properties=[property_a])
    waiting = RequisitionFactory(property=property_a, requested_by=requester)
    RequisitionLine.objects.create(
        requisition=waiting, item=ItemFactory(), quantity=1, estimated_price=3
    )
    services.submit_requisition(waiting, by=requester)
    RequisitionFactory(property=property_a, requested_by=requester)  # a draft: not counted
    open_count = services.open_count(room, by=stores)
    assert open_count.status == CountStatus.OPEN
    client.force_login(stores)
    response = client.get("/")
    page = response.content.decode()
    (tile,) = [t for t in response.context["tiles"] if t["area"].app_label == "procurement"]
    stats = {str(stat.label): stat for stat in tile["stats"]}
    expected = {"低于最低库存": 3, "待审批请购单": 1, "进行中的盘点": 1}
    for label, value in expected.items():
        stat = stats[label]
        assert stat.value == value, label
        assert f'href="{stat.url.replace("&", "&amp;")}"' in page, label
        assert listed(client, stat.url) == value, label
    assert RequisitionStatus.SUBMITTED in stats["待审批请购单"].url
