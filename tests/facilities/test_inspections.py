"""Inspection rounds: generated per schedule (idempotent, catching up), walked on a phone,
out-of-range readings flagged and turned into work orders; pages, scoping and reminders."""

import datetime
from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.reminders import collect
from facilities import services
from facilities.models import (
    InspectionCheck,
    InspectionPoint,
    InspectionRound,
    InspectionRoute,
    Reading,
    RoundStatus,
    WorkOrderSource,
)
from facilities.reminders import READING_OUT_OF_RANGE, ROUND_NOT_DONE
from facilities.tasks import generate_rounds_task
from tests.crud import CrudViewTests
from tests.factories import PropertyFactory, UserFactory
from tests.staff.factories import EmployeeFactory

from .factories import EquipmentFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 24)


def make_route(property_=None, *, starts_on=DAY, unit="days", interval=1, weekdays=0, **kw):
    property_ = property_ or PropertyFactory()
    route = InspectionRoute.objects.create(
        property=property_,
        name=kw.pop("name", "水泵房日巡"),
        unit=unit,
        interval=interval,
        weekdays=weekdays,
        starts_on=starts_on,
        next_due=kw.pop("next_due", starts_on),
        **kw,
    )
    pump = EquipmentFactory(property=property_)
    point = InspectionPoint.objects.create(route=route, position=1, name="变频泵", equipment=pump)
    InspectionCheck.objects.create(
        point=point,
        position=1,
        text="出口压力",
        kind="number",
        minimum=Decimal("0.35"),
        maximum=Decimal("0.6"),
        unit="MPa",
    )
    InspectionCheck.objects.create(point=point, position=2, text="运行无异响", kind="check")
    return route


def answers_for(round_, pressure="0.45", ok=True):
    answers = {}
    for reading in round_.readings.all():
        if reading.kind == "number":
            answers[reading.pk] = {"number": Decimal(pressure)}
        else:
            answers[reading.pk] = {"checked_ok": ok}
    return answers


# --- generation -------------------------------------------------------------------------------


def test_a_round_is_opened_once_per_day_with_a_reading_per_check():
    route = make_route()
    made = services.generate_due_rounds(DAY)
    again = services.generate_due_rounds(DAY)
    assert generate_rounds_task(DAY.isoformat()) == []
    assert len(made) == 1 and again == []
    [round_] = InspectionRound.objects.filter(route=route)
    assert round_.due_on == DAY and round_.status == RoundStatus.OPEN
    assert [r.text for r in round_.readings.all()] == ["出口压力", "运行无异响"]
    route.refresh_from_db()
    assert route.next_due == DAY + timedelta(days=1)


def test_missed_days_are_caught_up_each_on_its_own_day():
    route = make_route()
    services.generate_due_rounds(DAY)
    with time_machine.travel(
        datetime.datetime(2026, 11, 28, 6, tzinfo=timezone.get_current_timezone())
    ):
        generate_rounds_task()
    days = list(route.rounds.order_by("due_on").values_list("due_on", flat=True))
    assert days == [DAY + timedelta(days=n) for n in range(5)]
    route.refresh_from_db()
    assert route.next_due == DAY + timedelta(days=5)


def test_a_catch_up_over_many_routes_costs_the_same_queries_as_over_one():
    def run(day):
        with CaptureQueriesContext(connection) as queries:
            made = services.generate_due_rounds(day)
        return made, len(queries)

    one = make_route(starts_on=DAY)
    made, queries_one = run(DAY + timedelta(days=2))
    assert len(made) == 3
    InspectionRoute.objects.filter(pk=one.pk).update(active=False)
    routes = [make_route(starts_on=DAY + timedelta(days=5)) for _ in range(6)]
    made, queries_many = run(DAY + timedelta(days=7))
    assert len(made) == 18 and queries_many == queries_one
    for route in routes:
        route.refresh_from_db()
        assert route.next_due == DAY + timedelta(days=8)
        assert route.history.first().next_due == route.next_due
        assert sorted(r.due_on for r in route.rounds.all()) == [
            DAY + timedelta(days=n) for n in (5, 6, 7)
        ]
    readings = Reading.objects.filter(round__route__in=routes)
    assert readings.count() == 18 * 2


