"""Work orders through their pages: the shared CRUD checks, every step of the status machine
as a POST, checklists, parts and photos, the fault report, the technician's list, the
printable order, downtime, and pages that neither break on junk nor grow in queries."""

import datetime
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from facilities import services
from facilities.models import (
    ChecklistKind,
    ChecklistResult,
    Downtime,
    DowntimeReason,
    EquipmentStatus,
    EventKind,
    WorkOrder,
    WorkOrderPart,
    WorkOrderPhoto,
    WorkOrderSource,
    WorkOrderStatus,
)
from procurement.models import MovementKind, StockBalance, StockMovement
from procurement.services import post_movement
from tests.crud import CrudViewTests, form_errors
from tests.factories import LocationFactory, PropertyFactory, UserFactory
from tests.procurement.factories import ItemFactory, StoreroomFactory, SupplierFactory
from tests.staff.factories import EmployeeFactory
from tests.uploads import jpeg, png, png_bytes

from .factories import (
    ChecklistItemFactory,
    EquipmentFactory,
    MaintenancePlanFactory,
    WorkOrderFactory,
)

S = WorkOrderStatus
STEPS = (
    "assign",
    "start",
    "hold",
    "resume",
    "complete",
    "verify",
    "send-back",
    "close",
    "cancel",
    "note",
    "checklist",
    "parts",
    "photos",
)


def step_url(order, step):
    return reverse(f"facilities:workorder_{step.replace('-', '_')}", args=[order.pk])


def messages_of(response):
    """The messages this request added (not those still waiting from earlier redirects)."""
    storage = get_messages(response.wsgi_request)
    return [(m.level_tag, str(m)) for m in storage._queued_messages]


def errors_of(response):
    return [text for level, text in messages_of(response) if level == "error"]


def refreshed(order):
    return WorkOrder.objects.get(pk=order.pk)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def home(db):
    return PropertyFactory()


@pytest.fixture
def other(db):
    return PropertyFactory()


@pytest.fixture
def boss(home):
    return UserFactory(groups=["facilities_supervisor"], properties=[home])


@pytest.fixture
def tech(home):
    user = UserFactory(groups=["technician"], properties=[home])
    EmployeeFactory(property=home, user=user)
    return user


@pytest.fixture
def guard(home):
    return UserFactory(groups=["guard"], properties=[home])


@pytest.fixture
def pump(home):
    return EquipmentFactory(property=home, location=LocationFactory(property=home))


def open_order(by, equipment, **kwargs):
    return services.open_work_order(
        title=kwargs.pop("title", "水泵异响"), by=by, equipment=equipment, **kwargs
    )


@pytest.fixture
def order(boss, tech, pump):
    """Assigned to the technician."""
    return open_order(boss, pump, assignee=tech.employee)


def advance(order, status, *, tech, boss):
    """Move ``order`` along the usual path up to ``status``."""
    path = [S.IN_PROGRESS, S.ON_HOLD, S.COMPLETED, S.VERIFIED, S.CLOSED]
    if status == S.CANCELLED:
        return services.cancel(order, reason="重复", by=boss)
    if status in (S.NEW, S.ASSIGNED):
        return refreshed(order)
    for target in path[: path.index(status) + 1]:
        if target == S.IN_PROGRESS:
            services.start(order, by=tech)
        elif target == S.ON_HOLD and status == S.ON_HOLD:
            services.hold(order, reason="等配件", by=tech)
        elif target == S.COMPLETED:
            services.complete(order, resolution="更换轴承", labour_hours=2, by=tech)
        elif target == S.VERIFIED:
            services.verify(order, rating=4, by=boss)
        elif target == S.CLOSED:
            services.close(order, by=boss)
    return refreshed(order)


def stock(room, item, quantity, by, cost="5.00"):
    post_movement(
        item, room, Decimal(quantity), MovementKind.OPENING, by=by, unit_cost=Decimal(cost)
    )


def balance(room, item):
    return StockBalance.objects.get(storeroom=room, item=item).quantity


# --- the shared CRUD checks ------------------------------------------------------------------


class TestWorkOrderViews(CrudViewTests):
    model = WorkOrder
    factory = WorkOrderFactory

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "kind": "repair",
            "title": "更换灯管",
            "equipment": EquipmentFactory(property=property_).pk,
            "priority": "high",
            "description": "地下车库B2灯管不亮",
            "contact": "张先生 13800000000",
        }


@pytest.mark.django_db
class TestCreateAndEdit:
    def test_a_new_order_gets_its_number_targets_and_the_assignee(self, client, home, boss, pump):
        employee = EmployeeFactory(property=home)
        client.force_login(boss)
        response = client.post(
            reverse("facilities:workorder_add"),
            {
                "property": home.pk,
                "kind": "repair",
                "title": "水泵漏水",
                "equipment": pump.pk,
                "priority": "urgent",
                "assignee": employee.pk,
            },
        )
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        order = WorkOrder.objects.get()
        assert re.fullmatch(rf"WO-{timezone.localdate().year}-\d{{6}}", order.number)
        assert response.url == order.get_absolute_url()
        assert order.status == S.ASSIGNED and order.assignee == employee
        assert order.source == WorkOrderSource.MANUAL
        assert order.respond_by and order.resolve_by > order.respond_by
        assert order.location == pump.location  # taken from the equipment
        assert order.events.get().kind == EventKind.CREATED
        # Without an assignee it stays new; the numbers count up.
        client.post(
            reverse("facilities:workorder_add"),
            {
                "property": home.pk,
                "kind": "inspection",
                "title": "巡检",
                "equipment": pump.pk,
                "priority": "low",
            },
        )
        second = WorkOrder.objects.exclude(pk=order.pk).get()
        assert second.status == S.NEW and second.assignee is None
        assert int(second.number[-6:]) == int(order.number[-6:]) + 1

    def test_the_add_page_takes_the_equipment_from_the_link(self, client, boss, pump):
        client.force_login(boss)
        page = client.get(reverse("facilities:workorder_add"), {"equipment": pump.pk})
        assert page.status_code == HTTPStatus.OK
        assert str(page.context["form"].initial["equipment"]) == str(pump.pk)

    @pytest.mark.parametrize("junk", ["abc", "-1", "99999999999999999999", "²", ""])
    def test_a_junk_equipment_in_the_link_is_ignored(self, client, boss, junk):
        client.force_login(boss)
        page = client.get(reverse("facilities:workorder_add"), {"equipment": junk})
        assert page.status_code == HTTPStatus.OK

    def test_an_order_needs_equipment_or_a_place(self, client, home, boss):
        client.force_login(boss)
        response = client.post(
            reverse("facilities:workorder_add"),
            {"property": home.pk, "kind": "repair", "title": "x", "priority": "normal"},
        )
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].non_field_errors()
        assert not WorkOrder.objects.exists()

    def test_equipment_and_assignee_of_another_property_are_refused(self, client, home, other):
        user = UserFactory(groups=["facilities_supervisor"], properties=[home, other])
        client.force_login(user)
        base = {"property": home.pk, "kind": "repair", "title": "x", "priority": "normal"}
        wrong_equipment = client.post(
            reverse("facilities:workorder_add"),
            {**base, "equipment": EquipmentFactory(property=other).pk},
        )
        assert "equipment" in wrong_equipment.context["form"].errors
        wrong_person = client.post(
            reverse("facilities:workorder_add"),
            {
                **base,
                "equipment": EquipmentFactory(property=home).pk,
                "assignee": EmployeeFactory(property=other).pk,
            },
        )
        assert wrong_person.status_code == HTTPStatus.OK
        assert wrong_person.context["form"].errors
        assert not WorkOrder.objects.exists()

    def test_both_an_employee_and_a_contractor_is_refused(self, client, home, boss, pump):
        client.force_login(boss)
        response = client.post(
            reverse("facilities:workorder_add"),
            {
                "property": home.pk,
                "kind": "repair",
                "title": "x",
                "priority": "normal",
                "equipment": pump.pk,
                "assignee": EmployeeFactory(property=home).pk,
                "contractor": SupplierFactory().pk,
            },
        )
        assert "contractor" in response.context["form"].errors
        assert not WorkOrder.objects.exists()

    def test_a_finished_order_is_not_edited(self, client, home, boss, tech, order):
        order = advance(order, S.COMPLETED, tech=tech, boss=boss)
        client.force_login(boss)
        response = client.post(
            reverse("facilities:workorder_edit", args=[order.pk]),
            {"title": "改写", "equipment": order.equipment_id, "priority": "normal"},
        )
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].non_field_errors()
        assert refreshed(order).title == "水泵异响"

    def edit_title(self, client, order, title):
        return client.post(
            reverse("facilities:workorder_edit", args=[order.pk]),
            {
                "title": title,
                "equipment": order.equipment_id,
                "location": order.location_id or "",
                "priority": order.priority,
            },
        )

    def test_an_open_order_on_retired_equipment_can_still_be_edited(self, client, boss, order):
        order.equipment.status = EquipmentStatus.RETIRED
        order.equipment.save()
        client.force_login(boss)
        response = self.edit_title(client, order, "报废前最后一次记录")
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        assert refreshed(order).title == "报废前最后一次记录"

    def test_an_open_order_of_someone_who_left_can_still_be_edited(self, client, boss, order):
        order.assignee.status, order.assignee.resigned_on = "resigned", timezone.localdate()
        order.assignee.save()
        client.force_login(boss)
        response = self.edit_title(client, order, "交接给别人前的记录")
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        assert refreshed(order).title == "交接给别人前的记录"

    def test_an_edit_changes_the_title(self, client, boss, order):
        client.force_login(boss)
        response = self.edit_title(client, order, "新标题")
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        assert refreshed(order).title == "新标题"

    def test_an_edit_keeps_property_kind_and_assignee(self, client, home, other, boss, order):
        client.force_login(boss)
        response = client.post(
            reverse("facilities:workorder_edit", args=[order.pk]),
            {
                "property": other.pk,
                "kind": "preventive",
                "assignee": "",
                "title": "水泵异响（轴承）",
                "equipment": order.equipment_id,
                "priority": "high",
            },
        )
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        after = refreshed(order)
        assert after.title == "水泵异响（轴承）" and after.priority == "high"
        assert (after.property, after.kind, after.assignee) == (
            order.property,
            order.kind,
            order.assignee,
        )


