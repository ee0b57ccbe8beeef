"""Maintenance plans: the schedule arithmetic, plans from templates, and the daily
generation of preventive work orders (idempotent, with lead days, catching up after missed
runs, fixed against floating plans)."""

import datetime
import threading
from bisect import bisect_left, bisect_right
from decimal import Decimal
from itertools import islice
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from facilities import services
from facilities.models import (
    ChecklistKind,
    ChecklistResult,
    EquipmentStatus,
    FrequencyUnit,
    MaintenancePlan,
    PlanTemplateItem,
    ScheduleMode,
    WorkOrder,
    WorkOrderKind,
    WorkOrderSource,
    WorkOrderStatus,
)
from facilities.models.plans import weekday_mask, weekday_set
from facilities.services import planning
from facilities.services.work_orders import end_of
from facilities.tasks import generate_work_orders_task
from tests.factories import PropertyFactory, UserFactory
from tests.procurement.factories import SupplierFactory
from tests.staff.factories import EmployeeFactory

from .factories import (
    ChecklistItemFactory,
    EquipmentFactory,
    MaintenancePlanFactory,
    PlanTemplateFactory,
)

D = datetime.date
DAY = D(2026, 3, 10)  # a Tuesday
SHANGHAI = ZoneInfo("Asia/Shanghai")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def days(n):
    return datetime.timedelta(days=n)


def schedule(unit, interval=1, weekdays=()):
    """An unsaved plan: the schedule arithmetic needs no database."""
    return MaintenancePlan(unit=unit, interval=interval, weekdays=weekday_mask(weekdays))