def test_chosen_weekdays_and_inactive_routes():
    # Mondays and Thursdays; 2026-11-24 is a Tuesday.
    weekly = make_route(unit="weekdays", weekdays=0b1001, starts_on=DAY)
    inactive = make_route(active=False)
    services.generate_due_rounds(DAY + timedelta(days=9))  # to Thursday 3 December
    days = list(weekly.rounds.order_by("due_on").values_list("due_on", flat=True))
    assert [d.weekday() for d in days] == [3, 0, 3]
    assert not inactive.rounds.exists()


def test_a_resigned_assignee_is_not_given_new_rounds():
    property_ = PropertyFactory()
    gone = EmployeeFactory(property=property_, status="resigned", resigned_on=DAY)
    route = make_route(property_, assignee=gone)
    [round_] = services.generate_due_rounds(DAY)
    assert round_.assignee is None and route.assignee == gone


# --- walking a round ----------------------------------------------------------------------------


def test_readings_are_judged_against_their_range_and_the_round_completes():
    route = make_route()
    [round_] = services.generate_due_rounds(DAY)
    user = UserFactory()
    failed = services.record_readings(round_, answers_for(round_, pressure="0.20"), by=user)
    assert [r.text for r in failed] == ["出口压力"]
    round_.refresh_from_db()
    assert round_.started_at is not None
    services.complete_round(round_, by=user, note="泵压偏低")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DONE and round_.completed_by == user
    with pytest.raises(ValidationError):
        services.record_readings(round_, answers_for(round_), by=user)
    with pytest.raises(ValidationError):
        services.complete_round(round_, by=user)
    assert route.rounds.filter(status="done").count() == 1


def test_a_round_with_readings_missing_cannot_be_completed():
    make_route()
    [round_] = services.generate_due_rounds(DAY)
    first = round_.readings.first()
    services.record_readings(round_, {first.pk: {"number": Decimal("0.5")}}, by=UserFactory())
    with pytest.raises(ValidationError):
        services.complete_round(round_, by=UserFactory())
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_an_out_of_range_reading_opens_one_repair_order_on_its_equipment():
    route = make_route()
    [round_] = services.generate_due_rounds(DAY)
    user = UserFactory()
    [low] = services.record_readings(round_, answers_for(round_, pressure="0.2"), by=user)
    order = services.open_work_order_from_reading(low, by=user)
    low.refresh_from_db()
    assert low.follow_up == order
    assert order.source == WorkOrderSource.READING and order.source_object == low
    assert order.equipment == route.points.get().equipment and order.kind == "repair"
    assert order.source_url() == round_.get_absolute_url()
    with pytest.raises(ValidationError):
        services.open_work_order_from_reading(low, by=user)
    ok = round_.readings.exclude(pk=low.pk).get()
    with pytest.raises(ValidationError):
        services.open_work_order_from_reading(ok, by=user)


def test_completion_rates_per_route():
    route = make_route()
    services.generate_due_rounds(DAY + timedelta(days=3))
    walked = route.rounds.order_by("due_on")[:3]
    for round_ in walked:
        services.record_readings(round_, answers_for(round_), by=None)
        services.complete_round(round_, by=UserFactory())
    rates = services.completion_rates([route], DAY, DAY + timedelta(days=3))
    assert rates == {route.pk: (3, 4)}


# --- reminders ---------------------------------------------------------------------------------