# --- the steps -----------------------------------------------------------------------------


@pytest.mark.django_db
class TestSteps:
    def test_start_by_the_technician(self, client, tech, order):
        client.force_login(tech)
        response = client.post(step_url(order, "start"))
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == order.get_absolute_url()
        after = refreshed(order)
        assert after.status == S.IN_PROGRESS and after.started_at
        assert ("success", "Work started.") in messages_of(response)
        event = after.events.filter(kind=EventKind.STATUS).get()
        assert (event.status_from, event.status_to, event.by) == (S.ASSIGNED, S.IN_PROGRESS, tech)

    def test_starting_an_unassigned_order_takes_it(self, client, boss, tech, pump):
        new = open_order(boss, pump)
        client.force_login(tech)
        client.post(step_url(new, "start"))
        after = refreshed(new)
        assert after.status == S.IN_PROGRESS and after.assignee == tech.employee

    def test_starting_twice_is_refused_with_a_message(self, client, tech, order):
        client.force_login(tech)
        client.post(step_url(order, "start"))
        again = client.post(step_url(order, "start"))
        assert again.status_code == HTTPStatus.FOUND
        assert errors_of(again)
        assert refreshed(order).events.filter(kind=EventKind.STATUS).count() == 1

    def test_hold_and_resume(self, client, boss, tech, order):
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        client.force_login(tech)
        refused = client.post(step_url(order, "hold"), {"reason": "   "})
        assert errors_of(refused) and refreshed(order).status == S.IN_PROGRESS
        client.post(step_url(order, "hold"), {"reason": "等配件到货"})
        held = refreshed(order)
        assert (held.status, held.hold_reason) == (S.ON_HOLD, "等配件到货")
        client.post(step_url(order, "resume"))
        resumed = refreshed(order)
        assert (resumed.status, resumed.hold_reason) == (S.IN_PROGRESS, "")

    def test_complete(self, client, boss, tech, order):
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        downtime = services.start_downtime(
            order.equipment, reason=DowntimeReason.FAILURE, work_order=order, by=tech
        )
        client.force_login(tech)
        response = client.post(
            step_url(order, "complete"),
            {
                "resolution": "更换机械密封",
                "labour_hours": "1.5",
                "external_cost": "120.50",
                "back_in_service": "on",
            },
        )
        assert response.status_code == HTTPStatus.FOUND
        assert not errors_of(response), messages_of(response)
        after = refreshed(order)
        assert after.status == S.COMPLETED
        assert (after.labour_hours, after.external_cost) == (Decimal("1.50"), Decimal("120.50"))
        assert after.completed_by == tech and after.resolution == "更换机械密封"
        downtime.refresh_from_db()
        assert downtime.ended_at is not None
        after.equipment.refresh_from_db()
        assert after.equipment.status == EquipmentStatus.IN_SERVICE

    def test_complete_without_back_in_service_keeps_the_downtime(self, client, boss, tech, order):
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        downtime = services.start_downtime(
            order.equipment, reason=DowntimeReason.FAILURE, work_order=order, by=tech
        )
        client.force_login(tech)
        client.post(step_url(order, "complete"), {"resolution": "临时处理", "labour_hours": "1"})
        assert refreshed(order).status == S.COMPLETED
        downtime.refresh_from_db()
        assert downtime.ended_at is None

    def test_verify_and_close(self, client, boss, tech, order):
        order = advance(order, S.COMPLETED, tech=tech, boss=boss)
        client.force_login(boss)
        response = client.post(step_url(order, "verify"), {"rating": "5", "note": "很好"})
        assert not errors_of(response), messages_of(response)
        verified = refreshed(order)
        assert (verified.status, verified.rating, verified.verified_by) == (S.VERIFIED, 5, boss)
        client.post(step_url(order, "close"))
        closed = refreshed(order)
        assert closed.status == S.CLOSED and closed.closed_at

    def test_whoever_completed_the_work_does_not_verify_it(self, client, boss, order):
        services.start(order, by=boss)
        services.complete(order, resolution="自己修的", labour_hours=1, by=boss)
        client.force_login(boss)
        response = client.post(step_url(order, "verify"), {"rating": "5"})
        assert response.status_code == HTTPStatus.FOUND
        assert "Someone other than who completed the work verifies it." in errors_of(response)
        after = refreshed(order)
        assert after.status == S.COMPLETED and after.rating is None

    def test_send_back_counts_the_rework(self, client, boss, tech, order):
        order = advance(order, S.VERIFIED, tech=tech, boss=boss)
        client.force_login(boss)
        refused = client.post(step_url(order, "send-back"), {"reason": ""})
        assert errors_of(refused) and refreshed(order).status == S.VERIFIED
        client.post(step_url(order, "send-back"), {"reason": "仍有异响"})
        after = refreshed(order)
        assert after.status == S.IN_PROGRESS and after.rework_count == 1
        assert after.rating is None and after.completed_at is None

    def test_cancel_needs_a_reason(self, client, boss, order):
        client.force_login(boss)
        refused = client.post(step_url(order, "cancel"))
        assert errors_of(refused) and refreshed(order).status == S.ASSIGNED
        client.post(step_url(order, "cancel"), {"reason": "重复报修"})
        after = refreshed(order)
        assert (after.status, after.cancel_reason) == (S.CANCELLED, "重复报修")
        assert after.cancelled_at

    def test_a_closed_order_is_not_cancelled(self, client, boss, tech, order):
        order = advance(order, S.CLOSED, tech=tech, boss=boss)
        client.force_login(boss)
        response = client.post(step_url(order, "cancel"), {"reason": "x"})
        assert errors_of(response) and refreshed(order).status == S.CLOSED

    def test_assign_to_an_employee_or_a_contractor(self, client, home, boss, pump):
        new = open_order(boss, pump)
        worker = EmployeeFactory(property=home)
        client.force_login(boss)
        client.post(step_url(new, "assign"), {"assignee": worker.pk})
        after = refreshed(new)
        assert (after.status, after.assignee) == (S.ASSIGNED, worker)
        company = SupplierFactory()
        client.post(step_url(new, "assign"), {"contractor": company.pk})
        again = refreshed(new)
        assert again.contractor == company and again.assignee is None

    def test_assign_refuses_someone_of_another_property_or_nobody(self, client, other, boss, pump):
        new = open_order(boss, pump)
        client.force_login(boss)
        for data in ({"assignee": EmployeeFactory(property=other).pk}, {}):
            response = client.post(step_url(new, "assign"), data)
            assert errors_of(response), data
        after = refreshed(new)
        assert after.status == S.NEW and after.assignee is None

    def test_a_note(self, client, tech, order):
        client.force_login(tech)
        client.post(step_url(order, "note"), {"text": "已联系厂家"})
        note = order.events.get(kind=EventKind.NOTE)
        assert (note.text, note.by) == ("已联系厂家", tech)
        blank = client.post(step_url(order, "note"), {"text": "   "})
        assert errors_of(blank)
        assert order.events.filter(kind=EventKind.NOTE).count() == 1

    def test_the_next_parameter_stays_on_the_site(self, client, tech, order):
        client.force_login(tech)
        local = client.post(step_url(order, "note"), {"text": "a", "next": "/facilities/"})
        assert local.url == "/facilities/"
        away = client.post(step_url(order, "note"), {"text": "b", "next": "https://evil.example/"})
        assert away.url == order.get_absolute_url()


