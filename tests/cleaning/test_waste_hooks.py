"""What waste collection and greening offer the rest of the site: reminders per kind (to
the cleaning supervisor of the property, and the gardener), My work, the calendar, search,
the monthly figures and the dashboard tile; and the demo seed."""

import datetime
from decimal import Decimal
from http import HTTPStatus
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cleaning import providers_greening, providers_waste
from cleaning.models import (
    CollectionPoint,
    ExpectedCollection,
    GreeningTask,
    GreenZone,
    WasteCollection,
)
from cleaning.services.waste import generate_expected_collections
from core.roles import CLEANING_SUPERVISOR
from core.search import parse
from tests.factories import PropertyFactory, UserFactory
from tests.staff.factories import EmployeeFactory

from .factories_greening import GreeningTaskFactory, GreenZoneFactory
from .factories_waste import (
    DAY,
    CollectionPointFactory,
    CollectionScheduleFactory,
    WasteCategoryLabelFactory,
    WasteCollectionFactory,
)

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def supervisor(property_):
    return UserFactory(groups=[CLEANING_SUPERVISOR], properties=[property_])


def test_missed_collections_yesterday_remind_the_supervisor_of_the_property():
    schedule = CollectionScheduleFactory()
    home = schedule.point.property
    WasteCategoryLabelFactory(property=home, category="kitchen", label="湿垃圾")
    boss, elsewhere = supervisor(home), supervisor(PropertyFactory())
    with time_machine.travel(at(DAY + datetime.timedelta(days=1), 6), tick=False):
        generate_expected_collections()  # DAY and the next two days
    met = CollectionScheduleFactory(
        point=CollectionPointFactory(property=home), category="residual"
    )
    with time_machine.travel(at(DAY, 5), tick=False):
        generate_expected_collections()
    WasteCollectionFactory(point=met.point, category="residual", collected_at=at(DAY, 7, 30))
    reminders = list(providers_waste.missed_collections(DAY + datetime.timedelta(days=1)))
    assert [(r.recipient, r.obj.schedule) for r in reminders] == [(boss, schedule)]
    assert "湿垃圾" in str(reminders[0].note)
    assert elsewhere not in {r.recipient for r in reminders}
    # Two days later only that day's yesterday is reminded of, not DAY again.
    later = providers_waste.missed_collections(DAY + datetime.timedelta(days=3))
    assert [r.obj.due_on for r in later] == [DAY + datetime.timedelta(days=2)]


def test_greening_tasks_due_remind_the_supervisor_and_the_gardener():
    zone = GreenZoneFactory()
    gardener_login = UserFactory(properties=[zone.property])
    gardener = EmployeeFactory(property=zone.property, user=gardener_login)
    boss = supervisor(zone.property)
    overdue = GreeningTaskFactory(
        zone=zone, due_on=DAY - datetime.timedelta(days=1), assignee=gardener
    )
    soon = GreeningTaskFactory(zone=zone, due_on=DAY + datetime.timedelta(days=2))
    GreeningTaskFactory(zone=zone, due_on=DAY + datetime.timedelta(days=5))  # not yet
    GreeningTaskFactory(zone=zone, due_on=DAY, status="done", done_at=at(DAY, 9))  # done
    found = {(r.recipient, r.obj, r.severity) for r in providers_greening.greening_due(DAY)}
    assert found == {
        (boss, overdue, "danger"),
        (gardener_login, overdue, "danger"),
        (boss, soon, "warning"),
    }


def test_my_work_lists_todays_collections_and_the_gardeners_tasks(client):
    schedule = CollectionScheduleFactory()
    home = schedule.point.property
    boss = supervisor(home)
    gardener_login = UserFactory(
        perms=["cleaning.view_greeningtask", "cleaning.change_greeningtask"], properties=[home]
    )
    gardener = EmployeeFactory(property=home, user=gardener_login)
    task = GreeningTaskFactory(zone=GreenZoneFactory(property=home), assignee=gardener)
    today = timezone.localdate()
    CollectionScheduleFactory(point=schedule.point, starts_on=today, next_due=today)
    generate_expected_collections(today)
    items = providers_waste.collections_expected_today(boss, today)
    assert items and all(item.area == "cleaning" for item in items)
    assert "expected=" in items[0].url
    assert providers_waste.collections_expected_today(gardener_login, today) == []
    [item] = providers_greening.greening_tasks_for_me(gardener_login, DAY)
    assert item.url == task.get_absolute_url()
    client.force_login(gardener_login)
    assert client.get(reverse("core:my_work")).status_code == HTTPStatus.OK