def test_reminders_for_missed_rounds_and_unhandled_out_of_range_readings():
    property_ = PropertyFactory()
    supervisor = UserFactory(
        groups=["facilities_supervisor"], properties=[property_], email="gc@example.com"
    )
    outsider = UserFactory(
        groups=["facilities_supervisor"], properties=[PropertyFactory()], email="x@example.com"
    )
    make_route(property_)
    with time_machine.travel(
        datetime.datetime(2026, 11, 25, 9, tzinfo=timezone.get_current_timezone())
    ):
        services.generate_due_rounds(DAY + timedelta(days=1))
        today_round = InspectionRound.objects.get(due_on=DAY + timedelta(days=1))
        services.record_readings(today_round, answers_for(today_round, "0.9"), by=supervisor)
        found = collect(DAY + timedelta(days=2))
    kinds = {(r.kind, r.obj.pk) for r in found[supervisor]}
    missed = InspectionRound.objects.get(due_on=DAY)
    assert (ROUND_NOT_DONE, missed.pk) in kinds
    assert (READING_OUT_OF_RANGE, today_round.pk) in kinds
    assert outsider not in found
    # Once the reading has its work order, it is no longer reminded.
    reading = Reading.objects.get(passed=False)
    services.open_work_order_from_reading(reading, by=supervisor)
    found = collect(DAY + timedelta(days=2))
    assert READING_OUT_OF_RANGE not in {r.kind for r in found.get(supervisor, [])}


# --- pages ---------------------------------------------------------------------------------------


class TestInspectionRouteViews(CrudViewTests):
    model = InspectionRoute

    def make_object(self, property_):
        return make_route(property_)

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "name": "配电房周巡",
            "unit": "weekdays",
            "interval": 1,
            "weekdays": ["0", "3"],
            "starts_on": "2026-12-01",
        }

    def edit_data(self, obj):
        return {**self.form_data(obj.property), "next_due": "2026-12-03"}


def test_a_technician_walks_a_round_on_the_phone(client):
    property_ = PropertyFactory()
    user = UserFactory(groups=["technician"], properties=[property_])
    EmployeeFactory(property=property_, user=user)
    today = timezone.localdate()
    make_route(property_, starts_on=today)
    [round_] = services.generate_due_rounds(today)
    client.force_login(user)
    page = client.get(round_.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    data = {}
    for reading, field in page.context["rows"]:
        data[field.html_name] = "0.7" if reading.kind == "number" else "yes"
    response = client.post(f"/facilities/rounds/{round_.pk}/readings/", data)
    assert response.status_code == HTTPStatus.FOUND
    assert Reading.objects.filter(round=round_, passed=False).count() == 1
    response = client.post(f"/facilities/rounds/{round_.pk}/complete/", {"note": ""})
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DONE
    low = Reading.objects.get(round=round_, passed=False)
    response = client.post(f"/facilities/readings/{low.pk}/work-order/", {"priority": "high"})
    low.refresh_from_db()
    assert low.follow_up is not None
    assert response["Location"] == low.follow_up.get_absolute_url()
    # Junk never gives a 500.
    for junk in ({"priority": "zzz"}, {}):
        assert client.post(f"/facilities/readings/{low.pk}/work-order/", junk).status_code == 302
    bad = dict.fromkeys(data, "NaN")
    assert client.post(f"/facilities/rounds/{round_.pk}/readings/", bad).status_code == 302


def test_rounds_of_another_property_are_not_found(client):
    mine, theirs = PropertyFactory(), PropertyFactory()
    user = UserFactory(groups=["technician"], properties=[mine])
    make_route(theirs)
    [round_] = services.generate_due_rounds(DAY)
    reading = round_.readings.first()
    client.force_login(user)
    assert client.get(round_.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.post(f"/facilities/rounds/{round_.pk}/readings/", {}).status_code == 404
    assert client.post(f"/facilities/rounds/{round_.pk}/complete/", {}).status_code == 404
    assert client.post(f"/facilities/readings/{reading.pk}/work-order/", {}).status_code == 404
    assert round_ not in client.get("/facilities/rounds/").context["table"].data.data


def test_round_list_and_route_list_keep_their_query_count(client):
    property_ = PropertyFactory()
    client.force_login(UserFactory(groups=["facilities_supervisor"], properties=[property_]))
    make_route(property_)
    services.generate_due_rounds(DAY + timedelta(days=1))

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == HTTPStatus.OK
        return len(queries)

    few = [
        count(u)
        for u in ("/facilities/rounds/", "/facilities/routes/", "/my-work/?area=facilities")
    ]
    for n in range(6):
        make_route(property_, name=f"巡检{n}")
    services.generate_due_rounds(DAY + timedelta(days=3))
    many = [
        count(u)
        for u in ("/facilities/rounds/", "/facilities/routes/", "/my-work/?area=facilities")
    ]
    assert many == few
