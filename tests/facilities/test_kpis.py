"""The facilities figures against hand-computed cases, and the figures and calendar pages."""

import datetime
import itertools
from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from facilities import kpis
from facilities.models import Downtime, WorkOrder
from tests.factories import PropertyFactory, UserFactory

from .factories import EquipmentCategoryFactory, EquipmentFactory, MaintenancePlanFactory

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime.datetime(2026, 3, 1))
END = START + timedelta(days=10)  # 240 hours
NOW = END + timedelta(days=5)


def at(hours):
    return START + timedelta(hours=hours)


def order(
    equipment,
    *,
    kind="repair",
    status="closed",
    created,
    completed=None,
    resolve_by,
    rework=0,
    parts="0",
    external="0",
    due_on=None,
):
    made = WorkOrder.objects.create(
        number=f"WO-2026-{WorkOrder.objects.count() + 1:06d}",
        property=equipment.property,
        equipment=equipment,
        title="x",
        kind=kind,
        status=status,
        resolve_by=resolve_by,
        completed_at=completed,
        rework_count=rework,
        parts_cost=Decimal(parts),
        external_cost=Decimal(external),
        due_on=due_on,
        rating=4 if status in ("verified", "closed") else None,
        cancel_reason="no" if status == "cancelled" else "",
    )
    WorkOrder.objects.filter(pk=made.pk).update(created_at=created)
    return made


@pytest.fixture
def plant():
    property_ = PropertyFactory()
    lifts = EquipmentCategoryFactory(code="elevator")
    one = EquipmentFactory(property=property_, category=lifts)
    two = EquipmentFactory(property=property_, category=lifts)
    return property_, one, two


def test_headline_figures_match_a_hand_computed_case(plant):
    _property, one, two = plant
    # Preventive: due in the period → on time, late, never done; one not yet due, one cancelled.
    order(one, kind="preventive", created=at(0), completed=at(20), resolve_by=at(24))
    order(one, kind="preventive", created=at(0), completed=at(60), resolve_by=at(48))
    order(two, kind="preventive", status="assigned", created=at(0), resolve_by=at(72))
    order(two, kind="preventive", status="assigned", created=at(0), resolve_by=NOW + timedelta(1))
    order(two, kind="preventive", status="cancelled", created=at(0), resolve_by=at(30))
    # Repairs: one in time (2 h, never sent back), one late (4 h, sent back once).
    order(one, created=at(100), completed=at(102), resolve_by=at(104), parts="150.50")
    order(two, created=at(110), completed=at(114), resolve_by=at(112), rework=1, external="300")
    # Completed after the period: not counted in its rates.
    order(two, created=at(230), completed=END + timedelta(hours=1), resolve_by=END)

    f = kpis.figures(WorkOrder.objects.all(), START, END, now=NOW)

    assert (f.preventive_on_time, f.preventive_due) == (1, 3)
    assert f.preventive_rate == Decimal("33.3")
    assert (f.repairs_in_time, f.repairs_done) == (1, 2)
    assert f.timeliness == Decimal("50.0")
    assert f.first_time_fix == Decimal("50.0")
    assert (f.reworked, f.done) == (1, 4)
    assert f.rework_rate == Decimal("25.0")
    assert f.mttr == timedelta(hours=3)
    assert f.mttr_hours == Decimal("3.0")
    assert f.cost == Decimal("450.50")
    assert f.open_by_priority["normal"] == 2


def test_no_orders_means_no_rate_rather_than_zero(plant):
    f = kpis.figures(WorkOrder.objects.none(), START, END, now=NOW)
    assert f.preventive_rate is None and f.timeliness is None and f.mttr_hours is None


def test_reliability_counts_failures_clipped_downtime_and_availability(plant):
    property_, one, two = plant
    order(one, created=at(10), completed=at(16), resolve_by=at(20), external="100")
    order(one, created=at(50), completed=at(52), resolve_by=at(60))
    # 6 h of failure inside the period, 3 h of one that began before it, planned stops ignored.
    Downtime.objects.create(equipment=one, reason="failure", started_at=at(10), ended_at=at(16))
    Downtime.objects.create(equipment=two, reason="failure", started_at=at(-5), ended_at=at(3))
    Downtime.objects.create(equipment=two, reason="planned", started_at=at(20), ended_at=at(25))

    [row] = kpis.reliability(
        property_.equipment.all(), WorkOrder.objects.all(), START, END, "category"
    )

    assert (row.equipment, row.failures) == (2, 2)
    assert row.downtime == timedelta(hours=9)
    assert row.mttr_hours == Decimal("4.0")
    # (2 × 240 − 9) / 2 failures
    assert row.mtbf_hours == Decimal("235.5")
    # (480 − 9) / 480
    assert row.availability == Decimal("98.1")
    assert row.cost == Decimal("100")


def test_downtime_still_going_counts_until_the_end_of_the_period(plant):
    _property, one, _two = plant
    Downtime.objects.create(equipment=one, reason="failure", started_at=at(200))
    assert kpis.downtime_between(Downtime.objects.all(), START, END) == timedelta(hours=40)
    assert kpis.downtime_between(Downtime.objects.all(), None, at(210)) == timedelta(hours=10)