@pytest.mark.django_db
class TestStepPermissions:
    @pytest.mark.parametrize("step", ["verify", "send-back", "close", "assign", "cancel"])
    def test_a_technician_does_not_verify_assign_or_cancel(self, client, boss, tech, order, step):
        order = advance(
            order,
            S.COMPLETED if step in ("verify", "send-back") else S.ASSIGNED,
            tech=tech,
            boss=boss,
        )
        client.force_login(tech)
        response = client.post(
            step_url(order, step),
            {"rating": "5", "reason": "x", "assignee": tech.employee.pk},
        )
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert refreshed(order).status == order.status

    def test_the_technicians_page_offers_only_their_steps(self, client, boss, tech, order):
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        client.force_login(tech)
        can = client.get(order.get_absolute_url()).context["can"]
        assert can["complete"] and can["hold"] and can["work"] and can["note"]
        assert not (can["verify"] or can["assign"] or can["cancel"] or can["close"])
        client.force_login(boss)
        can = client.get(order.get_absolute_url()).context["can"]
        assert can["cancel"] and not can["verify"]  # not completed yet

    @pytest.mark.parametrize("step", STEPS)
    def test_a_guard_gets_403_on_every_step(self, client, guard, order, step):
        client.force_login(guard)
        response = client.post(step_url(order, step), {"text": "x", "reason": "x"})
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert refreshed(order).status == S.ASSIGNED

    def test_a_guard_sees_no_work_orders(self, client, guard, order):
        client.force_login(guard)
        assert client.get(reverse("facilities:workorder_list")).status_code == 403
        assert client.get(order.get_absolute_url()).status_code == HTTPStatus.FORBIDDEN
        assert client.get(reverse("facilities:workorder_print", args=[order.pk])).status_code == 403
        assert client.get(reverse("facilities:my_work_orders")).status_code == 403

    @pytest.mark.parametrize("step", STEPS)
    def test_another_propertys_order_is_404_on_every_step(self, client, other, step):
        outsider = UserFactory(groups=["facilities_supervisor"], properties=[PropertyFactory()])
        theirs = open_order(outsider, EquipmentFactory(property=other))
        client.force_login(outsider)
        response = client.post(step_url(theirs, step), {"text": "x", "reason": "x"})
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert refreshed(theirs).status == S.NEW
        assert not theirs.events.exclude(kind=EventKind.CREATED).exists()

    @pytest.mark.parametrize("step", STEPS)
    def test_get_on_a_step_is_405(self, client, boss, order, step):
        client.force_login(boss)
        assert client.get(step_url(order, step)).status_code == HTTPStatus.METHOD_NOT_ALLOWED

    @pytest.mark.parametrize("step", ["start", "note", "cancel"])
    def test_an_anonymous_post_is_sent_to_log_in(self, client, order, step):
        response = client.post(step_url(order, step), {"text": "x", "reason": "x"})
        assert response.status_code == HTTPStatus.FOUND
        assert "/accounts/login/" in response["Location"]
        assert refreshed(order).status == S.ASSIGNED

    def test_another_propertys_order_and_files_are_404(self, client, other, boss):
        outsider = UserFactory(groups=["facilities_supervisor"], properties=[other])
        theirs = open_order(outsider, EquipmentFactory(property=other), assignee=None)
        services.start(theirs, by=outsider)
        photo = services.add_photo(theirs, stage="before", image=png(), by=outsider)
        result = ChecklistResult.objects.create(work_order=theirs, text="x", passed=False)
        client.force_login(boss)
        for url in (
            theirs.get_absolute_url(),
            reverse("facilities:workorder_print", args=[theirs.pk]),
            reverse("facilities:workorder_edit", args=[theirs.pk]),
            reverse("facilities:workorderphoto_file", args=[photo.pk]),
            reverse("facilities:checklistresult_photo", args=[result.pk]),
        ):
            assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
        follow_up = reverse("facilities:checklistresult_follow_up", args=[result.pk])
        assert client.post(follow_up, {"priority": "high"}).status_code == 404
        assert WorkOrder.objects.count() == 1


# --- junk never gives a 500 ------------------------------------------------------------------

JUNK = [
    ("complete", S.IN_PROGRESS, {"resolution": "x", "labour_hours": "-1"}),
    ("complete", S.IN_PROGRESS, {"resolution": "x", "labour_hours": "NaN"}),
    ("complete", S.IN_PROGRESS, {"resolution": "x", "labour_hours": "Infinity"}),
    ("complete", S.IN_PROGRESS, {"resolution": "x", "labour_hours": "-Infinity"}),
    ("complete", S.IN_PROGRESS, {"resolution": "x", "labour_hours": "1e400"}),
    ("complete", S.IN_PROGRESS, {"resolution": "x", "labour_hours": "99999999999999"}),
    ("complete", S.IN_PROGRESS, {"resolution": "x", "labour_hours": "abc"}),
    ("complete", S.IN_PROGRESS, {"resolution": "x", "labour_hours": "1", "external_cost": "NaN"}),
    ("complete", S.IN_PROGRESS, {"resolution": "x", "labour_hours": "1", "external_cost": "-5"}),
    ("complete", S.IN_PROGRESS, {"resolution": "x", "labour_hours": "1", "external_cost": "1e11"}),
    (
        "complete",
        S.IN_PROGRESS,
        {"resolution": "x", "labour_hours": "1", "external_cost": "9" * 30},
    ),
    ("complete", S.IN_PROGRESS, {"resolution": "   ", "labour_hours": "1"}),
    ("complete", S.IN_PROGRESS, {}),
    ("verify", S.COMPLETED, {"rating": "abc"}),
    ("verify", S.COMPLETED, {"rating": "0"}),
    ("verify", S.COMPLETED, {"rating": "6"}),
    ("verify", S.COMPLETED, {"rating": "4.5"}),
    ("verify", S.COMPLETED, {"rating": "99999999999999999999999"}),
    ("verify", S.COMPLETED, {"rating": "5", "note": "x" * 501}),
    ("verify", S.COMPLETED, {}),
    ("send-back", S.COMPLETED, {"reason": ""}),
    ("send-back", S.COMPLETED, {}),
    ("hold", S.IN_PROGRESS, {"reason": "x" * 201}),
    ("hold", S.IN_PROGRESS, {}),
    ("cancel", S.ASSIGNED, {"reason": "\n\t "}),
    ("cancel", S.ASSIGNED, {}),
    ("assign", S.ASSIGNED, {"assignee": "abc"}),
    ("assign", S.ASSIGNED, {"assignee": "-1"}),
    ("assign", S.ASSIGNED, {"assignee": "99999999999999999999"}),
    ("assign", S.ASSIGNED, {"contractor": "x", "assignee": ""}),
    ("note", S.IN_PROGRESS, {"text": ""}),
    ("note", S.IN_PROGRESS, {"text": "x" * 2001}),
    ("note", S.IN_PROGRESS, {}),
    ("parts", S.IN_PROGRESS, {"storeroom": "abc", "item": "", "quantity": "1"}),
    ("parts", S.IN_PROGRESS, {}),
    ("photos", S.IN_PROGRESS, {"stage": "before"}),
    ("photos", S.IN_PROGRESS, {"stage": "zzz", "caption": "x" * 300}),
]


