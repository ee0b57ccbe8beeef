"""core.recurrence: the series arithmetic, and the one generator every app uses (facilities'
orders and rounds, procurement's counts): idempotent, catching up, isolated, batched."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.recurrence import FrequencyUnit, Generator, Recurrence, weekday_mask
from facilities.models import InspectionRound, WorkOrder
from facilities.services import inspections, planning
from procurement.models import StockCount
from procurement.services import counting
from tests.facilities.factories import (
    ChecklistItemFactory,
    EquipmentFactory,
    MaintenancePlanFactory,
)
from tests.factories import PropertyFactory
from tests.procurement.factories import StoreroomFactory

D = datetime.date


@pytest.mark.parametrize(
    ("rule", "anchor", "expected"),
    [
        (Recurrence(FrequencyUnit.MONTHS, 1), D(2026, 1, 31), ["2026-02-28", "2026-03-31"]),
        (Recurrence(FrequencyUnit.MONTHS, 3), D(2025, 11, 30), ["2026-02-28", "2026-05-30"]),
        (Recurrence(FrequencyUnit.YEARS, 1), D(2024, 2, 29), ["2025-02-28", "2026-02-28"]),
        (Recurrence(FrequencyUnit.DAYS, 10), D(2026, 2, 20), ["2026-03-02", "2026-03-12"]),
        # Mondays and Thursdays every other week, anchored on a Wednesday.
        (
            Recurrence(FrequencyUnit.WEEKDAYS, 2, weekday_mask([0, 3])),
            D(2026, 3, 4),
            ["2026-03-16", "2026-03-19"],
        ),
    ],
)
def test_each_date_is_computed_from_the_anchor(rule, anchor, expected):
    first = rule.first_on_or_after(anchor, anchor)
    second = rule.following(anchor, first)
    third = rule.following(anchor, second)
    assert [second.isoformat(), third.isoformat()] == expected


def test_the_dates_in_a_window_and_after_a_completion():
    monthly = Recurrence(FrequencyUnit.MONTHS, 1)
    assert list(monthly.dates(D(2026, 1, 31), D(2026, 2, 1), D(2026, 4, 30))) == [
        D(2026, 2, 28),
        D(2026, 3, 31),
        D(2026, 4, 30),
    ]
    assert monthly.after_completion(D(2026, 5, 3)) == D(2026, 6, 3)
    assert str(Recurrence(FrequencyUnit.WEEKS, 2).describe()) == "Every 2 weeks"


class _Fails(Generator):
    """A generator over plans whose second source breaks while creating."""

    name = "test records"

    def __init__(self, pks, broken):
        self.pks, self.broken = pks, broken

    def due_sources(self, day):
        return self.pks

    def lock(self, pk):
        return planning.PreventiveOrders().lock(pk)

    def existing(self, source, dates):
        return set()

    def create(self, source, dates):
        if source.pk == self.broken:
            raise RuntimeError("bad data")
        return [(source.pk, d) for d in dates]


@pytest.mark.django_db
def test_a_source_that_fails_is_rolled_back_and_the_others_still_run(caplog):
    first = MaintenancePlanFactory(starts_on=D(2026, 3, 1))
    broken = MaintenancePlanFactory(starts_on=D(2026, 3, 1))
    made = _Fails([first.pk, broken.pk], broken.pk).run(D(2026, 3, 1))
    assert made == [(first.pk, D(2026, 3, 1))]
    broken.refresh_from_db()
    first.refresh_from_db()
    assert broken.next_due == D(2026, 3, 1)  # its transaction was rolled back
    assert first.next_due == D(2026, 4, 1)
    assert "bad data" in caplog.text


def _catch_up(plans, day):
    with CaptureQueriesContext(connection) as queries:
        made = planning.generate_due_work_orders(day)
    return made, len(queries)


@pytest.mark.django_db
def test_catching_up_costs_queries_per_plan_not_per_order():
    """A 14-day catch-up of daily plans: the query count depends on the plans only."""
    start = D(2026, 3, 1)
    property_ = PropertyFactory()

    def daily_plans(n):
        plans = [
            MaintenancePlanFactory(
                equipment=EquipmentFactory(property=property_),
                unit=FrequencyUnit.DAYS,
                starts_on=start,
            )
            for _ in range(n)
        ]
        for plan in plans:
            ChecklistItemFactory(plan=plan)
            ChecklistItemFactory(plan=plan)
        return plans

    few = daily_plans(2)
    made, two_days = _catch_up(few, start + datetime.timedelta(days=1))
    assert len(made) == 4
    made, fourteen_days = _catch_up(few, start + datetime.timedelta(days=15))
    assert len(made) == 2 * 14
    assert fourteen_days <= two_days  # 14 dates per plan cost no more than 2 did
    WorkOrder.objects.all().delete()
    many = daily_plans(6)
    made, many_plans = _catch_up(many, start + datetime.timedelta(days=15))
    assert len(made) == 6 * 16  # 1 to 16 March, each plan
    per_plan = (many_plans - fourteen_days) / 4
    assert per_plan <= 25, f"{per_plan} queries per plan"  # ~19: lock, numbers, inserts
    # Every order got its checklist, its history and its timeline.
    order = WorkOrder.objects.filter(plan=many[0]).order_by("due_on").last()
    assert order.results.count() == 2
    assert order.history.count() == 1
    assert order.events.count() == 1
    numbers = list(WorkOrder.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))


@pytest.mark.django_db
def test_rounds_and_counts_run_on_the_same_generator():
    assert issubclass(inspections.DueRounds, Generator)
    assert issubclass(counting.DueCounts, Generator)
    room = StoreroomFactory(count_every_months=1, next_count_on=D(2026, 1, 31))
    room.count_anchor = D(2026, 1, 31)
    room.save()
    [count] = counting.DueCounts().generate(room.pk, D(2026, 1, 31))
    assert count.scheduled_for == D(2026, 1, 31)
    room.refresh_from_db()
    assert room.next_count_on == D(2026, 2, 28)
    # While that count is open the room waits; once it is gone the next one opens.
    assert counting.DueCounts().generate(room.pk, D(2026, 2, 28)) == []
    StockCount.objects.all().delete()
    counting.DueCounts().generate(room.pk, D(2026, 2, 28))
    room.refresh_from_db()
    # Anchored on the 31st, the series comes back to the 31st after February.
    assert room.next_count_on == D(2026, 3, 31)
    assert not InspectionRound.objects.exists()


@pytest.mark.django_db
def test_a_next_count_typed_off_the_series_starts_a_new_one():
    room = StoreroomFactory(count_every_months=1, next_count_on=D(2026, 1, 31))
    room.full_clean()
    assert room.count_anchor == D(2026, 1, 31)
    room.next_count_on = D(2026, 3, 31)  # on the series: the anchor stays
    room.full_clean()
    assert room.count_anchor == D(2026, 1, 31)
    room.next_count_on = D(2026, 3, 15)
    room.full_clean()
    assert room.count_anchor == D(2026, 3, 15)
