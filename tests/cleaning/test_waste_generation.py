"""Expected collections: made by core's generator (idempotent, catching up, time travel),
missed when no collection is logged in their window; timeliness and the monthly chart; the
property's own names of the categories."""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from cleaning import figures_waste
from cleaning.models import ExpectedCollection, WasteCollection
from cleaning.services.waste import generate_expected_collections
from cleaning.tasks_waste import generate_expected_collections_task
from tests.factories import PropertyFactory, UserFactory

from .factories_waste import (
    DAY,
    CollectionPointFactory,
    CollectionScheduleFactory,
    WasteCategoryLabelFactory,
    WasteCollectionFactory,
)

pytestmark = pytest.mark.django_db


def at(day, hour=5, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def travel(day, hour=5):
    return time_machine.travel(at(day, hour), tick=False)


def test_generation_is_idempotent_and_catches_up_missed_days():
    schedule = CollectionScheduleFactory(starts_on=DAY, next_due=DAY)
    with travel(DAY):
        made = generate_expected_collections()
        assert sorted(e.due_on for e in made) == [DAY, DAY + datetime.timedelta(days=1)]
        assert generate_expected_collections() == []  # a doubled run makes nothing
        assert generate_expected_collections_task() == 0
    assert ExpectedCollection.objects.count() == 2
    # Three days without a run: each missed day gets its expected collection, on its day.
    with travel(DAY + datetime.timedelta(days=4)):
        made = generate_expected_collections()
    assert sorted(e.due_on for e in made) == [DAY + datetime.timedelta(days=n) for n in range(2, 6)]
    assert ExpectedCollection.objects.count() == 6
    schedule.refresh_from_db()
    assert schedule.next_due == DAY + datetime.timedelta(days=6)
    first = ExpectedCollection.objects.get(due_on=DAY)
    assert timezone.localtime(first.window_start).time() == datetime.time(7, 0)
    assert first.window_end - first.window_start == datetime.timedelta(hours=2)
    assert (first.point, first.category) == (schedule.point, schedule.category)


def test_chosen_weekdays_and_inactive_points():
    # DAY is a Monday: Monday, Wednesday and Friday only.
    assert DAY.weekday() == 0
    weekly = CollectionScheduleFactory(
        unit="weekdays", weekdays=0b10101, starts_on=DAY, next_due=DAY
    )
    idle = CollectionScheduleFactory(point=CollectionPointFactory(active=False))
    with travel(DAY + datetime.timedelta(days=6)):
        generate_expected_collections()
    days = sorted(
        ExpectedCollection.objects.filter(schedule=weekly).values_list("due_on", flat=True)
    )
    assert [d.weekday() for d in days] == [0, 2, 4, 0]
    assert not ExpectedCollection.objects.filter(schedule=idle).exists()


def test_the_beat_entry_exists_after_migrate():
    assert PeriodicTask.objects.filter(
        task="cleaning.tasks_waste.generate_expected_collections_task"
    ).exists()


def expected_on(schedule, day):
    with travel(day):
        generate_expected_collections()
    return ExpectedCollection.objects.get(schedule=schedule, due_on=day)


def test_a_collection_logged_inside_the_window_meets_it_and_none_is_missed():
    schedule = CollectionScheduleFactory()  # 07:00, two hours
    expected = expected_on(schedule, DAY)
    point = schedule.point
    assert not ExpectedCollection.objects.missed(at(DAY, 8)).exists()  # the window is open
    assert list(ExpectedCollection.objects.missed(at(DAY, 10))) == [expected]
    # Another category, or the right one after the window closed, does not meet it.
    WasteCollectionFactory(point=point, category="residual", collected_at=at(DAY, 8))
    WasteCollectionFactory(point=point, category="kitchen", collected_at=at(DAY, 9, 30))
    assert list(ExpectedCollection.objects.missed(at(DAY, 10))) == [expected]
    WasteCollectionFactory(point=point, category="kitchen", collected_at=at(DAY, 8, 15))
    assert not ExpectedCollection.objects.missed(at(DAY, 10)).exists()
    assert ExpectedCollection.objects.with_collected().get(due_on=DAY).collected


def test_missed_expected_collections_are_flagged_in_the_list(client):
    schedule = CollectionScheduleFactory()
    missed = expected_on(schedule, DAY)
    met = expected_on(schedule, DAY + datetime.timedelta(days=2))
    WasteCollectionFactory(
        point=schedule.point, collected_at=at(DAY + datetime.timedelta(days=2), 7, 30)
    )
    client.force_login(
        UserFactory(
            perms=["cleaning.view_expectedcollection"], properties=[schedule.point.property]
        )
    )
    with travel(DAY + datetime.timedelta(days=3), hour=12):
        response = client.get(reverse("cleaning:expectedcollection_list"), {"missed": "true"})
        shown = {row.record.pk for row in response.context["table"].page.object_list}
        assert missed.pk in shown and met.pk not in shown
        assert "table-danger" in response.content.decode()
        page = client.get(missed.get_absolute_url())
        assert page.context["missed"] is True


def test_timeliness_by_point_and_month_and_volume():
    schedule = CollectionScheduleFactory()
    with travel(DAY + datetime.timedelta(days=3), hour=12):
        generate_expected_collections()  # DAY … DAY+4
        for n in (0, 2):
            WasteCollectionFactory(
                point=schedule.point,
                collected_at=at(DAY + datetime.timedelta(days=n), 7, 30),
                bins=2,
                weight_kg=Decimal("100"),
            )
        start, end = figures_waste.month_bounds(DAY)
        expected = ExpectedCollection.objects.all()
        overall = figures_waste.timeliness(expected, start, end)
        assert (overall.due, overall.on_time, overall.rate) == (4, 2, 50.0)  # four windows closed
        [row] = figures_waste.timeliness_by_point(expected, start, end)
        assert row.months[DAY.replace(day=1)].on_time == 2
        volume = {
            v.category: v
            for v in figures_waste.volume_by_category(WasteCollection.objects.all(), start, end)
        }
        assert volume["kitchen"].bins == 4 and volume["kitchen"].weight_kg == Decimal("200")
        assert volume["hazardous"].bins == 0


def test_the_figures_page_shows_one_property_unless_all_are_asked_for(client):
    """A user of several properties first sees one property's points; "All" shows one row per
    property, and its rates are the sums of the rows."""
    schedules = [CollectionScheduleFactory(), CollectionScheduleFactory()]
    first, second = sorted((s.point.property for s in schedules), key=lambda p: p.code)
    with travel(DAY + datetime.timedelta(days=3), hour=12):
        generate_expected_collections()
        WasteCollectionFactory(point=schedules[0].point, collected_at=at(DAY, 7, 30))
        user = UserFactory(perms=["cleaning.view_wastecollection"], properties=[first, second])
        client.force_login(user)
        url = reverse("cleaning:waste_figures")
        response = client.get(url)
        assert response.context["group"] == "point"
        assert {p.property_code for p, _cells in response.context["points"]} == {first.code}
        response = client.get(url, {"property": ""})
        assert response.context["group"] == "property"
        rows = {p.point for p, _cells in response.context["points"]}
        assert rows == {first.name, second.name}
        overall = response.context["overall"]
        assert overall.due == 8 and overall.on_time == 1  # four closed windows at each
        start, end = figures_waste.month_bounds(DAY)
        direct = figures_waste.timeliness(ExpectedCollection.objects.all(), start, end)
        assert (direct.due, direct.on_time) == (overall.due, overall.on_time)


def test_the_figures_page_draws_the_monthly_chart_with_the_propertys_names(client):
    home = PropertyFactory()
    WasteCategoryLabelFactory(property=home, category="kitchen", label="易腐垃圾")
    point = CollectionPointFactory(property=home)
    WasteCollectionFactory(point=point, category="kitchen", weight_kg=Decimal("320"))
    WasteCollectionFactory(point=point, category="recyclable", weight_kg=Decimal("80"), bins=None)
    client.force_login(UserFactory(perms=["cleaning.view_wastecollection"], properties=[home]))
    response = client.get(reverse("cleaning:waste_figures"), {"property": home.pk})
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "易腐垃圾" in body
    rows = response.context["chart"]["rows"]
    assert len(rows) == 12
    this_month = rows[-1]
    assert this_month["total"] == Decimal("400")
    widths = {label: width for label, _colour, _kg, width in this_month["bars"]}
    assert widths == {"Recyclable waste": 20.0, "易腐垃圾": 80.0}
    # Nonsense in the query string is not a 500.
    for bad in ({"property": "x"}, {"property": "99999999999999999999"}):
        assert client.get(reverse("cleaning:waste_figures"), bad).status_code == HTTPStatus.OK


def test_a_property_renames_its_categories_on_lists_and_pages(client):
    home, other = PropertyFactory(), PropertyFactory()
    WasteCategoryLabelFactory(property=home, category="residual", label="干垃圾")
    mine = WasteCollectionFactory(point=CollectionPointFactory(property=home), category="residual")
    theirs = WasteCollectionFactory(
        point=CollectionPointFactory(property=other), category="residual"
    )
    client.force_login(
        UserFactory(perms=["cleaning.view_wastecollection"], properties=[home, other])
    )
    response = client.get(reverse("cleaning:wastecollection_list"))
    cells = {
        row.record.pk: row.get_cell("category")
        for row in response.context["table"].page.object_list
    }
    assert "干垃圾" in cells[mine.pk]
    assert "Residual waste" in cells[theirs.pk]
    assert "干垃圾" in client.get(mine.get_absolute_url()).content.decode()
    assert "干垃圾" not in client.get(theirs.get_absolute_url()).content.decode()
    csv = client.get(reverse("cleaning:wastecollection_list"), {"_export": "csv"})
    assert "干垃圾" in csv.getvalue().decode("utf-8-sig")


def test_a_batch_moves_each_schedules_next_date_and_keeps_its_history():
    """Schedules of one batch moving to different dates each keep their own next date (one
    update per date) and a history row of the move."""
    daily = CollectionScheduleFactory(starts_on=DAY, next_due=DAY)
    weekly = CollectionScheduleFactory(
        starts_on=DAY, next_due=DAY, unit="weeks", interval=1, weekdays=0
    )
    before = {s.pk: s.history.count() for s in (daily, weekly)}
    with travel(DAY):
        generate_expected_collections()
    daily.refresh_from_db()
    weekly.refresh_from_db()
    assert daily.next_due == DAY + datetime.timedelta(days=2)
    assert weekly.next_due == DAY + datetime.timedelta(days=7)
    for schedule in (daily, weekly):
        assert schedule.history.count() == before[schedule.pk] + 1
        assert schedule.history.order_by("-history_id").first().next_due == schedule.next_due
