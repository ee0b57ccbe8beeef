"""Work orders through their services: numbering, every step of the status machine,
checklists and their follow-up repairs, parts issued through the stock ledger, downtime,
fault reports and the reminders about due and overdue orders."""

import datetime
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone

from core.reminders import collect
from facilities import services
from facilities.models import (
    ChecklistKind,
    Downtime,
    DowntimeReason,
    EquipmentStatus,
    EventKind,
    Priority,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderKind,
    WorkOrderPart,
    WorkOrderSequence,
    WorkOrderSource,
    WorkOrderStatus,
)
from facilities.models.workflows import WORK_ORDER
from facilities.services.work_orders import end_of, next_numbers
from procurement.models import MovementKind, StockBalance, StockMovement
from procurement.services import post_movement
from tests.factories import PropertyFactory, UserFactory
from tests.procurement.factories import ItemFactory, StoreroomFactory, SupplierFactory
from tests.staff.factories import EmployeeFactory
from tests.uploads import png_bytes

from .factories import ChecklistItemFactory, EquipmentFactory, MaintenancePlanFactory

S = WorkOrderStatus
SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 3, 10)
DONE = (S.COMPLETED, S.VERIFIED, S.CLOSED)
PNG = png_bytes()


def at(day, hour=9, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def days(n):
    return datetime.timedelta(days=n)


def open_order(equipment, **kwargs):
    kwargs.setdefault("title", "水泵漏水")
    kwargs.setdefault("by", None)
    return services.open_work_order(equipment=equipment, **kwargs)


def put_in(order, status, *, assignee, completer, verifier):
    """Bring ``order`` straight to ``status``, with what the database asks of that status."""
    now = timezone.now()
    fields = {"status": status}
    if status not in (S.NEW, S.CANCELLED):
        fields |= {"assignee": assignee, "assigned_at": now}
    if status in (S.IN_PROGRESS, S.ON_HOLD, *DONE):
        fields["started_at"] = now
    if status == S.ON_HOLD:
        fields["hold_reason"] = "等配件"
    if status in DONE:
        fields |= {
            "completed_at": now,
            "completed_by": completer,
            "resolution": "更换密封圈",
            "labour_hours": Decimal("2.00"),
        }
    if status in (S.VERIFIED, S.CLOSED):
        fields |= {"rating": 4, "verified_at": now, "verified_by": verifier}
    if status == S.CLOSED:
        fields["closed_at"] = now
    if status == S.CANCELLED:
        fields |= {"cancel_reason": "重复报修", "cancelled_at": now}
    WorkOrder.objects.filter(pk=order.pk).update(**fields)
    order.refresh_from_db()
    return order


def snapshot(order):
    """Everything a refused step must leave as it was."""
    return (
        WorkOrder.objects.filter(pk=order.pk).values().get(),
        list(WorkOrderEvent.objects.filter(work_order=order).values_list("pk", flat=True)),
        list(order.results.values()),
        list(order.downtimes.values()),
    )


def stock(item, room, quantity, cost):
    keeper = UserFactory(groups=["stores"])
    return post_movement(item, room, quantity, MovementKind.OPENING, by=keeper, unit_cost=cost)


def balance(item, room):
    row = StockBalance.objects.get(item=item, storeroom=room)
    return row.quantity, row.value


@pytest.fixture
def home(db):
    return PropertyFactory()


@pytest.fixture
def equipment(home):
    return EquipmentFactory(property=home)


@pytest.fixture
def technician(home):
    user = UserFactory(groups=["technician"], properties=[home])
    EmployeeFactory(property=home, user=user)
    return user


@pytest.fixture
def supervisor(home):
    return UserFactory(groups=["facilities_supervisor"], properties=[home])


@pytest.fixture
def state(equipment, technician, supervisor):
    """``state(status)``: a repair order on ``equipment`` in that status, worked on by the
    technician and verified by the supervisor."""

    def make(status, **kwargs):
        return put_in(
            open_order(equipment, **kwargs),
            status,
            assignee=technician.employee,
            completer=technician,
            verifier=supervisor,
        )

    return make


# --- numbering --------------------------------------------------------------------------------


@pytest.mark.django_db
class TestNumbering:
    def test_numbers_count_up_within_a_year_and_restart_for_the_next(self, equipment):
        assert not WorkOrderSequence.objects.exists()
        first = open_order(equipment, opened_at=at(datetime.date(2026, 5, 1)))
        second = open_order(equipment, opened_at=at(datetime.date(2026, 12, 31), 23, 59))
        # Half past midnight on 1 January in Shanghai is still 31 December in UTC: the local
        # year counts.
        utc_new_year = datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC)
        new_year = open_order(equipment, opened_at=utc_new_year)
        next_in_new_year = open_order(equipment, opened_at=at(datetime.date(2027, 2, 1)))
        late_entry = open_order(equipment, opened_at=at(datetime.date(2026, 6, 1)))
        assert [o.number for o in (first, second, new_year, next_in_new_year, late_entry)] == [
            "WO-2026-000001",
            "WO-2026-000002",
            "WO-2027-000001",
            "WO-2027-000002",
            "WO-2026-000003",
        ]
        assert dict(WorkOrderSequence.objects.values_list("year", "last")) == {2026: 3, 2027: 2}
        # The moment of opening is the order's creation time (a back-dated entry keeps it).
        late_entry.refresh_from_db()
        assert late_entry.created_at == at(datetime.date(2026, 6, 1))

    def test_several_numbers_at_once_are_consecutive(self, db):
        assert next_numbers(2030, count=3) == ["WO-2030-000001", "WO-2030-000002", "WO-2030-000003"]
        assert next_numbers(2030) == ["WO-2030-000004"]

    def test_targets_follow_the_priority_and_a_preventive_order_its_due_day(self, equipment):
        opened = at(DAY, 10)
        urgent = open_order(equipment, priority=Priority.URGENT, opened_at=opened)
        assert urgent.respond_by == opened + datetime.timedelta(minutes=30)
        assert urgent.resolve_by == opened + datetime.timedelta(hours=4)
        low = open_order(equipment, priority=Priority.LOW, opened_at=opened, due_on=DAY)
        assert low.resolve_by == end_of(DAY)  # the due day is earlier than a week
        preventive = open_order(
            equipment, kind=WorkOrderKind.PREVENTIVE, due_on=DAY + days(5), opened_at=opened
        )
        assert preventive.resolve_by == at(DAY + days(6), 0)
        assert preventive.respond_by is None