def at(day, hour=6, minute=0):
    """A moment on ``day`` in Shanghai, for time travel."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def series(plan, anchor, count):
    """The first ``count`` dates of the series, walked with ``following``."""
    found = [plan.first_on_or_after(anchor, anchor)]
    while len(found) < count:
        found.append(plan.following(anchor, found[-1]))
    return found


def orders_of(plan):
    return list(WorkOrder.objects.filter(plan=plan).order_by("due_on"))


def due_dates(plan):
    return [order.due_on for order in orders_of(plan)]


# --- the schedule -----------------------------------------------------------------------------


class TestScheduleArithmetic:
    @pytest.mark.parametrize(
        ("unit", "interval", "dates"),
        [
            (FrequencyUnit.DAYS, 10, "2026-02-20 2026-03-02 2026-03-12"),
            (FrequencyUnit.DAYS, 1, "2026-12-30 2026-12-31 2027-01-01"),
            (FrequencyUnit.WEEKS, 2, "2026-03-02 2026-03-16 2026-03-30"),
            (FrequencyUnit.MONTHS, 3, "2025-11-30 2026-02-28 2026-05-30"),
            (FrequencyUnit.MONTHS, 6, "2026-08-31 2027-02-28 2027-08-31"),
            (FrequencyUnit.YEARS, 1, "2024-02-29 2025-02-28 2026-02-28"),
            (FrequencyUnit.YEARS, 2, "2026-07-01 2028-07-01 2030-07-01"),
        ],
    )
    def test_every_n_days_weeks_months_and_years(self, unit, interval, dates):
        anchor, *_ = expected = [D.fromisoformat(date) for date in dates.split()]
        plan = schedule(unit, interval)
        assert [plan.occurrence(anchor, k) for k in range(3)] == expected
        assert series(plan, anchor, 3) == expected

    def test_a_monthly_plan_anchored_on_the_31st_comes_back_to_the_31st(self):
        plan = schedule(FrequencyUnit.MONTHS)
        anchor = D(2026, 1, 31)
        assert series(plan, anchor, 6) == [
            D(2026, 1, 31),
            D(2026, 2, 28),
            D(2026, 3, 31),  # not the 28th: each date counts from the anchor
            D(2026, 4, 30),
            D(2026, 5, 31),
            D(2026, 6, 30),
        ]
        assert plan.occurrence(D(2028, 1, 31), 1) == D(2028, 2, 29)  # a leap year
        assert plan.following(anchor, D(2026, 2, 28)) == D(2026, 3, 31)
        assert plan.first_on_or_after(anchor, D(2026, 3, 1)) == D(2026, 3, 31)

    def test_a_yearly_plan_from_the_29th_of_february_returns_to_it_in_leap_years(self):
        plan = schedule(FrequencyUnit.YEARS)
        anchor = D(2024, 2, 29)
        assert plan.first_on_or_after(anchor, D(2027, 3, 1)) == D(2028, 2, 29)
        assert plan.following(anchor, D(2028, 2, 29)) == D(2029, 2, 28)

    def test_first_on_or_after_and_following_at_the_edges(self):
        plan = schedule(FrequencyUnit.WEEKS, 2)
        anchor = D(2026, 3, 2)
        # Before the anchor or on it: the anchor itself.
        assert plan.first_on_or_after(anchor, D(2020, 1, 1)) == anchor
        assert plan.first_on_or_after(anchor, anchor) == anchor
        # On a date of the series: that date; the day after: the next one.
        assert plan.first_on_or_after(anchor, D(2026, 3, 16)) == D(2026, 3, 16)
        assert plan.first_on_or_after(anchor, D(2026, 3, 17)) == D(2026, 3, 30)
        # Following is strictly after, even from a day between two dates.
        assert plan.following(anchor, anchor) == D(2026, 3, 16)
        assert plan.following(anchor, D(2026, 3, 15)) == D(2026, 3, 16)
        assert plan.following(anchor, D(2026, 3, 16)) == D(2026, 3, 30)
        assert plan.following(anchor, D(2026, 2, 1)) == anchor
        # Far from the anchor, the estimate of k still lands on the exact date.
        assert plan.first_on_or_after(anchor, D(2036, 3, 3)) == D(2036, 3, 3)

    @pytest.mark.parametrize(
        ("unit", "interval", "anchor"),
        [
            (FrequencyUnit.DAYS, 1, D(2026, 1, 1)),
            (FrequencyUnit.DAYS, 45, D(2026, 1, 5)),
            (FrequencyUnit.WEEKS, 3, D(2026, 1, 7)),
            (FrequencyUnit.MONTHS, 1, D(2026, 1, 31)),
            (FrequencyUnit.MONTHS, 1, D(2026, 1, 29)),
            (FrequencyUnit.MONTHS, 5, D(2025, 12, 30)),
            (FrequencyUnit.MONTHS, 12, D(2024, 2, 29)),
            (FrequencyUnit.YEARS, 1, D(2024, 2, 29)),
        ],
    )
    def test_first_on_or_after_is_the_earliest_date_of_the_series_not_before_the_day(
        self, unit, interval, anchor
    ):
        plan = schedule(unit, interval)
        dates = [plan.occurrence(anchor, k) for k in range(1200)]
        for offset in range(-3, 3 * 366):
            day = anchor + days(offset)
            assert plan.first_on_or_after(anchor, day) == dates[bisect_left(dates, day)], day
            assert plan.following(anchor, day) == dates[bisect_right(dates, day)], day

    def test_chosen_weekdays_every_week(self):
        plan = schedule(FrequencyUnit.WEEKDAYS, 1, [MON, THU])
        anchor = D(2026, 3, 4)  # a Wednesday: the series starts on the Thursday
        assert series(plan, anchor, 5) == [
            D(2026, 3, 5),
            D(2026, 3, 9),
            D(2026, 3, 12),
            D(2026, 3, 16),
            D(2026, 3, 19),
        ]
        assert plan.first_on_or_after(anchor, D(2026, 1, 1)) == D(2026, 3, 5)
        assert plan.first_on_or_after(anchor, D(2026, 3, 9)) == D(2026, 3, 9)
        assert plan.following(anchor, D(2026, 3, 9)) == D(2026, 3, 12)
        assert plan.following(anchor, D(2026, 3, 13)) == D(2026, 3, 16)

    def test_chosen_weekdays_every_other_week_count_weeks_from_the_anchors_week(self):
        plan = schedule(FrequencyUnit.WEEKDAYS, 2, [MON, FRI])
        anchor = D(2026, 3, 4)  # a Wednesday: its Monday has passed, its Friday has not
        assert series(plan, anchor, 5) == [
            D(2026, 3, 6),
            D(2026, 3, 16),  # the week of 9 March is skipped
            D(2026, 3, 20),
            D(2026, 3, 30),
            D(2026, 4, 3),
        ]
        assert plan.first_on_or_after(anchor, D(2026, 3, 9)) == D(2026, 3, 16)
        assert plan.following(anchor, D(2026, 3, 6)) == D(2026, 3, 16)

    @pytest.mark.parametrize(
        ("interval", "chosen", "anchor"),
        [
            (1, [SUN], D(2026, 3, 2)),
            (2, [TUE, SAT], D(2026, 3, 8)),
            (3, [MON, WED, FRI], D(2026, 3, 11)),
            (4, [MON, TUE, WED, THU, FRI, SAT, SUN], D(2026, 2, 27)),
        ],
    )
    def test_chosen_weekdays_match_a_day_by_day_reading_of_the_rule(self, interval, chosen, anchor):
        plan = schedule(FrequencyUnit.WEEKDAYS, interval, chosen)
        anchor_monday = anchor - days(anchor.weekday())

        def on_schedule(day):
            week = (day - anchor_monday).days // 7
            return day >= anchor and day.weekday() in chosen and week % interval == 0

        for offset in range(-5, 200):
            day = anchor + days(offset)
            expected = next(d for d in (day + days(n) for n in range(60)) if on_schedule(d))
            assert plan.first_on_or_after(anchor, day) == expected, day
            assert plan.following(anchor, day) > day

    def test_weekday_masks_round_trip(self):
        assert weekday_mask([MON, WED, SUN]) == 0b1000101
        assert weekday_set(0b1000101) == [MON, WED, SUN]
        assert weekday_set(weekday_mask(range(7))) == list(range(7))

    @pytest.mark.parametrize(
        ("fields", "constraint"),
        [
            ({"interval": 0}, "interval_range"),
            ({"interval": 367}, "interval_range"),
            ({"lead_days": 91}, "lead_days_range"),
            ({"unit": FrequencyUnit.WEEKDAYS, "weekdays": 0}, "weekdays_chosen"),
            ({"next_due": D(2026, 1, 9)}, "next_after_start"),
        ],
    )
    @pytest.mark.django_db
    def test_the_database_refuses_impossible_schedules(self, fields, constraint):
        with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
            MaintenancePlanFactory(**fields)


# --- generation -------------------------------------------------------------------------------


@pytest.mark.django_db
class TestGeneration:
    def test_one_order_per_plan_and_due_date_however_often_the_task_runs(self):
        plan = MaintenancePlanFactory(starts_on=DAY)
        waiting = MaintenancePlanFactory(starts_on=DAY + days(1))

        made = services.generate_due_work_orders(DAY)
        assert [(order.plan, order.due_on) for order in made] == [(plan, DAY)]
        assert services.generate_due_work_orders(DAY) == []
        assert generate_work_orders_task(DAY.isoformat()) == []
        assert due_dates(plan) == [DAY]
        assert not orders_of(waiting)
        plan.refresh_from_db()
        assert plan.next_due == D(2026, 4, 10)

        # A run that finds a stale next date (a retried task, an edited plan) does not open
        # the same day's order again; it moves on.
        MaintenancePlan.objects.filter(pk=plan.pk).update(next_due=DAY)
        assert services.generate_due_work_orders(DAY) == []
        plan.refresh_from_db()
        assert (due_dates(plan), plan.next_due) == ([DAY], D(2026, 4, 10))

    def test_the_generated_order_is_a_preventive_order_of_the_plan(self):
        plan = MaintenancePlanFactory(starts_on=DAY, instructions="清洗滤网")
        (order,) = services.generate_due_work_orders(DAY)
        order.refresh_from_db()
        assert order.kind == WorkOrderKind.PREVENTIVE
        assert order.source == WorkOrderSource.PLAN
        assert (order.title, order.description) == (plan.title, "清洗滤网")
        assert (order.equipment, order.property) == (plan.equipment, plan.equipment.property)
        assert order.status == WorkOrderStatus.NEW and order.assignee is None
        assert order.resolve_by == end_of(DAY)
        assert order.number.startswith("WO-")
        assert list(order.events.values_list("kind", "status_to")) == [("created", "new")]

    def test_the_celery_task_takes_the_day_as_text_and_returns_the_order_ids(self):
        plan = MaintenancePlanFactory(starts_on=DAY)
        ids = generate_work_orders_task(DAY.isoformat())
        assert ids == [orders_of(plan)[0].pk]
        assert generate_work_orders_task(DAY.isoformat()) == []
        assert due_dates(plan) == [DAY]

    def test_the_task_without_a_day_runs_for_the_local_date(self):
        plan = MaintenancePlanFactory(starts_on=DAY)
        # 00:30 in Shanghai is still the day before in UTC: the local date counts.
        with time_machine.travel(at(DAY, 0, 30), tick=False):
            assert len(generate_work_orders_task()) == 1
            assert generate_work_orders_task() == []
        assert due_dates(plan) == [DAY]

    def test_lead_days_open_the_order_that_many_days_before_it_is_due_not_earlier(self):
        plan = MaintenancePlanFactory(starts_on=DAY, lead_days=3)
        with time_machine.travel(at(DAY - days(4)), tick=False):
            assert services.generate_due_work_orders() == []
        assert not orders_of(plan)
        with time_machine.travel(at(DAY - days(3)), tick=False):
            (order,) = services.generate_due_work_orders()
            assert services.generate_due_work_orders() == []
        assert order.due_on == DAY
        assert timezone.localtime(order.created_at).date() == DAY - days(3)
        plan.refresh_from_db()
        assert plan.next_due == D(2026, 4, 10)
        # The next one waits for its own lead time.
        assert services.generate_due_work_orders(D(2026, 4, 6)) == []
        assert [o.due_on for o in services.generate_due_work_orders(D(2026, 4, 7))] == [
            D(2026, 4, 10)
        ]

    def test_after_days_without_a_run_every_missed_date_gets_its_own_order(self):
        plan = MaintenancePlanFactory(
            unit=FrequencyUnit.WEEKS, starts_on=D(2026, 3, 2), lead_days=0
        )
        with time_machine.travel(at(D(2026, 3, 2)), tick=False):
            assert len(services.generate_due_work_orders()) == 1
        with time_machine.travel(at(D(2026, 3, 25)), tick=False):
            made = services.generate_due_work_orders()
        assert [order.due_on for order in made] == [D(2026, 3, 9), D(2026, 3, 16), D(2026, 3, 23)]
        for order in made:
            assert order.resolve_by == end_of(order.due_on)  # late from its own day on
            assert timezone.localtime(order.created_at).date() == D(2026, 3, 25)
        assert len({order.number for order in made}) == 3
        plan.refresh_from_db()
        assert plan.next_due == D(2026, 3, 30)
        assert due_dates(plan) == [D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 16), D(2026, 3, 23)]

    def test_a_month_end_plan_generates_on_each_months_last_day(self):
        plan = MaintenancePlanFactory(starts_on=D(2026, 1, 31))
        made = services.generate_due_work_orders(D(2026, 4, 30))
        assert [order.due_on for order in made] == [
            D(2026, 1, 31),
            D(2026, 2, 28),
            D(2026, 3, 31),
            D(2026, 4, 30),
        ]
        plan.refresh_from_db()
        assert plan.next_due == D(2026, 5, 31)

    def test_catching_up_with_lead_days_opens_up_to_the_lead_window(self):
        plan = MaintenancePlanFactory(unit=FrequencyUnit.DAYS, starts_on=DAY, lead_days=2)
        made = services.generate_due_work_orders(DAY + days(1))
        assert [order.due_on for order in made] == [DAY + days(n) for n in range(4)]
        plan.refresh_from_db()
        assert plan.next_due == DAY + days(4)
        assert plan.next_due - days(plan.lead_days) > DAY + days(1)

    def test_a_plan_far_behind_opens_at_most_max_catch_up_orders_per_run(self):
        limit = planning.MAX_CATCH_UP
        start = DAY - days(limit + 9)  # limit + 10 dates up to DAY
        plan = MaintenancePlanFactory(unit=FrequencyUnit.DAYS, starts_on=start)
        assert len(services.generate_due_work_orders(DAY)) == limit
        plan.refresh_from_db()
        assert plan.next_due == start + days(limit)
        rest = services.generate_due_work_orders(DAY)
        assert [order.due_on for order in rest] == [start + days(limit + n) for n in range(10)]
        assert services.generate_due_work_orders(DAY) == []
        plan.refresh_from_db()
        assert plan.next_due == DAY + days(1)
        assert len(due_dates(plan)) == len(set(due_dates(plan))) == limit + 10

    def test_inactive_plans_and_retired_equipment_generate_nothing(self):
        paused = MaintenancePlanFactory(starts_on=DAY, active=False)
        retired = MaintenancePlanFactory(starts_on=DAY, equipment__status=EquipmentStatus.RETIRED)
        assert services.generate_due_work_orders(DAY + days(40)) == []
        for plan in (paused, retired):
            plan.refresh_from_db()
            assert plan.next_due == DAY and not orders_of(plan)
        # Taken up again, the paused plan catches up on what it missed.
        MaintenancePlan.objects.filter(pk=paused.pk).update(active=True)
        made = services.generate_due_work_orders(DAY + days(40))
        assert [order.due_on for order in made] == [DAY, D(2026, 4, 10)]

    def test_a_plan_that_fails_does_not_stop_the_others(self, monkeypatch):
        broken = MaintenancePlanFactory(starts_on=DAY)
        fine = MaintenancePlanFactory(starts_on=DAY)
        real = planning._plan_orders

        def plan_orders(plan, *args):  # the broken plan fails in its batch and again alone
            if plan.pk == broken.pk:
                raise ValidationError("broken")
            return real(plan, *args)

        monkeypatch.setattr(planning, "_plan_orders", plan_orders)
        made = services.generate_due_work_orders(DAY)
        assert [order.plan for order in made] == [fine]
        broken.refresh_from_db()
        assert broken.next_due == DAY

    def test_the_checklist_is_copied_into_the_orders_results(self):
        plan = MaintenancePlanFactory(starts_on=DAY)
        ChecklistItemFactory(plan=plan, position=2, text="外观完好")
        ChecklistItemFactory(
            plan=plan,
            position=1,
            text="出水压力",
            kind=ChecklistKind.NUMBER,
            minimum=Decimal("0.3"),
            maximum=Decimal("0.6"),
            unit="MPa",
        )
        ChecklistItemFactory(plan=plan, position=3, text="记录异响", kind=ChecklistKind.TEXT)
        (order,) = services.generate_due_work_orders(DAY)
        rows = list(
            ChecklistResult.objects.filter(work_order=order).values_list(
                "position", "text", "kind", "minimum", "maximum", "unit", "passed"
            )
        )
        assert rows == [
            (1, "出水压力", "number", Decimal("0.3"), Decimal("0.6"), "MPa", None),
            (2, "外观完好", "check", None, None, "", None),
            (3, "记录异响", "text", None, None, "", None),
        ]
        # Editing the plan's checklist later leaves the order's copy as it was.
        plan.items.all().delete()
        assert order.results.count() == 3

    def test_the_assignee_is_copied_and_the_order_is_assigned(self):
        plan = MaintenancePlanFactory(starts_on=DAY)
        worker = EmployeeFactory(property=plan.equipment.property)
        MaintenancePlan.objects.filter(pk=plan.pk).update(assignee=worker)
        (order,) = services.generate_due_work_orders(DAY)
        assert (order.assignee, order.contractor) == (worker, None)
        assert order.status == WorkOrderStatus.ASSIGNED and order.assigned_at is not None

    def test_the_contractor_is_copied_and_the_order_is_assigned(self):
        firm = SupplierFactory()
        MaintenancePlanFactory(starts_on=DAY, contractor=firm)
        (order,) = services.generate_due_work_orders(DAY)
        assert (order.assignee, order.contractor) == (None, firm)
        assert order.status == WorkOrderStatus.ASSIGNED

    @pytest.mark.parametrize("change", ["resigned", "moved"])
    def test_an_assignee_who_left_or_moved_leaves_the_order_unassigned(self, change):
        plan = MaintenancePlanFactory(starts_on=DAY)
        if change == "resigned":
            worker = EmployeeFactory(
                property=plan.equipment.property, status="resigned", resigned_on=D(2026, 3, 1)
            )
        else:
            worker = EmployeeFactory(property=PropertyFactory())
        MaintenancePlan.objects.filter(pk=plan.pk).update(assignee=worker)
        (order,) = services.generate_due_work_orders(DAY)
        assert order.assignee is None and order.contractor is None
        assert order.status == WorkOrderStatus.NEW and order.assigned_at is None


@pytest.mark.django_db
class TestFixedAndFloating:
    @pytest.fixture
    def worker(self):
        return UserFactory(groups=["technician"])

    def finish(self, order, worker, day):
        with time_machine.travel(at(day, 15), tick=False):
            services.start(order, by=worker)
            services.complete(order, resolution="保养完成", labour_hours=1, by=worker)

    def test_a_floating_plan_waits_for_its_open_order_then_counts_from_the_completion(self, worker):
        plan = MaintenancePlanFactory(starts_on=DAY, mode=ScheduleMode.FLOATING)
        (first,) = services.generate_due_work_orders(DAY)
        plan.refresh_from_db()
        assert plan.next_due == D(2026, 4, 10)
        # A month on, the first order is still open: nothing new, the date stays.
        assert services.generate_due_work_orders(D(2026, 4, 20)) == []
        plan.refresh_from_db()
        assert plan.next_due == D(2026, 4, 10)
        # Done on 25 April: the next one is due a month after that.
        self.finish(first, worker, D(2026, 4, 25))
        plan.refresh_from_db()
        assert plan.next_due == D(2026, 5, 25)
        assert services.generate_due_work_orders(D(2026, 5, 24)) == []
        (second,) = services.generate_due_work_orders(D(2026, 5, 25))
        assert second.due_on == D(2026, 5, 25)

    def test_a_floating_plan_done_early_is_next_due_a_period_after_that(self, worker):
        plan = MaintenancePlanFactory(
            starts_on=DAY, mode=ScheduleMode.FLOATING, unit=FrequencyUnit.WEEKS, lead_days=5
        )
        (first,) = services.generate_due_work_orders(DAY - days(5))
        self.finish(first, worker, DAY - days(4))
        plan.refresh_from_db()
        assert plan.next_due == DAY + days(3)

    def test_a_floating_plan_done_before_its_first_date_is_not_due_before_it(self, worker):
        plan = MaintenancePlanFactory(
            starts_on=DAY, mode=ScheduleMode.FLOATING, unit=FrequencyUnit.DAYS, lead_days=5
        )
        (first,) = services.generate_due_work_orders(DAY - days(5))
        self.finish(first, worker, DAY - days(5))
        plan.refresh_from_db()
        assert plan.next_due == DAY  # not the day after the completion, before the start
        services.generate_due_work_orders(DAY - days(4))
        services.generate_due_work_orders(DAY - days(4))
        assert due_dates(plan) == [DAY, DAY + days(1)]  # the first date is not opened twice

    def test_a_floating_plan_far_behind_opens_one_order_at_a_time(self):
        plan = MaintenancePlanFactory(
            starts_on=DAY, mode=ScheduleMode.FLOATING, unit=FrequencyUnit.DAYS
        )
        made = services.generate_due_work_orders(DAY + days(30))
        assert [order.due_on for order in made] == [DAY]
        assert services.generate_due_work_orders(DAY + days(30)) == []
        assert due_dates(plan) == [DAY]

    def test_a_fixed_plan_keeps_its_series_whatever_the_completion_date(self, worker):
        plan = MaintenancePlanFactory(starts_on=DAY, mode=ScheduleMode.FIXED)
        (first,) = services.generate_due_work_orders(DAY)
        self.finish(first, worker, D(2026, 3, 25))
        plan.refresh_from_db()
        assert plan.next_due == D(2026, 4, 10)
        (second,) = services.generate_due_work_orders(D(2026, 4, 10))
        # Late work does not hold a fixed plan back either.
        (third,) = services.generate_due_work_orders(D(2026, 5, 10))
        assert (second.due_on, third.due_on) == (D(2026, 4, 10), D(2026, 5, 10))
        assert second.is_open and third.is_open
        self.finish(second, worker, D(2026, 5, 30))
        plan.refresh_from_db()
        assert plan.next_due == D(2026, 6, 10)

    def test_a_floating_weekday_plan_is_next_due_on_its_next_chosen_day(self):
        monday = D(2026, 3, 2)
        plan = MaintenancePlanFactory(
            starts_on=monday,
            mode=ScheduleMode.FLOATING,
            unit=FrequencyUnit.WEEKDAYS,
            weekdays=weekday_mask([MON]),
        )
        (order,) = services.generate_due_work_orders(monday)
        plan.refresh_from_db()
        assert plan.next_due == D(2026, 3, 9)
        # Cancelled instead of done, the plan carries on next week, not next year.
        services.cancel(order, reason="停电", by=None)
        assert [o.due_on for o in services.generate_due_work_orders(D(2026, 3, 9))] == [
            D(2026, 3, 9)
        ]


# --- plans from templates ---------------------------------------------------------------------


@pytest.mark.django_db
class TestTemplates:
    @pytest.fixture
    def template(self):
        template = PlanTemplateFactory(
            unit=FrequencyUnit.WEEKDAYS,
            interval=2,
            weekdays=weekday_mask([TUE, FRI]),
            mode=ScheduleMode.FLOATING,
            lead_days=5,
        )
        PlanTemplateItem.objects.create(template=template, position=1, text="润滑")
        PlanTemplateItem.objects.create(
            template=template,
            position=2,
            text="电机温度",
            kind=ChecklistKind.NUMBER,
            maximum=Decimal("70"),
            unit="℃",
        )
        return template

    def test_a_plan_from_a_template_copies_its_schedule_and_checklist(self, template):
        equipment = EquipmentFactory()
        worker = EmployeeFactory(property=equipment.property)
        by = UserFactory()
        plan = services.plan_from_template(
            template, equipment, starts_on=DAY, by=by, assignee=worker, contractor=SupplierFactory()
        )
        plan.refresh_from_db()
        assert (plan.template, plan.equipment, plan.title) == (template, equipment, template.title)
        assert (plan.unit, plan.interval, plan.weekdays, plan.mode, plan.lead_days) == (
            FrequencyUnit.WEEKDAYS,
            2,
            weekday_mask([TUE, FRI]),
            ScheduleMode.FLOATING,
            5,
        )
        assert (plan.starts_on, plan.next_due) == (DAY, DAY)
        # An employee and a contractor are never both on a plan: the employee wins.
        assert (plan.assignee, plan.contractor) == (worker, None)
        assert list(plan.items.values_list("position", "text", "kind", "maximum", "unit")) == [
            (1, "润滑", "check", None, ""),
            (2, "电机温度", "number", Decimal("70"), "℃"),
        ]
        assert plan.history.get().history_user == by
        # The template's checklist can change later without touching the plan.
        template.items.all().delete()
        assert plan.items.count() == 2

    def test_applying_a_template_skips_equipment_that_has_a_plan_from_it(self, template):
        home = PropertyFactory()
        firm = SupplierFactory()
        covered, bare, contracted = (
            EquipmentFactory(property=home),
            EquipmentFactory(property=home),
            EquipmentFactory(property=home, contractor=firm),
        )
        retired = EquipmentFactory(property=home, status=EquipmentStatus.RETIRED)
        existing = services.plan_from_template(template, covered, starts_on=DAY, by=None)
        other_template = PlanTemplateFactory()
        services.plan_from_template(other_template, bare, starts_on=DAY, by=None)

        made = services.apply_template(
            template, [covered, bare, contracted, retired], starts_on=DAY, by=None
        )
        assert sorted(plan.equipment_id for plan in made) == sorted([bare.pk, contracted.pk])
        assert {plan.equipment_id: plan.contractor for plan in made} == {
            bare.pk: None,
            contracted.pk: firm,
        }
        assert list(MaintenancePlan.objects.filter(template=template, equipment=covered)) == [
            existing
        ]
        # Applying it again adds nothing.
        again = services.apply_template(
            template, [covered, bare, contracted], starts_on=DAY, by=None
        )
        assert again == []
        assert MaintenancePlan.objects.filter(template=template).count() == 3

    def test_a_weekday_plan_started_off_its_days_first_falls_due_on_a_chosen_day(self, template):
        wednesday = D(2026, 3, 4)
        plan = services.plan_from_template(
            template, EquipmentFactory(), starts_on=wednesday, by=None
        )
        assert services.generate_due_work_orders(D(2026, 2, 28)) == []
        made = services.generate_due_work_orders(D(2026, 3, 1))  # 6 March less 5 lead days
        # The first Tuesday or Friday of the series, every other week from the start's week.
        assert [order.due_on for order in made] == [D(2026, 3, 6)]
        assert due_dates(plan) == [D(2026, 3, 6)]

    def test_a_new_weekday_plan_shows_its_first_chosen_day_as_next_due(self, template):
        template.mode = ScheduleMode.FIXED
        template.save()
        wednesday = D(2026, 3, 4)
        plan = services.plan_from_template(
            template, EquipmentFactory(), starts_on=wednesday, by=None
        )
        assert list(islice(plan.upcoming(), 3)) == [D(2026, 3, 6), D(2026, 3, 17), D(2026, 3, 20)]
        assert plan.next_due == D(2026, 3, 6)


# --- two runs at once (PostgreSQL) ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_daily_runs_at_once_open_each_order_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (CI)")
    plans = [
        MaintenancePlanFactory(unit=FrequencyUnit.WEEKS, starts_on=DAY - days(14)) for _ in range(3)
    ]
    barrier, made, failures = threading.Barrier(2), [], []

    def run():
        try:
            barrier.wait()
            made.extend(services.generate_due_work_orders(DAY))
        except Exception as exc:  # reported by the assertion below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert len(made) == 9
    for plan in plans:
        assert due_dates(plan) == [DAY - days(14), DAY - days(7), DAY]
        plan.refresh_from_db()
        assert plan.next_due == DAY + days(7)
    assert WorkOrder.objects.values("number").distinct().count() == 9


@pytest.mark.django_db
class TestBatches:
    """A run over many plans goes in batches: a few queries and one transaction per batch,
    not per plan, and each plan's next date and history are kept as one save would."""

    def run_counting(self, day):
        with CaptureQueriesContext(connection) as queries:
            made = services.generate_due_work_orders(day)
        return made, len(queries)

    def test_the_queries_do_not_grow_with_the_plans(self):
        few = [MaintenancePlanFactory(starts_on=DAY) for _ in range(2)]
        for plan in few:
            ChecklistItemFactory(plan=plan)
        made, queries_few = self.run_counting(DAY)
        assert len(made) == 2
        many = [MaintenancePlanFactory(starts_on=DAY + days(1)) for _ in range(12)]
        for plan in many:
            ChecklistItemFactory(plan=plan)
            ChecklistItemFactory(plan=plan)
        made, queries_many = self.run_counting(DAY + days(1))
        assert len(made) == 12
        # (the first run also creates the year's number sequence)
        assert queries_many <= queries_few
        assert ChecklistResult.objects.filter(work_order__in=made).count() == 24

    def test_next_dates_and_history_are_kept_for_every_plan_of_a_batch(self):
        plans = [MaintenancePlanFactory(starts_on=DAY) for _ in range(3)]
        services.generate_due_work_orders(DAY + days(40))
        for plan in plans:
            plan.refresh_from_db()
            assert plan.next_due == D(2026, 5, 10)
            assert plan.history.first().next_due == D(2026, 5, 10)
            assert sorted(o.due_on for o in orders_of(plan)) == [DAY, D(2026, 4, 10)]

    def test_a_batch_is_split_when_it_is_larger_than_the_batch_size(self, monkeypatch):
        monkeypatch.setattr(planning.PreventiveOrders, "batch_size", 2)
        plans = [MaintenancePlanFactory(starts_on=DAY) for _ in range(5)]
        made = services.generate_due_work_orders(DAY)
        assert sorted(order.plan_id for order in made) == sorted(plan.pk for plan in plans)
        numbers = sorted(order.number for order in made)
        assert len(set(numbers)) == 5