@pytest.mark.django_db
class TestJunk:
    @pytest.mark.parametrize(("step", "status", "data"), JUNK)
    def test_junk_posts_are_refused_with_a_message(
        self, client, boss, tech, order, step, status, data
    ):
        order = advance(order, status, tech=tech, boss=boss)
        events = order.events.count()
        client.force_login(boss)
        response = client.post(step_url(order, step), data)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == order.get_absolute_url()
        assert errors_of(response), messages_of(response)
        after = refreshed(order)
        assert after.status == status
        assert (after.labour_hours, after.external_cost, after.rating) == (
            order.labour_hours,
            order.external_cost,
            order.rating,
        )
        assert after.events.count() == events

    @pytest.mark.parametrize(
        "quantity", ["NaN", "Infinity", "-1", "0", "0.0001", "1e20", "999999999", "abc", ""]
    )
    def test_junk_quantities_of_parts(self, client, home, boss, tech, order, quantity):
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        room, item = StoreroomFactory(property=home), ItemFactory()
        stock(room, item, 10, boss)
        client.force_login(tech)
        response = client.post(
            step_url(order, "parts"), {"storeroom": room.pk, "item": item.pk, "quantity": quantity}
        )
        assert response.status_code == HTTPStatus.FOUND
        assert errors_of(response)
        assert balance(room, item) == 10
        assert refreshed(order).parts_cost == 0

    @pytest.mark.parametrize("step", ["start", "resume", "close"])
    def test_steps_without_a_form_ignore_extra_fields(self, client, boss, order, step):
        client.force_login(boss)
        response = client.post(step_url(order, step), {"rating": "x", "status": "closed"})
        assert response.status_code == HTTPStatus.FOUND

    @pytest.mark.parametrize(
        "query",
        [
            {"status": "zzz", "priority": "..", "overdue": "maybe", "page": "-1"},
            {"open": "perhaps", "kind": "x", "source": "y", "category": "abc"},
            {"assignee": "99999999999999999999", "equipment": "-5", "property": "p"},
            {"sort": "-no_such", "per_page": "0", "q": "x" * 1000},
            {"page": "99999"},
            {"_export": "csv", "status": "zzz"},
        ],
    )
    def test_junk_filters_on_the_list(self, client, boss, order, query):
        client.force_login(boss)
        response = client.get(reverse("facilities:workorder_list"), query)
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.NOT_FOUND)

    @pytest.mark.parametrize(
        "query",
        [
            {"ongoing": "maybe", "reason": "zzz", "page": "-1"},
            {"property": "abc", "equipment": "99999999999999999999"},
            {"sort": "nothing", "q": "\x00"},
        ],
    )
    def test_junk_filters_on_the_downtime_list(self, client, boss, query):
        client.force_login(boss)
        response = client.get(reverse("facilities:downtime_list"), query)
        assert response.status_code == HTTPStatus.OK


@pytest.mark.django_db
class TestListFilters:
    def test_the_open_and_overdue_filters(self, client, home, boss, tech, pump):
        late = open_order(boss, pump, opened_at=timezone.now() - datetime.timedelta(days=10))
        fresh = open_order(boss, pump)
        done = advance(
            open_order(boss, pump, assignee=tech.employee), S.COMPLETED, tech=tech, boss=boss
        )
        client.force_login(boss)
        url = reverse("facilities:workorder_list")

        def shown(query):
            rows = client.get(url, query).context["table"].page.object_list
            return {row.record for row in rows}

        assert shown({"overdue": "true"}) == {late}
        assert shown({"open": "true"}) == {late, fresh}
        assert shown({"open": "false"}) == {done}
        assert shown({"status": "completed"}) == {done}
        assert shown({"q": fresh.number}) == {fresh}
        late_row = client.get(url, {"overdue": "true"}).content.decode()
        assert "table-danger" in late_row


# --- checklist, follow-up, parts, photos -----------------------------------------------------


@pytest.fixture
def checked(boss, tech, pump):
    """An order of a plan with four kinds of step, in progress."""
    plan = MaintenancePlanFactory(equipment=pump)
    ChecklistItemFactory(plan=plan, position=1, text="无异响", kind=ChecklistKind.CHECK)
    ChecklistItemFactory(
        plan=plan,
        position=2,
        text="出口压力",
        kind=ChecklistKind.NUMBER,
        minimum=1,
        maximum=5,
        unit="bar",
    )
    ChecklistItemFactory(plan=plan, position=3, text="备注", kind=ChecklistKind.TEXT)
    ChecklistItemFactory(plan=plan, position=4, text="现场照片", kind=ChecklistKind.PHOTO)
    order = services.open_work_order(
        title=plan.title,
        by=None,
        equipment=pump,
        kind="preventive",
        source=WorkOrderSource.PLAN,
        plan=plan,
        due_on=plan.next_due,
        assignee=tech.employee,
    )
    services.start(order, by=tech)
    return refreshed(order)


def results_of(order):
    check, number, text, photo = order.results.order_by("position")
    return check, number, text, photo


@pytest.mark.django_db
class TestChecklist:
    def test_answers_are_recorded_and_failures_flagged(self, client, tech, checked):
        check, number, text, photo = results_of(checked)
        client.force_login(tech)
        page = client.get(checked.get_absolute_url())
        body = page.content.decode()
        for result in (check, number, text, photo):
            assert f'name="r{result.pk}"' in body
        response = client.post(
            step_url(checked, "checklist"),
            {
                f"r{check.pk}": "yes",
                f"r{number.pk}": "7.25",
                f"r{text.pk}": "  外壳有锈  ",
                f"r{photo.pk}": png("site.png"),
            },
        )
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == checked.get_absolute_url()
        levels = [level for level, _text in messages_of(response)]
        assert "success" in levels and "warning" in levels and "error" not in levels
        check, number, text, photo = results_of(checked)
        assert (check.checked_ok, check.passed) == (True, True)
        assert (number.number, number.passed) == (Decimal("7.250"), False)
        assert (text.answer, text.passed) == ("外壳有锈", True)
        assert photo.passed and photo.photo.name.endswith(".png")
        served = client.get(reverse("facilities:checklistresult_photo", args=[photo.pk]))
        assert served.status_code == HTTPStatus.OK
        assert served["Content-Type"] == "image/png"
        assert b"".join(served.streaming_content).startswith(b"\x89PNG")
        assert checked.events.filter(kind=EventKind.CHECK).exists()
        page = client.get(checked.get_absolute_url())
        assert page.context["failed"] == [number]

    def test_a_not_ok_check_fails(self, client, tech, checked):
        check = results_of(checked)[0]
        client.force_login(tech)
        client.post(step_url(checked, "checklist"), {f"r{check.pk}": "no"})
        check.refresh_from_db()
        assert (check.checked_ok, check.passed) == (False, False)

    def test_a_jpeg_is_taken(self, client, tech, checked):
        photo = results_of(checked)[3]
        client.force_login(tech)
        response = client.post(step_url(checked, "checklist"), {f"r{photo.pk}": jpeg()})
        assert not errors_of(response), messages_of(response)
        photo.refresh_from_db()
        assert photo.passed and photo.photo.name.endswith(".jpg")

    @pytest.mark.parametrize(
        "upload",
        [
            SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain"),
            SimpleUploadedFile("fake.png", b"this is not an image", content_type="image/png"),
            SimpleUploadedFile("polyglot.jpg", b"\xff\xd8\xff\xe0<html><script>alert(1)</script>"),
            SimpleUploadedFile("anim.gif", b"GIF89a\x01\x00\x01\x00", content_type="image/gif"),
            SimpleUploadedFile("empty.png", b"", content_type="image/png"),
        ],
        ids=["txt", "text-named-png", "jpeg-header-then-html", "gif", "empty"],
    )
    def test_an_invalid_upload_is_refused_with_a_message(self, client, tech, checked, upload):
        check, _number, _text, photo = results_of(checked)
        client.force_login(tech)
        response = client.post(
            step_url(checked, "checklist"), {f"r{check.pk}": "yes", f"r{photo.pk}": upload}
        )
        assert response.status_code == HTTPStatus.FOUND
        assert errors_of(response)
        photo.refresh_from_db()
        check.refresh_from_db()
        assert not photo.photo and photo.passed is None
        assert check.passed is None  # nothing of a refused form is saved

    @pytest.mark.parametrize(
        "answers",
        [
            {"check": "maybe"},
            {"number": "abc"},
            {"number": "NaN"},
            {"number": "Infinity"},
            {"number": "-Infinity"},
            {"number": "1e50"},
            {"number": "1234567890123"},
            {"number": "1.23456"},
            {"text": "x" * 501},
        ],
    )
    def test_junk_answers_are_refused_with_a_message(self, client, tech, checked, answers):
        results = dict(zip(("check", "number", "text", "photo"), results_of(checked), strict=True))
        client.force_login(tech)
        response = client.post(
            step_url(checked, "checklist"),
            {f"r{results[key].pk}": value for key, value in answers.items()},
        )
        assert response.status_code == HTTPStatus.FOUND
        assert errors_of(response)
        assert not ChecklistResult.objects.filter(work_order=checked, passed__isnull=False)

    def test_the_checklist_is_recorded_only_while_in_progress(self, client, tech, checked):
        check = results_of(checked)[0]
        services.hold(checked, reason="停电", by=tech)
        client.force_login(tech)
        response = client.post(step_url(checked, "checklist"), {f"r{check.pk}": "yes"})
        assert errors_of(response)
        check.refresh_from_db()
        assert check.passed is None

    def test_unknown_fields_are_ignored(self, client, tech, checked):
        client.force_login(tech)
        response = client.post(step_url(checked, "checklist"), {"r999999": "yes", "rx": "1"})
        assert response.status_code == HTTPStatus.FOUND

    def test_complete_waits_for_every_answer(self, client, boss, tech, checked):
        check, number, text, photo = results_of(checked)
        client.force_login(tech)
        data = {"resolution": "保养完成", "labour_hours": "2"}
        refused = client.post(step_url(checked, "complete"), data)
        assert any("Answer every checklist step" in e for e in errors_of(refused))
        assert refreshed(checked).status == S.IN_PROGRESS
        client.post(
            step_url(checked, "checklist"),
            {
                f"r{check.pk}": "yes",
                f"r{number.pk}": "3",
                f"r{text.pk}": "正常",
                f"r{photo.pk}": png(),
            },
        )
        done = client.post(step_url(checked, "complete"), data)
        assert not errors_of(done), messages_of(done)
        assert refreshed(checked).status == S.COMPLETED


