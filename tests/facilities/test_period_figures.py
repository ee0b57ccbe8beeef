"""Facilities' figures of one property's month (period_figures), against a hand-made month:
March 2026 (31 days, 744 hours) with two pieces of equipment."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.registry import PERIOD_FIGURES, collect
from facilities.models import Downtime
from facilities.period import month_figures
from tests.factories import PropertyFactory

from .factories import EquipmentFactory, WorkOrderFactory

pytestmark = pytest.mark.django_db
MARCH = timezone.make_aware(datetime.datetime(2026, 3, 1))


def at(day, hours=0):
    return MARCH + timedelta(days=day - 1, hours=hours)


def made(equipment, *, created, **fields):
    order = WorkOrderFactory(property=equipment.property, equipment=equipment, **fields)
    type(order).objects.filter(pk=order.pk).update(created_at=created)
    return order


@pytest.fixture
def march():
    home, other = PropertyFactory(), PropertyFactory()
    a, b = EquipmentFactory(property=home), EquipmentFactory(property=home)
    # Repair in time (10 h), never sent back; parts 100 and a contractor's 50.
    made(
        a,
        created=at(3),
        resolve_by=at(4),
        status="closed",
        rating=5,
        completed_at=at(3, 10),
        parts_cost=Decimal("100"),
        external_cost=Decimal("50"),
    )
    # Repair late (30 h against 24), sent back once; parts 30.
    made(
        b,
        created=at(5),
        resolve_by=at(6),
        status="completed",
        completed_at=at(6, 6),
        rework_count=1,
        parts_cost=Decimal("30"),
    )
    # Preventive done on its day; preventive still open after its day.
    made(
        a,
        created=at(8),
        kind="preventive",
        due_on=datetime.date(2026, 3, 10),
        resolve_by=at(11),
        status="completed",
        completed_at=at(10, 12),
    )
    made(
        b,
        created=at(9),
        kind="preventive",
        due_on=datetime.date(2026, 3, 12),
        resolve_by=at(13),
        status="assigned",
    )
    # A day of failure downtime on one piece; another property's order counts nowhere here.
    Downtime.objects.create(equipment=a, reason="failure", started_at=at(20), ended_at=at(21))
    made(
        EquipmentFactory(property=other),
        created=at(3),
        resolve_by=at(4),
        status="completed",
        completed_at=at(3, 1),
        parts_cost=Decimal("999"),
    )
    return home


def test_the_months_figures_by_hand(march):
    figures = {f.key: f for f in month_figures(march, datetime.date(2026, 3, 17))}
    values = {key: f.value for key, f in figures.items()}
    assert values == {
        "facilities.orders_completed": 3,
        "facilities.repairs_completed": 2,
        "facilities.preventive_on_time": Decimal("50.0"),  # 1 of 2 due
        "facilities.repair_timeliness": Decimal("50.0"),  # 1 of 2 repairs
        "facilities.first_time_fix": Decimal("50.0"),
        "facilities.rework_rate": Decimal("33.3"),  # 1 of 3 completed
        "facilities.mttr": Decimal("20.0"),  # (10 h + 30 h) / 2
        "facilities.mtbf": Decimal("732.0"),  # (2 × 744 h − 24 h) / 2 failures
        "facilities.availability": Decimal("98.4"),  # 1 − 24 / 1488
        "facilities.cost": Decimal("180.00"),
    }
    assert figures["facilities.cost"].unit == "¥" and figures["facilities.mttr"].unit == "h"


def test_an_empty_month_has_nothing_to_measure(march):
    values = {f.key: f.value for f in month_figures(march, datetime.date(2026, 5, 1))}
    assert values["facilities.orders_completed"] == 0
    assert values["facilities.preventive_on_time"] is None
    assert values["facilities.mttr"] is None


def test_it_is_declared_as_a_period_figures_hook(march):
    keys = {f.key for f in collect(PERIOD_FIGURES, march, datetime.date(2026, 3, 1))}
    assert "facilities.availability" in keys and "procurement.spend" in keys
