"""Greening: the CRUD pages, task generation by season (idempotent, time travel), the
"done" page issuing materials from the stores, and pest control needing its pesticide."""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cleaning.models import GreeningPlan, GreeningTask, GreenZone, PesticideApplication
from cleaning.services.greening import complete_task, generate_greening_tasks
from procurement.models import StockBalance
from procurement.services import post_movement
from tests.crud import CrudViewTests
from tests.factories import LocationFactory, UserFactory
from tests.procurement.factories import ItemFactory, StoreroomFactory
from tests.staff.factories import EmployeeFactory

from .factories_greening import (
    GreeningPlanFactory,
    GreeningTaskFactory,
    GreenZoneFactory,
    PesticideApplicationFactory,
)
from .factories_waste import DAY

pytestmark = pytest.mark.django_db


class TestGreenZoneViews(CrudViewTests):
    model = GreenZone
    factory = GreenZoneFactory

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "name": "中心花园",
            "location": LocationFactory(property=property_).pk,
            "area_m2": "2400",
            "main_plants": "香樟、桂花",
            "active": "on",
        }

    def edit_data(self, obj):
        return {"property": obj.property_id, "name": "北侧草坪", "area_m2": "800", "active": "on"}


class TestGreeningPlanViews(CrudViewTests):
    model = GreeningPlan

    def make_object(self, property_):
        return GreeningPlanFactory(zone=GreenZoneFactory(property=property_))

    def form_data(self, property_):
        return {
            "zone": GreenZoneFactory(property=property_).pk,
            "kind": "pest_control",
            "season": "months",
            "from_month": "4",
            "to_month": "10",
            "unit": "weeks",
            "interval": "2",
            "lead_days": "3",
            "starts_on": "2026-04-06",
            "assignee": EmployeeFactory(property=property_).pk,
            "active": "on",
        }

    def edit_data(self, obj):
        return {
            "zone": obj.zone_id,
            "kind": "watering",
            "season": "summer",
            "from_month": "1",
            "to_month": "12",
            "unit": "days",
            "interval": "3",
            "lead_days": "1",
            "starts_on": "2026-06-01",
            "next_due": "2026-06-04",
            "active": "on",
        }


class TestGreeningTaskViews(CrudViewTests):
    model = GreeningTask

    def make_object(self, property_):
        return GreeningTaskFactory(zone=GreenZoneFactory(property=property_))

    def form_data(self, property_):
        return {
            "zone": GreenZoneFactory(property=property_).pk,
            "kind": "replanting",
            "due_on": "2026-11-25",
            "assignee": EmployeeFactory(property=property_).pk,
            "note": "补种三角梅",
        }


class TestPesticideApplicationViews(CrudViewTests):
    model = PesticideApplication

    def make_object(self, property_):
        return PesticideApplicationFactory(zone=GreenZoneFactory(property=property_))

    def form_data(self, property_):
        return {
            "zone": GreenZoneFactory(property=property_).pk,
            "product": "吡虫啉",
            "dose": "200",
            "dose_unit": "ml",
            "dilution": "1:2000",
            "applied_by": EmployeeFactory(property=property_).pk,
            "applied_at": "2026-11-23T08:30",
            "safety_interval_days": "7",
            "reentry_note": "24 小时内请勿进入",
        }


def travel(day):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(5)))
    return time_machine.travel(moment, tick=False)


def test_tasks_are_generated_once_within_the_lead_days_and_caught_up():
    gardener = EmployeeFactory()
    plan = GreeningPlanFactory(
        zone=GreenZoneFactory(property=gardener.property), lead_days=2, assignee=gardener
    )
    with travel(DAY):
        first = generate_greening_tasks()
        assert [t.due_on for t in first] == [DAY]
        assert generate_greening_tasks() == []
    with travel(DAY + datetime.timedelta(days=19)):  # DAY+7, +14 and +21 (lead 2)
        caught_up = generate_greening_tasks()
    assert [t.due_on for t in caught_up] == [DAY + datetime.timedelta(days=n) for n in (7, 14, 21)]
    assert GreeningTask.objects.filter(plan=plan).count() == 4
    task = GreeningTask.objects.get(plan=plan, due_on=DAY)
    assert (task.zone, task.kind, task.assignee) == (plan.zone, "weeding", gardener)


def test_a_seasonal_plan_makes_no_task_out_of_season():
    # Summer only (June–August): a weekly plan from late May.
    plan = GreeningPlanFactory(
        season="summer",
        from_month=6,
        to_month=8,
        starts_on=datetime.date(2026, 5, 18),
        next_due=datetime.date(2026, 5, 18),
    )
    with travel(datetime.date(2026, 6, 10)):
        generate_greening_tasks()
    days = sorted(GreeningTask.objects.filter(plan=plan).values_list("due_on", flat=True))
    assert days == [datetime.date(2026, 6, 1), datetime.date(2026, 6, 8)]
    plan.refresh_from_db()
    assert plan.next_due == datetime.date(2026, 6, 15)