@pytest.mark.django_db
class TestFollowUp:
    def failed_number(self, client, tech, checked):
        number = results_of(checked)[1]
        client.force_login(tech)
        client.post(step_url(checked, "checklist"), {f"r{number.pk}": "9"})
        number.refresh_from_db()
        assert number.passed is False
        return number

    def test_a_failed_step_opens_its_repair_order(self, client, tech, checked):
        number = self.failed_number(client, tech, checked)
        url = reverse("facilities:checklistresult_follow_up", args=[number.pk])
        response = client.post(url, {"priority": "urgent"})
        number.refresh_from_db()
        follow_up = number.follow_up
        assert follow_up is not None
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == follow_up.get_absolute_url()
        assert follow_up.source == WorkOrderSource.FOLLOW_UP
        assert follow_up.parent == checked and follow_up.priority == "urgent"
        assert follow_up.equipment == checked.equipment
        assert "9 bar" in follow_up.description
        # Only once.
        again = client.post(url, {"priority": "high"})
        assert again.url == checked.get_absolute_url()
        assert errors_of(again)
        assert WorkOrder.objects.filter(parent=checked).count() == 1
        page = client.get(checked.get_absolute_url())
        assert follow_up.number in page.content.decode()

    def test_a_passed_step_opens_nothing(self, client, tech, checked):
        check = results_of(checked)[0]
        client.force_login(tech)
        client.post(step_url(checked, "checklist"), {f"r{check.pk}": "yes"})
        url = reverse("facilities:checklistresult_follow_up", args=[check.pk])
        response = client.post(url, {"priority": "high"})
        assert response.url == checked.get_absolute_url()
        assert errors_of(response)
        assert not WorkOrder.objects.filter(parent=checked).exists()

    @pytest.mark.parametrize("data", [{"priority": "zzz"}, {}])
    def test_junk_priority_is_refused(self, client, tech, checked, data):
        number = self.failed_number(client, tech, checked)
        url = reverse("facilities:checklistresult_follow_up", args=[number.pk])
        response = client.post(url, data)
        assert response.url == checked.get_absolute_url()
        assert errors_of(response)
        assert not WorkOrder.objects.filter(parent=checked).exists()

    def test_follow_up_needs_work_on_and_post(self, client, guard, tech, checked):
        number = self.failed_number(client, tech, checked)
        url = reverse("facilities:checklistresult_follow_up", args=[number.pk])
        assert client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED
        client.force_login(guard)
        assert client.post(url, {"priority": "high"}).status_code == HTTPStatus.FORBIDDEN
        viewer = UserFactory(groups=["viewer"], properties=[checked.property])
        client.force_login(viewer)
        assert client.post(url, {"priority": "high"}).status_code == HTTPStatus.FORBIDDEN
        assert not WorkOrder.objects.filter(parent=checked).exists()


@pytest.mark.django_db
class TestParts:
    @pytest.fixture
    def shelf(self, home, boss):
        room, item = StoreroomFactory(property=home), ItemFactory(unit="个")
        stock(room, item, 10, boss, cost="5.00")
        return room, item

    def test_parts_are_issued_from_stock(self, client, boss, tech, order, shelf):
        room, item = shelf
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        client.force_login(tech)
        response = client.post(
            step_url(order, "parts"), {"storeroom": room.pk, "item": item.pk, "quantity": "3"}
        )
        assert response.status_code == HTTPStatus.FOUND
        assert not errors_of(response), messages_of(response)
        assert balance(room, item) == 7
        after = refreshed(order)
        assert after.parts_cost == Decimal("15.00")
        part = WorkOrderPart.objects.get(work_order=order)
        assert (part.item, part.quantity, part.value, part.issued_by) == (
            item,
            Decimal(3),
            Decimal("15.00"),
            tech,
        )
        assert part.movement.work_order_ref == order.number
        assert after.events.filter(kind=EventKind.PART).exists()
        page = client.get(order.get_absolute_url())
        assert page.context["parts"] == [part]

    def test_not_enough_stock_changes_nothing(self, client, boss, tech, order, shelf):
        room, item = shelf
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        movements = StockMovement.objects.count()
        client.force_login(tech)
        response = client.post(
            step_url(order, "parts"), {"storeroom": room.pk, "item": item.pk, "quantity": "11"}
        )
        assert response.status_code == HTTPStatus.FOUND
        assert any("Only" in e for e in errors_of(response)), messages_of(response)
        assert balance(room, item) == 10
        assert refreshed(order).parts_cost == 0
        assert not WorkOrderPart.objects.exists()
        assert StockMovement.objects.count() == movements

    def test_the_shortage_message_says_how_many_are_left(self, client, boss, tech, order, shelf):
        room, item = shelf
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        client.force_login(tech)
        response = client.post(
            step_url(order, "parts"), {"storeroom": room.pk, "item": item.pk, "quantity": "11"}
        )
        assert any(e.startswith("Only 10 个 of") for e in errors_of(response)), errors_of(response)

    def test_another_propertys_storeroom_is_refused(self, client, other, boss, tech, order, shelf):
        _room, item = shelf
        theirs = StoreroomFactory(property=other)
        stock(theirs, item, 10, boss)
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        client.force_login(tech)
        response = client.post(
            step_url(order, "parts"), {"storeroom": theirs.pk, "item": item.pk, "quantity": "1"}
        )
        assert errors_of(response)
        assert balance(theirs, item) == 10
        assert not WorkOrderPart.objects.exists()

    def test_an_item_never_stocked_there_is_refused(self, client, boss, tech, order, shelf):
        room, _item = shelf
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        other_item = ItemFactory()
        client.force_login(tech)
        response = client.post(
            step_url(order, "parts"), {"storeroom": room.pk, "item": other_item.pk, "quantity": "1"}
        )
        assert errors_of(response)
        assert not WorkOrderPart.objects.exists()
        assert refreshed(order).parts_cost == 0

    def test_parts_on_a_contractors_order(self, client, boss, tech, pump, shelf):
        room, item = shelf
        order = open_order(boss, pump, contractor=SupplierFactory())
        services.start(order, by=boss)
        client.force_login(tech)
        response = client.post(
            step_url(order, "parts"), {"storeroom": room.pk, "item": item.pk, "quantity": "2"}
        )
        assert not errors_of(response), messages_of(response)
        assert balance(room, item) == 8
        assert refreshed(order).parts_cost == Decimal("10.00")

    @pytest.mark.parametrize("status", [S.NEW, S.COMPLETED])
    def test_parts_only_while_work_goes_on(self, client, boss, tech, pump, shelf, status):
        room, item = shelf
        order = open_order(boss, pump, assignee=tech.employee if status != S.NEW else None)
        order = advance(order, status, tech=tech, boss=boss)
        client.force_login(tech)
        response = client.post(
            step_url(order, "parts"), {"storeroom": room.pk, "item": item.pk, "quantity": "1"}
        )
        assert errors_of(response)
        assert balance(room, item) == 10

    def test_an_order_with_parts_is_completed_not_cancelled(self, client, boss, tech, order, shelf):
        room, item = shelf
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        services.use_parts(order, room, {item: 1}, by=tech)
        client.force_login(boss)
        response = client.post(step_url(order, "cancel"), {"reason": "不修了"})
        assert errors_of(response)
        assert refreshed(order).status == S.IN_PROGRESS


