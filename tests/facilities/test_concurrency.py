"""Concurrency on PostgreSQL: work-order numbers are never given twice, two generator runs
open each preventive order and each round once, and a failed step's follow-up is opened
once however many people click at the same moment."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from facilities import services
from facilities.models import (
    ChecklistResult,
    InspectionCheck,
    InspectionPoint,
    InspectionRoute,
    WorkOrder,
)
from tests.factories import PropertyFactory, UserFactory

from .factories import EquipmentFactory, MaintenancePlanFactory

pytestmark = pytest.mark.django_db(transaction=True)
DAY = datetime.date(2026, 11, 24)


def require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (CI)")


def race(count, act):
    """Run ``act`` in ``count`` threads released together; returns their outcomes."""
    barrier, outcomes = threading.Barrier(count), []

    def attempt():
        try:
            barrier.wait()
            outcomes.append(act())
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_orders_get_distinct_consecutive_numbers():
    require_postgresql()
    equipment = EquipmentFactory()
    user = UserFactory()

    outcomes = race(
        6, lambda: services.open_work_order(title="漏水", by=user, equipment=equipment).number
    )

    year = timezone.localdate().year
    assert sorted(outcomes) == [f"WO-{year}-{n:06d}" for n in range(1, 7)]
    assert WorkOrder.objects.count() == 6


def test_two_generator_runs_at_once_open_each_order_and_round_once():
    require_postgresql()
    plans = [MaintenancePlanFactory(starts_on=DAY, unit="days", interval=1) for _ in range(3)]
    property_ = PropertyFactory()
    route = InspectionRoute.objects.create(
        property=property_, name="日巡", unit="days", interval=1, starts_on=DAY, next_due=DAY
    )
    point = InspectionPoint.objects.create(route=route, name="泵")
    InspectionCheck.objects.create(point=point, text="压力", kind="number")
    later = DAY + datetime.timedelta(days=4)

    def both():
        return (
            len(services.generate_due_work_orders(later)),
            len(services.generate_due_rounds(later)),
        )

    outcomes = race(2, both)

    assert sum(orders for orders, _rounds in outcomes) == 3 * 5
    assert sum(rounds for _orders, rounds in outcomes) == 5
    for plan in plans:
        days = list(plan.work_orders.values_list("due_on", flat=True))
        assert sorted(days) == [DAY + datetime.timedelta(days=n) for n in range(5)]
    assert route.rounds.count() == 5


def test_a_failed_step_opens_one_follow_up_however_many_click():
    require_postgresql()
    plan = MaintenancePlanFactory(starts_on=DAY)
    plan.items.create(text="制动器", kind="check")
    [order] = services.generate_due_work_orders(DAY)
    user = UserFactory()
    services.start(order, by=user)
    result = ChecklistResult.objects.get(work_order=order)
    services.record_checklist(order, {result.pk: {"checked_ok": False}}, by=user)

    outcomes = race(3, lambda: services.open_follow_up(result, by=user).number)

    assert sorted(outcomes, key=str).count("refused") == 2
    assert WorkOrder.objects.filter(parent=order).count() == 1