def test_calendar_search_figures_and_dashboard():
    schedule = CollectionScheduleFactory()
    home = schedule.point.property
    boss = supervisor(home)
    with time_machine.travel(at(DAY, 12), tick=False):
        generate_expected_collections()
    WasteCollectionFactory(
        point=schedule.point, collected_at=at(DAY, 7, 30), weight_kg=Decimal(150)
    )
    zone = GreenZoneFactory(property=home, name="中心花园草坪")
    GreeningTaskFactory(zone=zone, due_on=DAY)
    events = providers_waste.waste_collections(boss, DAY, DAY + datetime.timedelta(days=2))
    # One entry per property and day, opening that day's list.
    by_day = {e.start: e for e in events}
    assert by_day[DAY].done and by_day[DAY].property_code == home.code
    assert by_day[DAY].title.endswith("1") and "1 of 1" in by_day[DAY].detail
    assert f"property={home.pk}&due_on_after={DAY}&due_on_before={DAY}" in by_day[DAY].url
    assert len(events) == len(by_day)
    assert [
        e.title
        for e in providers_greening.greening_work(boss, DAY, DAY + datetime.timedelta(days=1))
    ]
    assert [r.title for r in providers_greening.green_zones(boss, parse("花园"))] == [
        "中心花园草坪"
    ]
    assert [
        r.title for r in providers_waste.collection_points(boss, parse(schedule.point.name))
    ] == [schedule.point.name]
    outsider = supervisor(PropertyFactory())
    assert providers_greening.green_zones(outsider, parse("花园")) == []
    figures = {f.key: f for f in providers_waste.month_figures(home, DAY)}
    assert figures["cleaning.waste_kg.kitchen"].value == Decimal(150)
    assert figures["cleaning.collection_timeliness"].unit == "%"
    greening = {f.key: f.value for f in providers_greening.month_figures(home, DAY)}
    assert greening["cleaning.greening_due"] == 1


def test_the_cleaning_tile_links_to_lists_that_show_as_many(client):
    schedule = CollectionScheduleFactory()
    home = schedule.point.property
    today = timezone.localdate()
    schedule.starts_on = schedule.next_due = today - datetime.timedelta(days=3)
    schedule.save()
    generate_expected_collections(today)
    GreeningTaskFactory(
        zone=GreenZoneFactory(property=home), due_on=today - datetime.timedelta(days=1)
    )
    boss = supervisor(home)
    client.force_login(boss)
    response = client.get(reverse("cleaning:index"))
    assert response.status_code == HTTPStatus.OK
    stats = providers_waste.waste_figures(
        response.wsgi_request
    ) + providers_greening.greening_figures(response.wsgi_request)
    for stat in stats:
        listed = client.get(stat.url)
        assert listed.status_code == HTTPStatus.OK
        assert listed.context["table"].paginator.count == stat.value, stat.label


@pytest.mark.slow
def test_the_demo_seeds_waste_and_greening_and_reminders_fire(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert CollectionPoint.objects.filter(property__code="JLG").exists()
    assert WasteCollection.objects.exists() and GreenZone.objects.exists()
    assert ExpectedCollection.objects.missed().exists()
    assert GreeningTask.objects.filter(status="done").exists()
    assert GreeningTask.objects.filter(status="open").exists()
    today = timezone.localdate()
    assert list(providers_waste.missed_collections(today))
    assert list(providers_greening.greening_due(today))
    # Run twice: nothing more.
    count = WasteCollection.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert WasteCollection.objects.count() == count