@pytest.mark.django_db
class TestPhotos:
    @pytest.mark.parametrize("make", [png, jpeg], ids=["png", "jpeg"])
    def test_a_photo_is_added_and_served(self, client, boss, tech, order, make):
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        client.force_login(tech)
        upload = make()
        response = client.post(
            step_url(order, "photos"), {"stage": "after", "image": upload, "caption": " 修好了 "}
        )
        assert not errors_of(response), messages_of(response)
        photo = WorkOrderPhoto.objects.get(work_order=order)
        assert (photo.stage, photo.caption, photo.uploaded_by) == ("after", "修好了", tech)
        served = client.get(reverse("facilities:workorderphoto_file", args=[photo.pk]))
        assert served.status_code == HTTPStatus.OK
        assert served["Content-Type"] == upload.content_type
        assert served["X-Content-Type-Options"] == "nosniff"
        assert client.get(order.get_absolute_url()).context["photos"] == [photo]

    @pytest.mark.parametrize(
        "upload",
        [
            SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain"),
            SimpleUploadedFile("fake.png", b"<?php echo 1; ?>", content_type="image/png"),
            SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"),
            SimpleUploadedFile(
                "big.png", png_bytes() + b"\0" * (8 * 1024 * 1024), content_type="image/png"
            ),
        ],
        ids=["txt", "text-named-png", "svg", "empty", "too-big"],
    )
    def test_an_invalid_photo_is_refused(self, client, boss, tech, order, upload):
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        client.force_login(tech)
        response = client.post(step_url(order, "photos"), {"stage": "before", "image": upload})
        assert response.status_code == HTTPStatus.FOUND
        assert errors_of(response)
        assert not WorkOrderPhoto.objects.exists()

    def test_a_very_long_file_name_is_no_500(self, client, boss, tech, order):
        order = advance(order, S.IN_PROGRESS, tech=tech, boss=boss)
        client.force_login(tech)
        response = client.post(
            step_url(order, "photos"), {"stage": "before", "image": png("照" * 120 + ".png")}
        )
        assert response.status_code == HTTPStatus.FOUND
        for photo in WorkOrderPhoto.objects.all():
            assert len(photo.image.name) <= 100
            assert (
                client.get(reverse("facilities:workorderphoto_file", args=[photo.pk])).status_code
                == HTTPStatus.OK
            )

    def test_no_photos_on_a_closed_order(self, client, boss, tech, order):
        order = advance(order, S.CLOSED, tech=tech, boss=boss)
        client.force_login(tech)
        response = client.post(step_url(order, "photos"), {"stage": "after", "image": png()})
        assert errors_of(response)
        assert not WorkOrderPhoto.objects.exists()


# --- the fault report ------------------------------------------------------------------------


@pytest.mark.django_db
class TestFaultReport:
    url = "/facilities/report-fault/"

    def test_the_equipment_from_the_label_is_prefilled(self, client, tech, pump):
        client.force_login(tech)
        page = client.get(self.url, {"equipment": pump.pk})
        assert page.status_code == HTTPStatus.OK
        assert page.context["equipment"] == pump
        body = page.content.decode()
        assert f'<input type="hidden" name="equipment" value="{pump.pk}">' in body
        assert pump.asset_code in body

    def test_a_report_opens_a_repair_order_and_stops_the_equipment(self, client, tech, pump):
        client.force_login(tech)
        response = client.post(
            f"{self.url}?equipment={pump.pk}",
            {
                "equipment": pump.pk,
                "description": "水泵不出水\n电机过热",
                "priority": "high",
                "out_of_service": "on",
                "contact": " 13900000000 ",
                "photo": png(),
            },
        )
        order = WorkOrder.objects.get()
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == order.get_absolute_url()
        assert (order.source, order.kind, order.priority) == (
            WorkOrderSource.FAULT_REPORT,
            "repair",
            "high",
        )
        assert order.reported_by == tech and order.contact == "13900000000"
        assert order.display_title == "Fault: 水泵不出水" and order.status == S.NEW
        assert order.equipment == pump and order.property == pump.property
        downtime = Downtime.objects.get(equipment=pump)
        assert downtime.ended_at is None and downtime.work_order == order
        assert downtime.reason == DowntimeReason.FAILURE
        pump.refresh_from_db()
        assert pump.status == EquipmentStatus.FAULTY
        assert order.photos.get().stage == "before"
        assert any(order.number in text for _level, text in messages_of(response))

    def test_a_report_without_out_of_service_leaves_the_equipment_running(self, client, tech, pump):
        client.force_login(tech)
        client.post(self.url, {"equipment": pump.pk, "description": "有异响", "priority": "normal"})
        assert WorkOrder.objects.get().equipment == pump
        assert not Downtime.objects.exists()
        pump.refresh_from_db()
        assert pump.status == EquipmentStatus.IN_SERVICE

    def test_a_place_instead_of_equipment(self, client, home, tech):
        corridor = LocationFactory(property=home)
        client.force_login(tech)
        response = client.post(
            self.url,
            {
                "location": corridor.pk,
                "description": "走廊漏水",
                "priority": "urgent",
                "out_of_service": "on",
            },
        )
        assert response.status_code == HTTPStatus.FOUND
        order = WorkOrder.objects.get()
        assert (order.location, order.equipment, order.property) == (corridor, None, home)
        assert not Downtime.objects.exists()

    def test_another_propertys_equipment_is_not_shown(self, client, other, tech):
        theirs = EquipmentFactory(property=other)
        client.force_login(tech)
        page = client.get(self.url, {"equipment": theirs.pk})
        assert page.status_code == HTTPStatus.OK
        assert page.context["equipment"] is None
        assert theirs.asset_code not in page.content.decode()

    def test_another_propertys_equipment_is_a_form_error(self, client, other, tech):
        theirs = EquipmentFactory(property=other)
        client.force_login(tech)
        response = client.post(
            f"{self.url}?equipment={theirs.pk}",
            {
                "equipment": theirs.pk,
                "description": "坏了",
                "priority": "normal",
                "out_of_service": "on",
            },
        )
        assert response.status_code == HTTPStatus.OK
        assert "equipment" in response.context["form"].errors
        assert not WorkOrder.objects.exists() and not Downtime.objects.exists()
        theirs.refresh_from_db()
        assert theirs.status == EquipmentStatus.IN_SERVICE

    def test_a_place_of_another_property_is_a_form_error(self, client, other, tech, pump):
        client.force_login(tech)
        response = client.post(
            self.url,
            {
                "equipment": pump.pk,
                "location": LocationFactory(property=other).pk,
                "description": "x",
                "priority": "normal",
            },
        )
        assert "location" in response.context["form"].errors
        assert not WorkOrder.objects.exists()

    @pytest.mark.parametrize(
        "data",
        [
            {"description": ""},
            {"description": "   "},
            {"description": "x" * 2001},
            {"description": "x", "priority": "low"},  # not offered on the form
            {"description": "x", "priority": "zzz"},
            {"description": "x", "photo": SimpleUploadedFile("a.png", b"not png")},
            {"description": "x", "photo": SimpleUploadedFile("a.txt", b"text")},
            {"description": "x", "contact": "x" * 101},
        ],
    )
    def test_bad_input_is_a_form_error(self, client, tech, pump, data):
        client.force_login(tech)
        response = client.post(
            f"{self.url}?equipment={pump.pk}",
            {"equipment": pump.pk, "priority": "normal", **data},
        )
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors
        assert not WorkOrder.objects.exists()

    def test_nothing_chosen_is_a_form_error(self, client, tech):
        client.force_login(tech)
        response = client.post(self.url, {"description": "哪里坏了", "priority": "normal"})
        assert response.context["form"].non_field_errors()
        assert not WorkOrder.objects.exists()

    def test_a_guard_reports_and_returns_to_the_equipment(self, client, guard, pump):
        client.force_login(guard)
        assert client.get(self.url, {"equipment": pump.pk}).status_code == HTTPStatus.OK
        response = client.post(
            f"{self.url}?equipment={pump.pk}",
            {"equipment": pump.pk, "description": "消防栓漏水", "priority": "normal"},
        )
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == pump.get_absolute_url()
        order = WorkOrder.objects.get()
        assert order.reported_by == guard and order.source == WorkOrderSource.FAULT_REPORT
        assert client.get(response.url).status_code == HTTPStatus.OK

    def test_without_the_permission_it_is_403(self, client, home):
        client.force_login(UserFactory(groups=["hr"], properties=[home]))
        assert client.get(self.url).status_code == HTTPStatus.FORBIDDEN

    def test_an_anonymous_user_is_sent_to_log_in(self, client, pump):
        response = client.get(self.url, {"equipment": pump.pk})
        assert response.status_code == HTTPStatus.FOUND
        assert "/accounts/login/" in response["Location"]
        posted = client.post(self.url, {"equipment": pump.pk, "description": "x"})
        assert "/accounts/login/" in posted["Location"]
        assert not WorkOrder.objects.exists()

    @pytest.mark.parametrize("junk", ["abc", "-1", "", "1.5", "99999999999999999999"])
    def test_a_junk_equipment_in_the_link_is_ignored(self, client, tech, junk):
        client.force_login(tech)
        page = client.get(self.url, {"equipment": junk})
        assert page.status_code == HTTPStatus.OK
        assert page.context["equipment"] is None

    def test_a_unicode_digit_in_the_link_is_ignored(self, client, tech):
        client.force_login(tech)
        page = client.get(self.url, {"equipment": "²"})
        assert page.status_code == HTTPStatus.OK
        assert page.context["equipment"] is None