# --- the status machine -----------------------------------------------------------------------

# The state machine as the product defines it; changing the workflow's table is a decision to
# be made here as well.
TRANSITIONS = {
    action: (step.sources, step.target) for action, step in WORK_ORDER.transitions.items()
}
EXPECTED_MACHINE = {
    "assign": ({S.NEW, S.ASSIGNED}, S.ASSIGNED),
    "start": ({S.NEW, S.ASSIGNED}, S.IN_PROGRESS),
    "hold": ({S.IN_PROGRESS}, S.ON_HOLD),
    "resume": ({S.ON_HOLD}, S.IN_PROGRESS),
    "complete": ({S.IN_PROGRESS}, S.COMPLETED),
    "verify": ({S.COMPLETED}, S.VERIFIED),
    "send_back": ({S.COMPLETED, S.VERIFIED}, S.IN_PROGRESS),
    "close": ({S.VERIFIED}, S.CLOSED),
    "cancel": ({S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD}, S.CANCELLED),
}


def test_the_transition_table_is_the_products_state_machine():
    assert {a: (set(src), target) for a, (src, target) in TRANSITIONS.items()} == EXPECTED_MACHINE
    # Closed and cancelled orders are final.
    assert not any({S.CLOSED, S.CANCELLED} & set(src) for src, _ in TRANSITIONS.values())


def arguments(action, technician):
    return {
        "assign": {"assignee": technician.employee},
        "hold": {"reason": "等配件"},
        "complete": {"resolution": "更换密封圈", "labour_hours": "1.5"},
        "verify": {"rating": 4},
        "send_back": {"reason": "仍有渗漏"},
        "cancel": {"reason": "重复报修"},
    }.get(action, {})


def effects(action, order, before, by, technician):
    """What each allowed step records besides the status."""
    checks = {
        "assign": lambda: order.assignee == technician.employee and order.assigned_at,
        "start": lambda: order.started_at is not None,
        "hold": lambda: order.hold_reason == "等配件",
        "resume": lambda: order.hold_reason == "",
        "complete": lambda: (
            order.completed_by == by
            and order.completed_at is not None
            and (order.resolution, order.labour_hours) == ("更换密封圈", Decimal("1.50"))
        ),
        "verify": lambda: (order.rating, order.verified_by) == (4, by) and order.verified_at,
        "send_back": lambda: (
            order.rework_count == before.rework_count + 1
            and order.completed_at is None
            and order.rating is None
            and order.verified_by is None
        ),
        "close": lambda: order.closed_at is not None,
        "cancel": lambda: order.cancel_reason == "重复报修" and order.cancelled_at is not None,
    }
    return bool(checks[action]())


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_step_from_every_status(action, status, state, technician, supervisor):
    sources, target = TRANSITIONS[action]
    order = state(status)
    step = getattr(services, action)
    kwargs = arguments(action, technician)
    if status in sources:
        step(order, by=supervisor, **kwargs)
        before = order
        order = WorkOrder.objects.get(pk=order.pk)
        assert order.status == target
        assert effects(action, order, before, supervisor, technician)
        event = order.events.last()
        assert (event.kind, event.status_from, event.status_to, event.by) == (
            EventKind.STATUS,
            status,
            target,
            supervisor,
        )
    else:
        before = snapshot(order)
        with pytest.raises(ValidationError, match="cannot be"):
            step(order, by=supervisor, **kwargs)
        assert snapshot(order) == before