def test_monthly_trend_counts_by_month(plant):
    _property, one, two = plant
    march, april = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)
    order(one, created=at(1), completed=at(5), resolve_by=at(8), external="10")
    order(one, created=at(24 * 35), completed=at(24 * 35 + 1), resolve_by=at(24 * 36))
    order(
        two,
        kind="preventive",
        created=at(0),
        completed=at(30),
        resolve_by=at(24),
        due_on=march,
    )

    rows = kpis.monthly_trend(WorkOrder.objects.all(), april, months=2, now=NOW + timedelta(60))

    assert [row["month"] for row in rows] == [march, april]
    assert (rows[0]["opened"], rows[0]["repairs"], rows[0]["completed"]) == (2, 1, 2)
    assert rows[0]["cost"] == Decimal("10")
    assert rows[0]["preventive_rate"] == Decimal("0.0")
    assert (rows[1]["opened"], rows[1]["completed"]) == (1, 1)
    assert rows[1]["preventive_rate"] is None


def test_figures_page_is_scoped_and_keeps_its_query_count(client, plant):
    property_, one, _two = plant
    other = PropertyFactory()
    hidden = EquipmentFactory(property=other, category=one.category)
    user = UserFactory(groups=["facilities_supervisor"], properties=[property_])
    client.force_login(user)
    now = timezone.now()
    order(
        one,
        created=now - timedelta(days=3),
        completed=now - timedelta(days=2),
        resolve_by=now,
        external="70",
    )
    order(
        hidden,
        created=now - timedelta(days=3),
        completed=now - timedelta(days=2),
        resolve_by=now,
        external="9000",
    )

    with CaptureQueriesContext(connection) as few:
        response = client.get("/facilities/figures/")
    assert response.status_code == HTTPStatus.OK
    assert response.context["figures"].cost == Decimal("70")
    assert [row.label for row in response.context["by_property"]] == [property_.name]
    for _n in range(10):
        extra = EquipmentFactory(
            property=property_, category=EquipmentCategoryFactory(code=f"c{_n}", name=f"类{_n}")
        )
        order(
            extra,
            created=now - timedelta(days=3),
            completed=now - timedelta(days=1),
            resolve_by=now,
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/facilities/figures/")
    assert len(many) == len(few)
    assert client.get("/facilities/figures/?months=zz&property=abc").status_code == HTTPStatus.OK


def test_calendar_shows_orders_and_planned_dates_of_the_month(client, plant):
    """The maintenance calendar is the site's calendar filtered on maintenance."""
    property_, one, _two = plant
    user = UserFactory(groups=["facilities_supervisor"], properties=[property_])
    client.force_login(user)
    today = timezone.localdate()
    plan = MaintenancePlanFactory(
        equipment=one, unit="days", interval=7, starts_on=today, next_due=today, title="周检"
    )
    hidden = MaintenancePlanFactory(
        equipment__property=PropertyFactory(), starts_on=today, next_due=today, title="别处"
    )

    old = client.get(f"/facilities/calendar/?month={today:%Y-%m}&category=1")
    assert old.status_code == HTTPStatus.FOUND
    assert old["Location"] == (f"/calendar/?area=facilities&group=maintenance&month={today:%Y-%m}")
    response = client.get(old["Location"])

    assert response.status_code == HTTPStatus.OK
    planned = [
        (cell.day, event.title)
        for week in response.context["weeks"]
        for cell in week
        for event in cell.events
        if event.kind == "Maintenance planned"
    ]
    assert (today, f"{one.asset_code} 周检") in planned
    assert all(hidden.title not in title for _day, title in planned)
    days = [day for day, title in planned if title.endswith("周检")]
    assert all((b - a).days == 7 for a, b in itertools.pairwise(days))
    assert all(event.group == "maintenance" for event in response.context["events"])
    assert plan.get_absolute_url() in response.content.decode()
    for junk in ("junk", "2026-13", "99999-1", ""):
        assert client.get(f"/facilities/calendar/?month={junk}").status_code == HTTPStatus.FOUND
        assert client.get(f"/calendar/?month={junk}").status_code == HTTPStatus.OK


def test_appraisal_measures_count_the_employees_completed_orders(plant):
    from staff.measures import measures_for
    from tests.staff.factories import EmployeeFactory

    property_, one, _two = plant
    employee = EmployeeFactory(property=property_)
    mine = [
        order(one, created=at(0), completed=at(2), resolve_by=at(4)),
        order(one, created=at(0), completed=at(9), resolve_by=at(4), rework=1),
    ]
    order(one, created=at(0), completed=at(2), resolve_by=at(4))  # someone else's
    WorkOrder.objects.filter(pk__in=[o.pk for o in mine]).update(
        assignee=employee, labour_hours=Decimal("1.5")
    )
    WorkOrder.objects.filter(pk=mine[1].pk).update(rating=2)

    found = {
        m.label: m.value
        for m in measures_for(employee, START.date(), END.date())
        if m.source == "facilities"
    }

    assert found["Work orders completed"] == 2
    assert found["Completed on time"] == Decimal("50.0")
    assert found["Sent back for rework"] == 1
    assert found["Average quality rating"] == 3.0
    assert found["Labour hours"] == Decimal("3.00")