# --- the equipment page and downtime -------------------------------------------------------


@pytest.mark.django_db
class TestEquipmentPage:
    def test_report_fault_button_orders_and_downtime(self, client, boss, tech, pump, order):
        services.start_downtime(pump, reason=DowntimeReason.PLANNED, by=boss, note="换阀门")
        client.force_login(tech)
        page = client.get(pump.get_absolute_url())
        assert page.status_code == HTTPStatus.OK
        body = page.content.decode()
        assert 'id="report-fault"' in body
        assert f"/facilities/report-fault/?equipment={pump.pk}" in body
        assert order.number in body
        assert "换阀门" in body and 'id="down"' in body
        assert page.context["open_downtime"] is not None
        assert page.context["totals"]["orders"] == 1

    def test_no_button_without_report_fault(self, client, home, pump):
        client.force_login(UserFactory(groups=["viewer"], properties=[home]))
        page = client.get(pump.get_absolute_url())
        assert page.status_code == HTTPStatus.OK
        assert 'id="report-fault"' not in page.content.decode()

    def test_the_page_and_its_qr_code_are_behind_login(self, client, pump):
        for url in (pump.get_absolute_url(), reverse("facilities:equipment_qr", args=[pump.pk])):
            response = client.get(url)
            assert response.status_code == HTTPStatus.FOUND
            assert "/accounts/login/" in response["Location"]

    def test_the_query_count_does_not_grow(self, client, home, boss, tech, pump):
        client.force_login(boss)

        def add(count):
            for n in range(count):
                order = open_order(
                    boss, pump, assignee=tech.employee if n % 2 else None, title=f"单{n}"
                )
                start = timezone.now() - datetime.timedelta(days=30 - n)
                Downtime.objects.create(
                    equipment=pump,
                    work_order=order,
                    reason=DowntimeReason.FAILURE,
                    started_at=start,
                    ended_at=start + datetime.timedelta(hours=2),
                )
                MaintenancePlanFactory(equipment=pump)

        add(3)
        client.get(pump.get_absolute_url())
        with CaptureQueriesContext(connection) as few:
            client.get(pump.get_absolute_url())
        add(12)
        with CaptureQueriesContext(connection) as many:
            page = client.get(pump.get_absolute_url())
        assert len(page.context["plans"]) == 15
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
class TestDowntime:
    def url(self, equipment):
        return reverse("facilities:equipment_downtime", args=[equipment.pk])

    def test_start_from_the_equipment_page_and_end(self, client, tech, pump):
        client.force_login(tech)
        response = client.post(self.url(pump), {"reason": "planned", "note": "季度保养"})
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == pump.get_absolute_url()
        downtime = Downtime.objects.get(equipment=pump)
        assert downtime.ended_at is None and downtime.note == "季度保养"
        pump.refresh_from_db()
        assert pump.status == EquipmentStatus.MAINTENANCE
        again = client.post(self.url(pump), {"reason": "failure"})
        assert "This equipment is already down." in errors_of(again)
        assert Downtime.objects.count() == 1
        page = client.get(downtime.get_absolute_url())
        assert page.status_code == HTTPStatus.OK and page.context["can_end"]
        ended = client.post(reverse("facilities:downtime_end", args=[downtime.pk]))
        assert ended.url == downtime.get_absolute_url()
        downtime.refresh_from_db()
        pump.refresh_from_db()
        assert downtime.ended_at is not None and pump.status == EquipmentStatus.IN_SERVICE
        twice = client.post(reverse("facilities:downtime_end", args=[downtime.pk]))
        assert errors_of(twice)
        assert not client.get(downtime.get_absolute_url()).context["can_end"]

    def test_a_start_in_the_past_is_kept(self, client, tech, pump):
        client.force_login(tech)
        since = timezone.localtime() - datetime.timedelta(hours=3)
        client.post(
            self.url(pump), {"reason": "external", "started_at": since.strftime("%Y-%m-%dT%H:%M")}
        )
        downtime = Downtime.objects.get()
        assert abs(downtime.started_at - since) < datetime.timedelta(minutes=1)
        pump.refresh_from_db()
        assert pump.status == EquipmentStatus.STOPPED

    @pytest.mark.parametrize(
        "data",
        [
            {"reason": "zzz"},
            {},
            {"reason": "failure", "started_at": "yesterday"},
            {"reason": "failure", "started_at": "2999-01-01T00:00"},
            {"reason": "failure", "started_at": "99999-01-01T00:00"},
            {"reason": "failure", "started_at": "0001-01-01T00:00"},
            {"reason": "failure", "started_at": "9999-12-31T23:59"},
            {"reason": "failure", "note": "x" * 201},
        ],
    )
    def test_bad_input_is_refused_with_a_message(self, client, tech, pump, data):
        client.force_login(tech)
        response = client.post(self.url(pump), data)
        assert response.status_code == HTTPStatus.FOUND
        assert errors_of(response)
        assert not Downtime.objects.exists()

    @pytest.mark.parametrize(
        "ended_at",
        [
            "not a time",
            "2000-01-01T00:00",
            "2999-01-01T00:00",
            "0000-00-00T00:00",
            "0001-01-01T00:00",
            "9999-12-31T23:59",
        ],
    )
    def test_a_bad_end_is_refused_with_a_message(self, client, boss, tech, pump, ended_at):
        downtime = services.start_downtime(pump, reason="failure", by=boss)
        client.force_login(tech)
        response = client.post(
            reverse("facilities:downtime_end", args=[downtime.pk]), {"ended_at": ended_at}
        )
        assert response.status_code == HTTPStatus.FOUND
        assert errors_of(response)
        downtime.refresh_from_db()
        assert downtime.ended_at is None

    def test_permissions_and_scoping(self, client, other, boss, guard, pump):
        downtime = services.start_downtime(pump, reason="failure", by=boss)
        client.force_login(guard)
        assert client.post(self.url(pump), {"reason": "planned"}).status_code == 403
        end = reverse("facilities:downtime_end", args=[downtime.pk])
        assert client.post(end).status_code == HTTPStatus.FORBIDDEN
        assert client.get(reverse("facilities:downtime_list")).status_code == 403
        outsider = UserFactory(groups=["facilities_supervisor"], properties=[other])
        client.force_login(outsider)
        assert client.post(self.url(pump), {"reason": "planned"}).status_code == 404
        assert client.post(end).status_code == HTTPStatus.NOT_FOUND
        assert client.get(downtime.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
        assert client.get(end).status_code in (HTTPStatus.NOT_FOUND, 405)
        downtime.refresh_from_db()
        assert downtime.ended_at is None

    def test_the_list_shows_the_users_downtime(self, client, other, boss, pump):
        mine = services.start_downtime(pump, reason="failure", by=boss)
        theirs = services.start_downtime(
            EquipmentFactory(property=other), reason="failure", by=boss
        )
        client.force_login(boss)
        response = client.get(reverse("facilities:downtime_list"))
        shown = {row.record for row in response.context["table"].page.object_list}
        assert shown == {mine}
        assert theirs not in shown
        ongoing = client.get(reverse("facilities:downtime_list"), {"ongoing": "false"})
        assert not list(ongoing.context["table"].page.object_list)

    def test_the_detail_page(self, client, boss, pump, order):
        downtime = services.start_downtime(pump, reason="failure", work_order=order, by=boss)
        client.force_login(boss)
        page = client.get(downtime.get_absolute_url())
        assert page.status_code == HTTPStatus.OK
        assert page.context["duration"] >= datetime.timedelta(0)
        assert order.number in page.content.decode()

    def test_the_list_query_count_does_not_grow(self, client, home, boss, pump):
        client.force_login(boss)

        def add(count):
            for _ in range(count):
                equipment = EquipmentFactory(property=home)
                order = open_order(boss, equipment)
                services.start_downtime(equipment, reason="failure", work_order=order, by=boss)

        url = reverse("facilities:downtime_list")
        add(3)
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        add(12)
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        assert len(response.context["table"].page.object_list) == 15
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- my work orders (My work filtered on facilities), the printable order, query counts ----


def my_orders(response, kind):
    """The work orders of one kind of item on My work, in the order shown."""
    urls = [
        item.url
        for group in response.context["work"].groups
        for item in group.items
        if item.kind == kind
    ]
    by_url = {order.get_absolute_url(): order for order in WorkOrder.objects.all()}
    return [by_url[url] for url in urls]


@pytest.mark.django_db
class TestMyWorkOrders:
    """我的工单 is My work (``/my-work/``) filtered on facilities: the old address leads there."""

    url = "/my-work/?area=facilities"

    def test_the_old_address_leads_to_my_work(self, client, tech, guard):
        client.force_login(tech)
        response = client.get("/facilities/work-orders/mine/")
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == self.url
        client.force_login(guard)
        assert client.get("/facilities/work-orders/mine/").status_code == HTTPStatus.FORBIDDEN

    def test_mine_and_the_untaken_new_ones(self, client, home, other, boss, tech, pump):
        mine_normal = open_order(boss, pump, assignee=tech.employee, title="我的普通")
        mine_urgent = open_order(boss, pump, assignee=tech.employee, priority="urgent")
        mine_held = advance(
            open_order(boss, pump, assignee=tech.employee), S.ON_HOLD, tech=tech, boss=boss
        )
        mine_done = advance(
            open_order(boss, pump, assignee=tech.employee), S.COMPLETED, tech=tech, boss=boss
        )
        someone_elses = open_order(boss, pump, assignee=EmployeeFactory(property=home))
        contractor_new = open_order(boss, pump, contractor=SupplierFactory())
        untaken = open_order(boss, pump, title="没人接")
        cancelled = services.cancel(open_order(boss, pump), reason="x", by=boss)
        outsider = UserFactory(groups=["facilities_supervisor"], properties=[other])
        theirs = open_order(outsider, EquipmentFactory(property=other))
        client.force_login(tech)
        response = client.get(self.url)
        assert response.status_code == HTTPStatus.OK
        assert response.context["has_employee"]
        mine = my_orders(response, "Assigned to you")
        assert mine[0] == mine_urgent  # most urgent first
        assert set(mine) == {mine_normal, mine_urgent, mine_held}
        assert my_orders(response, "New, not yet taken") == [untaken]
        body = response.content.decode()
        for hidden in (mine_done, someone_elses, contractor_new, cancelled, theirs):
            assert hidden.number not in body
        assert untaken.number in body and mine_normal.number in body
        # The quick actions: start one's own order, take (and start) a new one.
        assert f'action="/facilities/work-orders/{mine_normal.pk}/start/"' in body
        assert f'action="/facilities/work-orders/{untaken.pk}/start/"' in body
        assert f'action="/facilities/work-orders/{mine_held.pk}/start/"' not in body

    def test_taking_a_new_order_from_my_work(self, client, boss, tech, pump):
        untaken = open_order(boss, pump, title="没人接")
        client.force_login(tech)
        response = client.post(step_url(untaken, "start"))
        assert response["Location"] == untaken.get_absolute_url()
        untaken.refresh_from_db()
        assert untaken.status == S.IN_PROGRESS and untaken.assignee == tech.employee
        page = client.get(self.url)
        assert my_orders(page, "Assigned to you") == [untaken]
        assert my_orders(page, "New, not yet taken") == []

    def test_a_login_without_an_employee_is_told(self, client, home, boss, pump):
        untaken = open_order(boss, pump)
        client.force_login(boss)
        response = client.get(self.url)
        assert response.status_code == HTTPStatus.OK
        assert not response.context["has_employee"]
        assert my_orders(response, "Assigned to you") == []
        assert my_orders(response, "New, not yet taken") == [untaken]
        # Nobody to give it to: no "take" button for a login without an employee record.
        assert f"/work-orders/{untaken.pk}/start/" not in response.content.decode()

    def test_the_query_count_does_not_grow(self, client, home, boss, tech, pump):
        client.force_login(tech)
        location = LocationFactory(property=home)

        def add(count):
            for n in range(count):
                open_order(boss, pump, assignee=tech.employee, priority="high")
                services.open_work_order(title=f"地点{n}", by=boss, location=location)

        add(3)
        client.get(self.url)
        with CaptureQueriesContext(connection) as few:
            client.get(self.url)
        add(12)
        with CaptureQueriesContext(connection) as many:
            response = client.get(self.url)
        assert len(my_orders(response, "Assigned to you")) == 15
        assert len(my_orders(response, "New, not yet taken")) == 15
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
class TestPrintAndDetail:
    def test_the_printable_order(self, client, boss, tech, checked):
        # Reported by someone with a login, and a contact number: both on the document.
        checked.reported_by, checked.contact = boss, "13900000000"
        checked.save(update_fields=["reported_by", "contact"])
        client.force_login(tech)
        response = client.get(reverse("facilities:workorder_print", args=[checked.pk]))
        assert response.status_code == HTTPStatus.OK
        body = response.content.decode()
        assert checked.number in body and "出口压力" in body and "1–5 bar" in body
        reporter = boss.get_full_name() or boss.get_username()
        assert f"{reporter} 13900000000" in body

    def test_the_document_shows_results_and_sign_off_and_nothing_internal(
        self, client, tech, checked
    ):
        services.record_checklist(
            checked,
            {
                r.pk: {"checked_ok": True, "number": Decimal("7.5")}
                for r in checked.results.all()
                if r.kind in ("check", "number")
            },
            by=tech,
        )
        client.force_login(tech)
        response = client.get(reverse("facilities:workorder_print", args=[checked.pk]))
        body = response.content.decode()
        checklist = body[body.index("<h2>Checklist") : body.index("<h2>Parts")]
        assert "出口压力" in checklist and 'class="fail"' in checklist, checklist
        assert "Done by" in body and "Checked by" in body and "Requester" in body
        for internal in ("<form", "Timeline", "History", "sidebar"):
            assert internal not in body, internal
        detail = client.get(checked.get_absolute_url()).content.decode()
        assert reverse("facilities:workorder_pdf", args=[checked.pk]) in detail

    def test_the_work_order_pdf(self, client, tech, checked):
        from tests.documents import compact, needs_pdf, pdf_text

        needs_pdf()
        client.force_login(tech)
        text = compact(pdf_text(client.get(reverse("facilities:workorder_pdf", args=[checked.pk]))))
        assert checked.number in text and "出口压力" in text

    def test_the_detail_page_links_back_to_the_plan(self, client, tech, checked):
        client.force_login(tech)
        page = client.get(checked.get_absolute_url())
        assert page.context["source_url"] == checked.plan.get_absolute_url()
        assert page.context["checklist_rows"][0][1] is not None  # a field while in progress

    def test_the_list_query_count_does_not_grow(self, client, home, boss, tech, pump):
        client.force_login(boss)
        url = reverse("facilities:workorder_list")

        def add(count):
            for n in range(count):
                open_order(boss, pump, assignee=tech.employee if n % 2 else None)

        add(3)
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        add(12)
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        assert len(response.context["table"].page.object_list) == 15
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]

    def test_the_detail_query_count_does_not_grow(self, client, home, boss, tech, checked):
        room, item = StoreroomFactory(property=home), ItemFactory()
        stock(room, item, 1000, boss)
        url = checked.get_absolute_url()

        def add(count):
            for n in range(count):
                services.use_parts(checked, room, {item: 1}, by=tech)
                services.add_note(checked, text=f"记录{n}", by=tech)
                services.add_photo(checked, stage="before", image=png(), by=tech)
                failed = ChecklistResult.objects.create(
                    work_order=checked,
                    position=10 + n,
                    text=f"附加{n}",
                    checked_ok=False,
                    passed=False,
                )
                if n % 2:
                    services.open_follow_up(failed, by=tech)

        client.force_login(tech)
        add(3)
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        add(12)
        with CaptureQueriesContext(connection) as many:
            page = client.get(url)
        assert len(page.context["parts"]) == 15
        assert len(page.context["results"]) == 19
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