@pytest.mark.django_db
class TestSteps:
    def test_a_whole_job_writes_its_timeline(self, equipment, technician, supervisor):
        reporter = UserFactory()
        order = open_order(equipment, by=reporter, reported_by=reporter)
        services.assign(order, assignee=technician.employee, by=supervisor)
        services.start(order, by=technician)
        services.hold(order, reason=" 等配件 ", by=technician)
        services.resume(order, by=technician)
        services.add_note(order, text="已到货", by=technician)
        services.complete(order, resolution="更换密封圈", labour_hours=2, by=technician)
        services.verify(order, rating=5, note="很好", by=supervisor)
        services.close(order, by=supervisor)
        timeline = list(order.events.values_list("kind", "status_from", "status_to", "by", "text"))
        tech, sup = technician.pk, supervisor.pk
        assert timeline == [
            ("created", "", "new", reporter.pk, ""),
            ("status", "new", "assigned", sup, str(technician.employee)),
            ("status", "assigned", "in_progress", tech, ""),
            ("status", "in_progress", "on_hold", tech, "等配件"),
            ("status", "on_hold", "in_progress", tech, ""),
            ("note", "", "", tech, "已到货"),
            ("status", "in_progress", "completed", tech, ""),
            ("status", "completed", "verified", sup, "很好"),
            ("status", "verified", "closed", sup, ""),
        ]
        order.refresh_from_db()
        assert order.status == S.CLOSED and order.hold_reason == ""
        assert order.history.count() >= 8

    @pytest.mark.parametrize(
        ("action", "status", "message"),
        [
            ("hold", S.IN_PROGRESS, "on hold"),
            ("cancel", S.ASSIGNED, "cancelled"),
            ("send_back", S.COMPLETED, "still wrong"),
        ],
    )
    @pytest.mark.parametrize("reason", ["", "   ", None])
    def test_hold_cancel_and_send_back_need_a_reason(
        self, action, status, message, reason, state, supervisor
    ):
        order = state(status)
        before = snapshot(order)
        with pytest.raises(ValidationError, match=message):
            getattr(services, action)(order, reason=reason, by=supervisor)
        assert snapshot(order) == before

    def test_assigning_needs_someone_of_the_property(self, state, supervisor):
        order = state(S.NEW)
        before = snapshot(order)
        with pytest.raises(ValidationError, match="Choose who"):
            services.assign(order, by=supervisor)
        outsider = EmployeeFactory(property=PropertyFactory())
        with pytest.raises(ValidationError, match="another property"):
            services.assign(order, assignee=outsider, by=supervisor)
        assert snapshot(order) == before
        firm = SupplierFactory()
        services.assign(order, contractor=firm, by=supervisor)
        order.refresh_from_db()
        assert (order.status, order.assignee, order.contractor) == (S.ASSIGNED, None, firm)

    def test_starting_an_unassigned_order_gives_it_to_the_starter(self, state, technician):
        order = state(S.NEW)
        services.start(order, by=technician)
        order.refresh_from_db()
        assert (order.status, order.assignee) == (S.IN_PROGRESS, technician.employee)
        assert order.assigned_at == order.started_at is not None

    def test_starting_keeps_the_assignee_or_needs_an_employee_of_the_property(
        self, state, equipment, technician
    ):
        colleague = EmployeeFactory(property=equipment.property)
        assigned = open_order(equipment, assignee=colleague)
        services.start(assigned, by=technician)
        assigned.refresh_from_db()
        assert (assigned.status, assigned.assignee) == (S.IN_PROGRESS, colleague)

        visitor = UserFactory()
        EmployeeFactory(property=PropertyFactory(), user=visitor)
        for starter in (visitor, UserFactory()):  # another property's employee; no employee
            order = state(S.NEW)
            services.start(order, by=starter)
            order.refresh_from_db()
            assert (order.status, order.assignee, order.assigned_at) == (S.IN_PROGRESS, None, None)

    def test_completing_needs_the_work_done_and_sane_hours(self, state, technician):
        order = state(S.IN_PROGRESS)
        before = snapshot(order)
        refusals = [
            ({"resolution": "  ", "labour_hours": 1}, "Describe the work"),
            ({"resolution": "好了", "labour_hours": -1}, "Labour hours"),
            ({"resolution": "好了", "labour_hours": 10000}, "Labour hours"),
            ({"resolution": "好了", "labour_hours": "NaN"}, "Labour hours"),
            ({"resolution": "好了", "labour_hours": 1, "external_cost": -5}, "contractor cost"),
        ]
        for kwargs, message in refusals:
            with pytest.raises(ValidationError, match=message):
                services.complete(order, by=technician, **kwargs)
            assert snapshot(order) == before
        with time_machine.travel(at(DAY, 16), tick=False):
            services.complete(
                order,
                resolution=" 更换密封圈 ",
                labour_hours="1.254",
                external_cost="300",
                by=technician,
            )
        order.refresh_from_db()
        assert order.status == S.COMPLETED
        assert (order.completed_at, order.completed_by) == (at(DAY, 16), technician)
        assert (order.resolution, order.labour_hours) == ("更换密封圈", Decimal("1.25"))
        assert order.external_cost == order.total_cost == Decimal("300.00")

    def test_completing_needs_every_checklist_step_answered(self, equipment, technician):
        plan = MaintenancePlanFactory(equipment=equipment)
        ChecklistItemFactory(plan=plan, text="外观完好")
        ChecklistItemFactory(plan=plan, text="运行记录", kind=ChecklistKind.TEXT)
        order = open_order(equipment, kind=WorkOrderKind.PREVENTIVE, plan=plan, due_on=DAY)
        services.start(order, by=technician)
        first, second = order.results.all()
        services.record_checklist(order, {first.pk: {"checked_ok": True}}, by=technician)
        before = snapshot(order)
        with pytest.raises(ValidationError, match="运行记录") as refused:
            services.complete(order, resolution="保养", labour_hours=1, by=technician)
        assert "外观完好" not in str(refused.value)
        assert snapshot(order) == before
        services.record_checklist(order, {second.pk: {"answer": "正常"}}, by=technician)
        services.complete(order, resolution="保养", labour_hours=1, by=technician)
        assert WorkOrder.objects.get(pk=order.pk).status == S.COMPLETED

    @pytest.mark.parametrize("rating", [None, 0, 6, -1])
    def test_the_rating_is_from_1_to_5(self, rating, state, supervisor):
        order = state(S.COMPLETED)
        before = snapshot(order)
        with pytest.raises(ValidationError, match="1 to 5"):
            services.verify(order, rating=rating, by=supervisor)
        assert snapshot(order) == before

    def test_nobody_verifies_their_own_work(self, state, technician, supervisor):
        order = state(S.IN_PROGRESS)
        services.complete(order, resolution="修好", labour_hours=1, by=supervisor)
        before = snapshot(order)
        with pytest.raises(ValidationError, match="Someone other"):
            services.verify(order, rating=5, by=supervisor)
        assert snapshot(order) == before
        services.verify(order, rating=1, by=technician)
        order.refresh_from_db()
        assert (order.status, order.rating, order.verified_by) == (S.VERIFIED, 1, technician)

    def test_sending_back_counts_the_rework_and_clears_the_sign_off(
        self, state, technician, supervisor
    ):
        order = state(S.VERIFIED)
        services.send_back(order, reason="仍有渗漏", by=supervisor)
        order.refresh_from_db()
        assert order.status == S.IN_PROGRESS and order.rework_count == 1
        assert order.rating is order.verified_at is order.verified_by is None
        assert order.completed_at is order.completed_by is None
        assert order.events.last().text == "仍有渗漏"
        services.complete(order, resolution="重新密封", labour_hours=1, by=technician)
        services.send_back(order, reason="还是漏", by=supervisor)
        services.complete(order, resolution="换泵", labour_hours=3, by=technician)
        services.verify(order, rating=3, by=supervisor)
        order.refresh_from_db()
        assert (order.status, order.rework_count, order.resolution) == (S.VERIFIED, 2, "换泵")

    def test_an_order_with_parts_used_cannot_be_cancelled(self, state, supervisor, home):
        order = state(S.IN_PROGRESS)
        room, item = StoreroomFactory(property=home), ItemFactory()
        stock(item, room, 5, Decimal("3.00"))
        services.use_parts(order, room, {item: 1}, by=supervisor)
        before = snapshot(order)
        with pytest.raises(ValidationError, match="Parts were used"):
            services.cancel(order, reason="不修了", by=supervisor)
        assert snapshot(order) == before

    def test_photos_are_added_until_the_order_is_closed(
        self, state, technician, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        order = state(S.IN_PROGRESS)
        photo = services.add_photo(
            order, stage="after", image=SimpleUploadedFile("a.png", PNG), by=technician
        )
        assert (photo.work_order, photo.uploaded_by) == (order, technician)
        assert order.events.last().kind == EventKind.PHOTO
        with pytest.raises(ValidationError):
            services.add_photo(
                order, stage="after", image=SimpleUploadedFile("b.png", b"GIF89a"), by=technician
            )
        closed = state(S.CLOSED)
        with pytest.raises(ValidationError, match="closed"):
            services.add_photo(
                closed, stage="after", image=SimpleUploadedFile("c.png", PNG), by=technician
            )
        assert order.photos.count() == 1 and not closed.photos.exists()


# --- checklists -------------------------------------------------------------------------------


@pytest.mark.django_db
class TestChecklist:
    @pytest.fixture
    def order(self, equipment, technician):
        plan = MaintenancePlanFactory(equipment=equipment)
        steps = [
            {"text": "外观完好"},
            {
                "text": "出水压力",
                "kind": ChecklistKind.NUMBER,
                "minimum": Decimal("0.3"),
                "maximum": Decimal("0.6"),
                "unit": "MPa",
            },
            {"text": "绝缘电阻", "kind": ChecklistKind.NUMBER, "minimum": 10, "unit": "MΩ"},
            {"text": "电机温度", "kind": ChecklistKind.NUMBER, "maximum": 70, "unit": "℃"},
            {"text": "运行记录", "kind": ChecklistKind.TEXT},
        ]
        for position, step in enumerate(steps):
            ChecklistItemFactory(plan=plan, position=position, **step)
        order = open_order(
            equipment, kind=WorkOrderKind.PREVENTIVE, plan=plan, due_on=DAY, assignee=None
        )
        services.start(order, by=technician)
        return order

    def results(self, order):
        return {result.text: result for result in order.results.all()}

    def test_answers_are_judged_against_each_steps_rule(self, order, technician):
        r = self.results(order)
        failed = services.record_checklist(
            order,
            {
                r["外观完好"].pk: {"checked_ok": True},
                r["出水压力"].pk: {"number": Decimal("0.2")},
                r["绝缘电阻"].pk: {"number": "10"},  # on the bound: passes
                r["电机温度"].pk: {"number": Decimal("70.5")},
                r["运行记录"].pk: {"answer": "  声音正常  "},
            },
            by=technician,
        )
        assert [result.text for result in failed] == ["出水压力", "电机温度"]
        r = self.results(order)
        assert {text: result.passed for text, result in r.items()} == {
            "外观完好": True,
            "出水压力": False,
            "绝缘电阻": True,
            "电机温度": False,
            "运行记录": True,
        }
        assert r["运行记录"].answer == "声音正常"
        assert r["出水压力"].number == Decimal("0.200")
        assert all(result.recorded_at for result in r.values())
        event = order.events.last()
        assert (event.kind, event.by) == (EventKind.CHECK, technician)
        assert "5 steps recorded, 2 not passed" in event.shown_text

    def test_recording_again_changes_the_verdict(self, order, technician):
        r = self.results(order)
        services.record_checklist(
            order,
            {r["外观完好"].pk: {"checked_ok": True}, r["出水压力"].pk: {"number": "0.2"}},
            by=technician,
        )
        failed = services.record_checklist(
            order,
            {
                r["外观完好"].pk: {"checked_ok": False},
                r["出水压力"].pk: {"number": "0.6"},  # the upper bound passes
                r["运行记录"].pk: {"answer": "   "},  # blank text is no answer
                r["电机温度"].pk: {"number": None},
            },
            by=technician,
        )
        assert [result.text for result in failed] == ["外观完好"]
        r = self.results(order)
        assert (r["外观完好"].passed, r["出水压力"].passed) == (False, True)
        assert r["运行记录"].passed is None and r["运行记录"].recorded_at is None
        assert r["电机温度"].passed is None
        assert r["绝缘电阻"].passed is None  # not in the answers: untouched

    @pytest.mark.parametrize("number", ["NaN", "Infinity", "1000000000", "-1e12"])
    def test_a_number_must_be_a_number_the_column_holds(self, order, technician, number):
        r = self.results(order)
        before = snapshot(order)
        with pytest.raises(ValidationError, match="give a number"):
            services.record_checklist(order, {r["出水压力"].pk: {"number": number}}, by=technician)
        assert snapshot(order) == before

    @pytest.mark.parametrize("status", [S.ASSIGNED, S.ON_HOLD, S.COMPLETED, S.CANCELLED])
    def test_the_checklist_is_recorded_only_while_the_work_is_in_progress(
        self, order, technician, supervisor, status
    ):
        put_in(
            order,
            status,
            assignee=technician.employee,
            completer=technician,
            verifier=supervisor,
        )
        r = self.results(order)
        before = snapshot(order)
        with pytest.raises(ValidationError, match="Start the work"):
            services.record_checklist(
                order, {r["外观完好"].pk: {"checked_ok": True}}, by=technician
            )
        assert snapshot(order) == before

    def test_a_failed_step_opens_one_follow_up_repair(self, order, technician, supervisor):
        r = self.results(order)
        services.record_checklist(
            order,
            {r["外观完好"].pk: {"checked_ok": True}, r["出水压力"].pk: {"number": "0.2"}},
            by=technician,
        )
        failed = r["出水压力"]
        follow_up = services.open_follow_up(
            failed, by=supervisor, priority=Priority.HIGH, assignee=technician.employee
        )
        follow_up.refresh_from_db()
        assert (follow_up.kind, follow_up.source, follow_up.parent) == (
            WorkOrderKind.REPAIR,
            WorkOrderSource.FOLLOW_UP,
            order,
        )
        assert (follow_up.equipment, follow_up.property) == (order.equipment, order.property)
        assert (follow_up.priority, follow_up.status) == (Priority.HIGH, S.ASSIGNED)
        assert "出水压力" in follow_up.title
        assert follow_up.description == "出水压力: 0.2 MPa (0.3–0.6 MPa)"
        assert follow_up.number != order.number
        failed.refresh_from_db()
        assert failed.follow_up == follow_up
        assert list(order.follow_ups.all()) == [follow_up]
        note = order.events.filter(kind=EventKind.NOTE).get()
        assert follow_up.number in note.shown_text

        with pytest.raises(ValidationError, match="already has its follow-up"):
            services.open_follow_up(failed, by=supervisor)
        with pytest.raises(ValidationError, match="Only a failed step"):
            services.open_follow_up(r["外观完好"], by=supervisor)  # passed
        with pytest.raises(ValidationError, match="Only a failed step"):
            services.open_follow_up(r["运行记录"], by=supervisor)  # not answered
        assert WorkOrder.objects.filter(parent=order).count() == 1


# --- parts ------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestParts:
    @pytest.fixture
    def room(self, home):
        return StoreroomFactory(property=home)

    @pytest.fixture
    def seals(self, room):
        item = ItemFactory(name="密封圈")
        stock(item, room, 10, Decimal("2.50"))
        return item

    @pytest.fixture
    def bearings(self, room):
        item = ItemFactory(name="轴承")
        stock(item, room, 2, Decimal("40.00"))
        return item

    def test_parts_lower_the_stock_and_raise_the_orders_cost(
        self, state, room, seals, bearings, technician
    ):
        order = state(S.IN_PROGRESS)
        parts = services.use_parts(order, room, {seals: 4, bearings: Decimal("1")}, by=technician)
        assert balance(seals, room) == (6, Decimal("15.00"))
        assert balance(bearings, room) == (1, Decimal("40.00"))
        order.refresh_from_db()
        assert order.parts_cost == Decimal("50.00")
        assert order.total_cost == Decimal("50.00")
        rows = {
            part.item: (part.quantity, part.value, part.storeroom, part.issued_by)
            for part in order.parts.all()
        }
        assert rows == {
            seals: (4, Decimal("10.00"), room, technician),
            bearings: (1, Decimal("40.00"), room, technician),
        }
        for part in parts:
            movement = part.movement
            assert movement.kind == MovementKind.ISSUE
            assert (movement.quantity, movement.value) == (-part.quantity, -part.value)
            assert movement.work_order_ref == order.number
            assert movement.employee == technician.employee
            assert movement.department == technician.employee.department
        assert order.events.last().kind == EventKind.PART
        # More parts later add to the cost.
        services.use_parts(order, room, {seals: 2}, by=technician)
        order.refresh_from_db()
        assert order.parts_cost == Decimal("55.00")
        assert balance(seals, room) == (4, Decimal("10.00"))

    def test_one_line_short_of_stock_fails_the_whole_call(
        self, state, room, seals, bearings, technician
    ):
        order = state(S.IN_PROGRESS)
        before = snapshot(order)
        with pytest.raises(ValidationError, match="Only 2"):
            services.use_parts(order, room, {seals: 4, bearings: 3}, by=technician)
        assert snapshot(order) == before
        assert not WorkOrderPart.objects.exists()
        assert not StockMovement.objects.filter(kind=MovementKind.ISSUE).exists()
        assert balance(seals, room) == (10, Decimal("25.00"))
        assert balance(bearings, room) == (2, Decimal("80.00"))

    @pytest.mark.parametrize("quantity", [0, -1, "0.0001"])
    def test_quantities_are_positive(self, state, room, seals, technician, quantity):
        order = state(S.IN_PROGRESS)
        with pytest.raises(ValidationError):
            services.use_parts(order, room, {seals: quantity}, by=technician)
        with pytest.raises(ValidationError, match="at least one"):
            services.use_parts(order, room, {}, by=technician)
        assert balance(seals, room) == (10, Decimal("25.00"))
        assert not order.parts.exists()

    def test_another_propertys_storeroom_is_refused(self, state, seals, technician):
        order = state(S.IN_PROGRESS)
        elsewhere = StoreroomFactory()
        item = ItemFactory()
        stock(item, elsewhere, 5, Decimal("1.00"))
        before = snapshot(order)
        with pytest.raises(ValidationError, match="another property"):
            services.use_parts(order, elsewhere, {item: 1}, by=technician)
        assert snapshot(order) == before
        assert balance(item, elsewhere) == (5, Decimal("5.00"))

    @pytest.mark.parametrize("status", list(S))
    def test_parts_are_used_only_while_the_work_goes_on(
        self, state, room, seals, technician, status
    ):
        order = state(status)
        if status in (S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD):
            services.use_parts(order, room, {seals: 1}, by=technician)
            assert balance(seals, room) == (9, Decimal("22.50"))
        else:
            before = snapshot(order)
            with pytest.raises(ValidationError, match="Work is recorded while"):
                services.use_parts(order, room, {seals: 1}, by=technician)
            assert snapshot(order) == before
            assert balance(seals, room) == (10, Decimal("25.00"))


# --- downtime and fault reports ---------------------------------------------------------------


@pytest.mark.django_db
class TestDowntime:
    @pytest.mark.parametrize(
        ("reason", "status"),
        [
            (DowntimeReason.FAILURE, EquipmentStatus.FAULTY),
            (DowntimeReason.PLANNED, EquipmentStatus.MAINTENANCE),
            (DowntimeReason.EXTERNAL, EquipmentStatus.STOPPED),
        ],
    )
    def test_downtime_sets_the_equipment_status_by_its_reason(
        self, equipment, technician, reason, status
    ):
        downtime = services.start_downtime(equipment, reason=reason, by=technician)
        equipment.refresh_from_db()
        assert equipment.status == status
        assert downtime.ended_at is None
        for second in DowntimeReason:
            with pytest.raises(ValidationError, match="already down"):
                services.start_downtime(equipment, reason=second, by=technician)
        assert equipment.downtimes.count() == 1
        equipment.refresh_from_db()
        assert equipment.status == status
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
            services.end_downtime(downtime, by=technician)
        downtime.refresh_from_db()
        equipment.refresh_from_db()
        assert equipment.status == EquipmentStatus.IN_SERVICE
        assert downtime.duration() >= datetime.timedelta(hours=2)
        with pytest.raises(ValidationError, match="ended already"):
            services.end_downtime(downtime, by=technician)
        # Back in service, it can go down again (after it came back up).
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=3)):
            services.start_downtime(equipment, reason=DowntimeReason.PLANNED, by=technician)
        assert equipment.downtimes.open().count() == 1

    def test_downtime_times_and_orders_must_make_sense(self, equipment, technician, state):
        future = timezone.now() + datetime.timedelta(hours=1)
        with pytest.raises(ValidationError, match="future"):
            services.start_downtime(
                equipment, reason=DowntimeReason.FAILURE, started_at=future, by=technician
            )
        with pytest.raises(ValidationError, match="Choose why"):
            services.start_downtime(equipment, reason="bored", by=technician)
        other = open_order(EquipmentFactory(property=equipment.property))
        with pytest.raises(ValidationError, match="other equipment"):
            services.start_downtime(
                equipment, reason=DowntimeReason.FAILURE, work_order=other, by=technician
            )
        assert not Downtime.objects.exists()
        equipment.refresh_from_db()
        assert equipment.status == EquipmentStatus.IN_SERVICE
        started = timezone.now() - datetime.timedelta(hours=3)
        downtime = services.start_downtime(
            equipment, reason=DowntimeReason.FAILURE, started_at=started, by=technician
        )
        with pytest.raises(ValidationError, match="before it starts"):
            services.end_downtime(
                downtime, ended_at=started - datetime.timedelta(minutes=1), by=technician
            )
        assert Downtime.objects.get().ended_at is None

    @pytest.mark.parametrize("back_in_service", [True, False])
    def test_completing_the_order_ends_its_downtime(
        self, state, equipment, technician, back_in_service
    ):
        order = state(S.IN_PROGRESS)
        downtime = services.start_downtime(
            equipment, reason=DowntimeReason.FAILURE, work_order=order, by=technician
        )
        assert order.events.last().kind == EventKind.DOWNTIME
        services.complete(
            order,
            resolution="更换电机",
            labour_hours=4,
            by=technician,
            back_in_service=back_in_service,
        )
        order.refresh_from_db()
        downtime.refresh_from_db()
        equipment.refresh_from_db()
        if back_in_service:
            assert downtime.ended_at == order.completed_at
            assert equipment.status == EquipmentStatus.IN_SERVICE
            assert order.events.filter(kind=EventKind.DOWNTIME).count() == 2
        else:
            assert downtime.ended_at is None
            assert equipment.status == EquipmentStatus.FAULTY

    def test_a_fault_report_out_of_service_opens_a_repair_and_its_downtime(
        self, equipment, technician, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        order = services.report_fault(
            by=technician,
            description="水泵异响\n轴承可能损坏",
            equipment=equipment,
            priority=Priority.HIGH,
            out_of_service=True,
            contact=" 王工 138 ",
            photo=SimpleUploadedFile("fault.png", PNG),
        )
        order.refresh_from_db()
        assert (order.kind, order.source, order.priority) == (
            WorkOrderKind.REPAIR,
            WorkOrderSource.FAULT_REPORT,
            Priority.HIGH,
        )
        assert (order.title, order.title_key) == ("水泵异响", "fault")
        assert order.display_title == "Fault: 水泵异响"
        assert order.description == "水泵异响\n轴承可能损坏"
        assert (order.reported_by, order.contact, order.status) == (technician, "王工 138", S.NEW)
        assert order.photos.get().stage == "before"
        downtime = equipment.downtimes.get()
        assert (downtime.reason, downtime.work_order, downtime.ended_at) == (
            DowntimeReason.FAILURE,
            order,
            None,
        )
        equipment.refresh_from_db()
        assert equipment.status == EquipmentStatus.FAULTY
        # A second report while it is down opens its order but no second downtime.
        again = services.report_fault(
            by=technician, description="还是不转", equipment=equipment, out_of_service=True
        )
        assert again.pk != order.pk and equipment.downtimes.count() == 1

    def test_a_fault_report_in_service_or_without_a_description(self, equipment, technician):
        order = services.report_fault(by=technician, description="指示灯不亮", equipment=equipment)
        assert order.source == WorkOrderSource.FAULT_REPORT
        assert not equipment.downtimes.exists()
        equipment.refresh_from_db()
        assert equipment.status == EquipmentStatus.IN_SERVICE
        with pytest.raises(ValidationError, match="Describe the fault"):
            services.report_fault(by=technician, description="  ", equipment=equipment)
        with pytest.raises(ValidationError, match="which equipment or which place"):
            services.report_fault(by=technician, description="漏水")
        assert WorkOrder.objects.count() == 1


# --- reminders --------------------------------------------------------------------------------


@pytest.mark.django_db
class TestReminders:
    @pytest.fixture(autouse=True)
    def clock(self):
        with time_machine.travel(at(DAY, 9), tick=False) as traveller:
            yield traveller

    @pytest.fixture
    def director(self, db):
        return UserFactory(groups=["director"])

    def found(self, user, key):
        return [
            (r.obj, r.due, r.severity)
            for r in collect(DAY).get(user, [])
            if r.kind.key == f"facilities.{key}"
        ]

    def test_preventive_orders_due_within_3_days_or_overdue(
        self, equipment, supervisor, technician, director
    ):
        def preventive(due, **kwargs):
            return open_order(
                equipment, kind=WorkOrderKind.PREVENTIVE, due_on=due, opened_at=at(DAY, 5), **kwargs
            )

        soon = preventive(DAY + days(3), assignee=technician.employee)
        today = preventive(DAY)
        late = preventive(DAY - days(1))
        preventive(DAY + days(4))  # not yet
        done = preventive(DAY - days(2))
        put_in(done, S.COMPLETED, assignee=None, completer=technician, verifier=None)
        open_order(equipment, due_on=DAY)  # a repair: not this reminder
        elsewhere = EquipmentFactory()
        open_order(elsewhere, kind=WorkOrderKind.PREVENTIVE, due_on=DAY)
        outsider = UserFactory(groups=["facilities_supervisor"], properties=[elsewhere.property])

        assert sorted(self.found(supervisor, "preventive_due"), key=lambda r: r[1]) == [
            (late, DAY - days(1), "danger"),
            (today, DAY, "warning"),
            (soon, DAY + days(3), "warning"),
        ]
        # Whoever does the work hears of their own order.
        assert self.found(technician, "preventive_due") == [(soon, DAY + days(3), "warning")]
        assert [obj.equipment for obj, *_ in self.found(outsider, "preventive_due")] == [elsewhere]
        assert self.found(director, "preventive_due") == []

    def test_the_assignee_without_an_address_or_login_is_skipped(self, equipment, technician):
        technician.email = ""
        technician.save()
        open_order(
            equipment,
            kind=WorkOrderKind.PREVENTIVE,
            due_on=DAY,
            assignee=technician.employee,
        )
        assert self.found(technician, "preventive_due") == []

    def test_repairs_past_their_resolution_target(
        self, equipment, supervisor, technician, director
    ):
        late = open_order(
            equipment,
            priority=Priority.URGENT,
            opened_at=at(DAY - days(1), 10),
            assignee=technician.employee,
        )
        inspection = open_order(
            equipment,
            kind=WorkOrderKind.INSPECTION,
            priority=Priority.HIGH,
            opened_at=at(DAY - days(2)),
        )
        open_order(equipment, priority=Priority.URGENT, opened_at=at(DAY, 6))  # until 10:00
        open_order(equipment, opened_at=at(DAY - days(1)))  # normal: 72 hours
        open_order(equipment, kind=WorkOrderKind.PREVENTIVE, due_on=DAY - days(3))
        fixed = open_order(equipment, priority=Priority.URGENT, opened_at=at(DAY - days(2)))
        put_in(fixed, S.COMPLETED, assignee=None, completer=technician, verifier=None)

        found = self.found(supervisor, "past_resolution_target")
        assert sorted(found, key=lambda r: r[0].pk) == [
            (late, DAY - days(1), "danger"),
            (inspection, DAY - days(1), "danger"),
        ]
        assert self.found(technician, "past_resolution_target") == [(late, DAY - days(1), "danger")]

    def test_orders_overdue_by_more_than_a_week_go_to_the_director(
        self, equipment, supervisor, director
    ):
        repair = open_order(equipment, priority=Priority.URGENT, opened_at=at(DAY - days(12)))
        preventive = open_order(equipment, kind=WorkOrderKind.PREVENTIVE, due_on=DAY - days(9))
        open_order(equipment, opened_at=at(DAY - days(9)))  # due 6 days ago: not yet
        open_order(equipment, kind=WorkOrderKind.PREVENTIVE, due_on=DAY - days(7))
        assert sorted(self.found(director, "overdue_week"), key=lambda r: r[1]) == [
            (repair, DAY - days(12), "danger"),
            (preventive, DAY - days(8), "danger"),
        ]
        assert self.found(supervisor, "overdue_week") == []


# --- at the same time (PostgreSQL) ------------------------------------------------------------


def run_together(*jobs):
    """Run the jobs in threads released at the same moment; return what each did."""
    barrier, outcomes = threading.Barrier(len(jobs)), []

    def attempt(job):
        try:
            barrier.wait()
            outcomes.append(("done", job()))
        except ValidationError as exc:
            outcomes.append(("refused", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_orders_using_the_last_units_at_once_one_gets_them():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (CI)")
    home = PropertyFactory()
    room, item = StoreroomFactory(property=home), ItemFactory()
    stock(item, room, 3, Decimal("5.00"))
    orders = [
        put_in(
            open_order(EquipmentFactory(property=home)),
            S.IN_PROGRESS,
            assignee=EmployeeFactory(property=home),
            completer=None,
            verifier=None,
        )
        for _ in range(2)
    ]
    worker = UserFactory()
    outcomes = run_together(
        *(lambda o=order: services.use_parts(o, room, {item: 3}, by=worker) for order in orders)
    )
    assert sorted(kind for kind, _ in outcomes) == ["done", "refused"]
    assert balance(item, room) == (0, Decimal("0.00"))
    part = WorkOrderPart.objects.get()
    assert (part.quantity, part.value) == (3, Decimal("15.00"))
    costs = dict(WorkOrder.objects.values_list("pk", "parts_cost"))
    assert costs == {part.work_order_id: Decimal("15.00")} | {
        order.pk: Decimal("0.00") for order in orders if order.pk != part.work_order_id
    }


@pytest.mark.django_db(transaction=True)
def test_orders_opened_at_once_get_different_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (CI)")
    equipment = EquipmentFactory()
    outcomes = run_together(*(lambda: open_order(equipment) for _ in range(4)))
    assert [kind for kind, _ in outcomes] == ["done"] * 4
    numbers = sorted(order.number for _, order in outcomes)
    year = timezone.localdate().year
    assert numbers == [f"WO-{year}-{n:06d}" for n in range(1, 5)]
