"""What a review of the facilities change found, each kept fixed by a test."""

import datetime
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core.checklists import AnswersForm as ChecklistForm
from facilities import services
from facilities.models import (
    Downtime,
    InspectionCheck,
    InspectionPoint,
    InspectionRoute,
    MaintenancePlan,
    WorkOrder,
    WorkOrderStatus,
)
from facilities.reminders import past_resolution_target
from tests.factories import PropertyFactory, UserFactory

from .factories import EquipmentFactory, MaintenancePlanFactory, PlanTemplateFactory

pytestmark = pytest.mark.django_db


def supervisor(*properties, **extra):
    return UserFactory(groups=["facilities_supervisor"], properties=list(properties), **extra)


def test_admin_history_of_another_propertys_order_is_not_found(client):
    home, other = PropertyFactory(), PropertyFactory()
    theirs = services.open_work_order(
        title="漏水", by=None, equipment=EquipmentFactory(property=other)
    )
    staff = supervisor(home, is_staff=True)
    client.force_login(staff)
    base = f"/admin/facilities/workorder/{theirs.pk}/history/"
    assert client.get(base).status_code == HTTPStatus.NOT_FOUND
    version = theirs.history.first().history_id
    assert client.get(f"{base}{version}/").status_code == HTTPStatus.NOT_FOUND
    mine = services.open_work_order(
        title="漏水", by=None, equipment=EquipmentFactory(property=home)
    )
    assert client.get(f"/admin/facilities/workorder/{mine.pk}/history/").status_code == 200


def test_one_plans_failure_does_not_stop_the_others(monkeypatch):
    from facilities.services import planning

    broken = MaintenancePlanFactory(starts_on=datetime.date(2026, 11, 1))
    sound = MaintenancePlanFactory(starts_on=datetime.date(2026, 11, 1))
    real = planning._plan_orders

    def plan_orders(plan, *args):  # the broken plan fails in its batch and again alone
        if plan.pk == broken.pk:
            raise OverflowError("date value out of range")
        return real(plan, *args)

    monkeypatch.setattr(planning, "_plan_orders", plan_orders)
    made = services.generate_due_work_orders(datetime.date(2026, 11, 1))
    assert [order.plan for order in made] == [sound]


@pytest.mark.parametrize("field", ["starts_on", "next_due"])
def test_plan_dates_stay_within_the_planning_window(field):
    plan = MaintenancePlanFactory.build(
        equipment=EquipmentFactory(), **{field: datetime.date(1, 1, 1)}
    )
    with pytest.raises(ValidationError):
        plan.full_clean()


def test_downtime_cannot_start_in_year_one_nor_overlap_the_last():
    pump = EquipmentFactory()
    user = UserFactory()
    with pytest.raises(ValidationError, match="within 90 days"):
        services.start_downtime(
            pump, reason="failure", started_at=timezone.now().replace(year=1), by=user
        )
    now = timezone.now()
    first = services.start_downtime(
        pump, reason="failure", started_at=now - timedelta(hours=5), by=user
    )
    services.end_downtime(first, ended_at=now - timedelta(hours=2), by=user)
    with pytest.raises(ValidationError, match="already down until"):
        services.start_downtime(
            pump, reason="failure", started_at=now - timedelta(hours=3), by=user
        )
    assert Downtime.objects.count() == 1