def test_a_winter_plan_runs_over_the_new_year():
    plan = GreeningPlan(season="winter")
    plan.from_month, plan.to_month = 12, 2
    assert plan.in_season(datetime.date(2027, 1, 10))
    assert not plan.in_season(datetime.date(2027, 3, 1))


def stocked(property_, quantity="10"):
    room = StoreroomFactory(property=property_)
    item = ItemFactory(name="复合肥", unit="袋")
    post_movement(
        item, room, Decimal(quantity), "opening", by=UserFactory(), unit_cost=Decimal("120.00")
    )
    return room, item


def done_user(property_):
    return UserFactory(
        perms=["cleaning.view_greeningtask", "cleaning.change_greeningtask"],
        properties=[property_],
    )


def test_done_issues_the_materials_from_stock(client):
    task = GreeningTaskFactory(kind="fertilising")
    property_ = task.zone.property
    room, item = stocked(property_)
    gardener = EmployeeFactory(property=property_)
    client.force_login(done_user(property_))
    url = reverse("cleaning:greeningtask_done", args=[task.pk])
    assert client.get(url).status_code == HTTPStatus.OK
    response = client.post(
        url,
        {
            "done_by": gardener.pk,
            "note": "撒施复合肥",
            "storeroom": room.pk,
            "item_1": item.pk,
            "quantity_1": "2",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    task.refresh_from_db()
    assert task.status == "done" and task.done_by == gardener and task.done_at
    assert StockBalance.objects.get(item=item, storeroom=room).quantity == Decimal(8)
    [material] = task.materials.all()
    assert material.quantity == Decimal(2) and material.value == Decimal("240.00")
    page = client.get(task.get_absolute_url()).content.decode()
    assert "复合肥" in page


def test_more_than_in_stock_is_refused_and_nothing_is_done(client):
    task = GreeningTaskFactory(kind="fertilising")
    property_ = task.zone.property
    room, item = stocked(property_, "1")
    client.force_login(done_user(property_))
    response = client.post(
        reverse("cleaning:greeningtask_done", args=[task.pk]),
        {
            "done_by": EmployeeFactory(property=property_).pk,
            "storeroom": room.pk,
            "item_1": item.pk,
            "quantity_1": "5",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    task.refresh_from_db()
    assert task.status == "open"
    assert StockBalance.objects.get(item=item, storeroom=room).quantity == Decimal(1)
    assert not task.materials.exists()


def test_pest_control_needs_its_pesticide_entry(client):
    task = GreeningTaskFactory(kind="pest_control")
    property_ = task.zone.property
    gardener = EmployeeFactory(property=property_)
    with pytest.raises(ValidationError):
        complete_task(task, by=UserFactory(), done_by=gardener)
    task.refresh_from_db()
    assert task.status == "open"
    client.force_login(done_user(property_))
    url = reverse("cleaning:greeningtask_done", args=[task.pk])
    response = client.post(url, {"done_by": gardener.pk, "dose_unit": "ml"})
    assert response.status_code == HTTPStatus.OK
    assert {"product", "dose"} <= set(response.context["form"].errors)
    response = client.post(
        url,
        {
            "done_by": gardener.pk,
            "product": "高效氯氰菊酯乳油",
            "dose": "500",
            "dose_unit": "ml",
            "dilution": "1:1500",
            "safety_interval_days": "7",
            "reentry_note": "24 小时内请勿进入",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    task.refresh_from_db()
    assert task.status == "done"
    [entry] = task.pesticides.all()
    assert (entry.zone, entry.applied_by, entry.dose) == (task.zone, gardener, Decimal(500))


def test_the_done_page_refuses_bad_input_and_other_properties(client):
    task = GreeningTaskFactory()
    property_ = task.zone.property
    client.force_login(done_user(property_))
    url = reverse("cleaning:greeningtask_done", args=[task.pk])
    outsider = EmployeeFactory()  # another property
    for bad in (
        {},
        {"done_by": outsider.pk},
        {"done_by": "x", "done_at": "9999-12-31T08:00"},
        {"done_by": EmployeeFactory(property=property_).pk, "item_1": "1", "quantity_1": "-2"},
    ):
        response = client.post(url, bad)
        assert response.status_code == HTTPStatus.OK, bad
        assert response.context["form"].errors, bad
    task.refresh_from_db()
    assert task.status == "open"
    other = GreeningTaskFactory()
    assert client.get(reverse("cleaning:greeningtask_done", args=[other.pk])).status_code == 404
    client.force_login(UserFactory(perms=["cleaning.view_greeningtask"], properties=[property_]))
    assert client.post(url, {}).status_code == HTTPStatus.FORBIDDEN
