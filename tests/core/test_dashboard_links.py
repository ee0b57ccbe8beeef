"""Issue 12: a dashboard counter is a link to the list of exactly what it counts."""

import datetime
from http import HTTPStatus

import pytest
from django.utils import timezone, translation

from facilities.models import (
    EquipmentStatus,
    InspectionRound,
    InspectionRoute,
    Priority,
    RoundStatus,
    WorkOrderKind,
    WorkOrderStatus,
)
from procurement import services
from procurement.models import CountStatus, RequisitionLine, RequisitionStatus, StockBalance
from staff.models import EmployeeStatus, OpeningStatus, Stage
from tests.facilities.factories import EquipmentFactory, WorkOrderFactory
from tests.factories import UserFactory
from tests.procurement.factories import (
    ItemFactory,
    RequisitionFactory,
    StockLevelFactory,
    StoreroomFactory,
)
from tests.staff.factories import (
    ApplicationFactory,
    CertificateFactory,
    EmployeeFactory,
    JobOpeningFactory,
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


# Figures that are not a number of records (nothing to count on the list they open).
NOT_COUNTS = {"Stock value (¥)"}


def a_world_with_distractors(home, away):
    """Records for every dashboard counter, with near misses the counter leaves out (and a
    list opened without its filter would show)."""
    today = timezone.localdate()
    days = datetime.timedelta
    # Staff: current, on probation (ending soon, ending later), resigned; another property's.
    active = EmployeeFactory(property=home)
    EmployeeFactory(property=home, status=EmployeeStatus.PROBATION, probation_end=today + days(5))
    EmployeeFactory(property=home, status=EmployeeStatus.PROBATION, probation_end=today + days(60))
    resigned = EmployeeFactory(
        property=home, status=EmployeeStatus.RESIGNED, resigned_on=today - days(30)
    )
    EmployeeFactory(property=away)
    CertificateFactory(employee=active, expires_on=today + days(10))
    CertificateFactory(employee=active, expires_on=today - days(3))
    CertificateFactory(employee=active)  # valid for years
    CertificateFactory(employee=resigned, expires_on=today - days(3))
    CertificateFactory(employee=resigned, expires_on=today + days(10))
    opening = JobOpeningFactory(property=home)
    closed = JobOpeningFactory(property=home, status=OpeningStatus.CLOSED)
    ApplicationFactory(opening=opening)
    ApplicationFactory(opening=opening, stage=Stage.REJECTED, closed_reason="不合适")
    ApplicationFactory(opening=closed)
    # Procurement: one item in stock, one at zero; one level below its minimum.
    room = StoreroomFactory(property=home)
    StockBalance.objects.create(item=ItemFactory(), storeroom=room, quantity=4, value=40)
    StockBalance.objects.create(item=ItemFactory(), storeroom=room, quantity=0, value=0)
    StockLevelFactory(storeroom=room)
    requester = UserFactory(groups=["facilities_supervisor"], properties=[home])
    waiting = RequisitionFactory(property=home, requested_by=requester)
    RequisitionLine.objects.create(
        requisition=waiting, item=ItemFactory(), quantity=1, estimated_price=3
    )
    services.submit_requisition(waiting, by=requester)
    RequisitionFactory(property=home, requested_by=requester)  # a draft
    services.open_count(room, by=UserFactory(groups=["stores"], properties=[home]))
    # Facilities: equipment in every state, certificates expiring on used and retired ones.
    EquipmentFactory(property=home, certificate_expires_on=today + days(10))
    EquipmentFactory(property=home, status=EquipmentStatus.FAULTY)
    EquipmentFactory(property=home, status=EquipmentStatus.STOPPED)
    EquipmentFactory(property=home, status=EquipmentStatus.MAINTENANCE)
    EquipmentFactory(
        property=home, status=EquipmentStatus.RETIRED, certificate_expires_on=today + days(10)
    )
    EquipmentFactory(property=home, warranty_ends_on=today + days(10))
    preventive = {"property": home, "kind": WorkOrderKind.PREVENTIVE}
    cancelled = {"status": WorkOrderStatus.CANCELLED, "cancel_reason": "重复"}
    WorkOrderFactory(**preventive, due_on=today + days(3))
    WorkOrderFactory(**preventive, due_on=today + days(20))
    WorkOrderFactory(**preventive, due_on=today, **cancelled)
    WorkOrderFactory(property=home, priority=Priority.URGENT)
    WorkOrderFactory(property=home, priority=Priority.URGENT, **cancelled)
    WorkOrderFactory(property=home, resolve_by=timezone.now() - days(1))
    for n, (due, status) in enumerate(
        (
            (today, RoundStatus.OPEN),
            (today, RoundStatus.OPEN),
            (today, RoundStatus.DONE),
            (today + days(1), RoundStatus.OPEN),
            (today - days(1), RoundStatus.OPEN),
            (today - days(12), RoundStatus.OPEN),
        )
    ):
        route = InspectionRoute.objects.create(
            property=home, name=f"日巡{n}", unit="days", interval=1, starts_on=today, next_due=today
        )
        done_at = timezone.now() if status == RoundStatus.DONE else None
        InspectionRound.objects.create(route=route, due_on=due, status=status, completed_at=done_at)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_counter_opens_a_list_of_as_many(client, property_a, property_b, language):
    a_world_with_distractors(property_a, property_b)
    a_world_with_distractors(property_b, property_a)  # another property's: never counted
    user = UserFactory(
        groups=["hr", "stores", "facilities_supervisor"],
        properties=[property_a],
        language=language,
    )
    client.force_login(user)
    response = client.get("/")
    page = response.content.decode()
    checked = set()
    for tile in response.context["tiles"]:
        for stat in tile["stats"]:
            with translation.override("en"):
                label = str(stat.label)
            if label in NOT_COUNTS:
                continue
            assert stat.url, label
            assert f'href="{stat.url.replace("&", "&amp;")}"' in page, label
            assert stat.value > 0, label  # the world has something for every counter
            assert listed(client, stat.url) == stat.value, label
            checked.add(label)
    assert {
        "Employees",
        "On probation",
        "Probation ending in 14 days",
        "Certificates expiring in 30 days",
        "Expired certificates",
        "Open job openings",
        "Candidates in the pipeline",
        "Items in stock",
        "Below minimum",
        "Equipment in use",
        "Faulty or stopped",
        "Certificates expiring",
        "Open work orders",
        "Urgent",
        "Past resolution target",
        "Maintenance due this week",
        "Rounds to walk today",
        "Rounds not done (7 days)",
    } <= checked