def test_far_dates_are_form_errors_and_the_calendar_stays_up(client):
    home = PropertyFactory()
    client.force_login(supervisor(home))
    pump = EquipmentFactory(property=home)
    response = client.post(
        "/facilities/work-orders/new/",
        {
            "property": home.pk,
            "kind": "repair",
            "title": "x",
            "equipment": pump.pk,
            "priority": "normal",
            "due_on": "9999-12-31",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "due_on" in response.context["form"].errors
    for month in ("9999-12", "0001-01", "99999999999999999999-1", "2099-12", "2000-01"):
        url = f"/facilities/calendar/?month={month}"
        assert client.get(url, follow=True).status_code == HTTPStatus.OK


def test_two_phones_saving_one_checklist_keep_each_others_answers():
    plan = MaintenancePlanFactory(starts_on=datetime.date(2026, 11, 1))
    plan.items.create(position=1, text="出口压力", kind="number", minimum=1, maximum=2)
    plan.items.create(position=2, text="无异响", kind="check")
    [order] = services.generate_due_work_orders(datetime.date(2026, 11, 1))
    user = UserFactory()
    services.start(order, by=user)
    pressure, noise = order.results.order_by("position")
    # Both pages are rendered with nothing recorded yet.
    page = ChecklistForm(results=list(order.results.all()))
    shown = {
        f"initial-{name}": "" if field.initial is None else field.initial
        for name, field in page.fields.items()
    }
    phone_a = ChecklistForm(
        {**shown, f"r{pressure.pk}": "5", f"r{noise.pk}": ""}, results=list(order.results.all())
    )
    assert phone_a.is_valid()
    services.record_checklist(order, phone_a.answers(), by=user)
    phone_b = ChecklistForm(
        {**shown, f"r{pressure.pk}": "", f"r{noise.pk}": "yes"},
        results=list(order.results.all()),
    )
    assert phone_b.is_valid()
    services.record_checklist(order, phone_b.answers(), by=user)
    pressure.refresh_from_db()
    noise.refresh_from_db()
    assert (pressure.number, pressure.passed) == (5, False)
    assert (noise.checked_ok, noise.passed) == (True, True)


def test_only_a_new_order_with_nothing_on_it_is_deleted(client):
    home = PropertyFactory()
    boss = UserFactory(groups=["director"])
    client.force_login(boss)
    pump = EquipmentFactory(property=home)
    fresh = services.open_work_order(title="误建", by=boss, equipment=pump)
    done = services.open_work_order(title="已修", by=boss, equipment=pump)
    services.start(done, by=boss)
    client.post(f"/facilities/work-orders/{done.pk}/delete/")
    client.post(f"/facilities/work-orders/{fresh.pk}/delete/")
    assert list(WorkOrder.objects.all()) == [done]


def test_editing_an_open_order_moves_its_targets_and_never_undoes_a_step(client):
    home = PropertyFactory()
    boss = UserFactory(groups=["director"])
    client.force_login(boss)
    pump = EquipmentFactory(property=home)
    order = services.open_work_order(title="漏水", by=boss, equipment=pump, priority="low")
    data = {
        "property": home.pk,
        "kind": "repair",
        "title": "漏水严重",
        "equipment": pump.pk,
        "priority": "urgent",
    }
    response = client.post(f"/facilities/work-orders/{order.pk}/edit/", data)
    assert response.status_code == HTTPStatus.FOUND
    order.refresh_from_db()
    assert order.resolve_by == order.created_at + timedelta(hours=4)
    assert order.title == "漏水严重"
    services.start(order, by=boss)
    services.complete(order, resolution="修好", labour_hours=1, by=UserFactory())
    response = client.post(f"/facilities/work-orders/{order.pk}/edit/", data)
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.COMPLETED and order.resolution == "修好"


def test_cancelling_a_fault_report_puts_the_equipment_back_in_service():
    pump = EquipmentFactory()
    user = UserFactory()
    order = services.report_fault(
        by=user, description="重复报修", equipment=pump, out_of_service=True
    )
    pump.refresh_from_db()
    assert pump.status == "faulty"
    services.cancel(order, reason="重复", by=user)
    pump.refresh_from_db()
    assert pump.status == "in_service"
    assert not pump.downtimes.open().exists()


def test_route_list_counts_each_round_once_whatever_the_points(client):
    home = PropertyFactory()
    client.force_login(supervisor(home))
    today = timezone.localdate()
    route = InspectionRoute.objects.create(
        property=home,
        name="日巡",
        unit="days",
        starts_on=today - timedelta(days=1),
        next_due=today - timedelta(days=1),
    )
    for n in range(3):
        point = InspectionPoint.objects.create(route=route, name=f"点{n}", position=n)
        InspectionCheck.objects.create(point=point, text="压力", kind="number")
    services.generate_due_rounds(today)
    [row] = client.get("/facilities/routes/").context["table"].data.data
    assert (row.rounds_done, row.rounds_due) == (0, 2)


def test_deleting_a_template_plans_checklist_does_not_bring_it_back(client):
    home = PropertyFactory()
    client.force_login(supervisor(home))
    template = PlanTemplateFactory()
    template.items.create(position=1, text="外观", kind="check")
    plan = services.plan_from_template(
        template, EquipmentFactory(property=home), starts_on=timezone.localdate(), by=None
    )
    [item] = plan.items.all()
    edit = client.get(f"/facilities/plans/{plan.pk}/edit/")
    form = edit.context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields and name not in ("equipment", "template")
    }
    data["weekdays"] = []
    data.update(
        {
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "1",
            "items-0-id": item.pk,
            "items-0-position": "1",
            "items-0-text": "外观",
            "items-0-kind": "check",
            "items-0-DELETE": "on",
        }
    )
    response = client.post(f"/facilities/plans/{plan.pk}/edit/", data)
    assert response.status_code == HTTPStatus.FOUND
    assert not plan.items.exists()


def test_a_plan_with_an_open_order_past_its_date_is_flagged_late(client):
    home = PropertyFactory()
    client.force_login(supervisor(home))
    today = timezone.localdate()
    plan = MaintenancePlanFactory(
        equipment__property=home, starts_on=today - timedelta(days=3), unit="days", interval=30
    )
    on_time = MaintenancePlanFactory(equipment__property=home, starts_on=today)
    services.generate_due_work_orders(today)
    plan.refresh_from_db()
    assert plan.next_due > today and plan.is_overdue(today)
    late = client.get("/facilities/plans/?overdue=true").context["table"].data.data
    assert list(late) == [plan]
    assert not MaintenancePlan.objects.with_lateness(today).get(pk=on_time.pk).late


def test_the_past_target_note_is_in_the_recipients_language():
    home = PropertyFactory()
    supervisor(home, email="gc@example.com", language="en")
    with time_machine.travel(timezone.now() - timedelta(days=5)):
        services.open_work_order(
            title="漏水", by=None, equipment=EquipmentFactory(property=home), priority="high"
        )
    [reminder] = list(past_resolution_target(timezone.localdate()))
    with translation.override("zh-hans"):
        assert str(reminder.note).startswith("高")
    with translation.override("en"):
        assert str(reminder.note).startswith("High")


def test_ids_in_links_and_hidden_inputs_are_not_grouped_by_thousands(client):
    """Numbers are shown with thousands separators (1,046): an id put into a link or a
    form must not be."""
    home = PropertyFactory()
    pump = EquipmentFactory(property=home, pk=123456)
    client.force_login(UserFactory(groups=["director"]))
    body = client.get(pump.get_absolute_url()).content.decode()
    assert "/facilities/report-fault/?equipment=123456" in body
    body = client.get("/facilities/report-fault/?equipment=123456").content.decode()
    assert '<input type="hidden" name="equipment" value="123456">' in body


def stocked(property_, quantity="10", cost="8.00"):
    from decimal import Decimal

    from procurement.models import MovementKind
    from procurement.services import post_movement
    from tests.procurement.factories import ItemFactory, StoreroomFactory

    room, item = StoreroomFactory(property=property_), ItemFactory()
    post_movement(
        item,
        room,
        Decimal(quantity),
        MovementKind.OPENING,
        by=UserFactory(),
        unit_cost=Decimal(cost),
    )
    return room, item


def test_unused_parts_go_back_at_the_cost_they_were_issued_at(client):
    from decimal import Decimal

    from procurement.models import StockBalance

    home = PropertyFactory()
    room, item = stocked(home)
    tech = UserFactory(groups=["technician"], properties=[home])
    order = services.open_work_order(
        title="换阀门", by=tech, equipment=EquipmentFactory(property=home)
    )
    services.start(order, by=tech)
    [part] = services.use_parts(order, room, {item: Decimal(3)}, by=tech)
    client.force_login(tech)
    url = f"/facilities/work-orders/parts/{part.pk}/return/"
    for junk in ({"quantity": "5"}, {"quantity": "-1"}, {"quantity": "NaN"}, {}):
        assert client.post(url, junk).status_code == HTTPStatus.FOUND
    assert StockBalance.objects.get(item=item, storeroom=room).quantity == 7
    assert client.post(url, {"quantity": "1"})["Location"] == order.get_absolute_url()
    part.refresh_from_db()
    order.refresh_from_db()
    balance = StockBalance.objects.get(item=item, storeroom=room)
    assert (part.used, part.used_value) == (2, Decimal("16.00"))
    assert order.parts_cost == Decimal("16.00")
    assert (balance.quantity, balance.value) == (8, Decimal("64.00"))
    # Another property's technician cannot reach it.
    client.force_login(UserFactory(groups=["technician"], properties=[PropertyFactory()]))
    assert client.post(url, {"quantity": "1"}).status_code == HTTPStatus.NOT_FOUND
    # All returned: the order can be cancelled after all.
    services.return_part(part, 2, by=tech)
    order.refresh_from_db()
    assert order.parts_cost == 0
    services.cancel(order, reason="不需要更换", by=tech)


def test_the_status_of_equipment_that_is_down_follows_its_downtime(client):
    home = PropertyFactory()
    pump = EquipmentFactory(property=home)
    services.start_downtime(pump, reason="failure", by=UserFactory())
    client.force_login(UserFactory(groups=["director"]))
    form = client.get(f"/facilities/equipment/{pump.pk}/edit/").context["form"]
    assert form.fields["status"].disabled
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(status="in_service")
    response = client.post(f"/facilities/equipment/{pump.pk}/edit/", data)
    assert response.status_code == HTTPStatus.FOUND
    pump.refresh_from_db()
    assert pump.status == "faulty"
