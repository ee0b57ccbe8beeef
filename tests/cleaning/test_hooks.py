"""Reminders per kind, My work, search, calendar, period figures, measures, the dashboard
tile and area page, the phone pages and hostile input."""

import datetime
import re
from http import HTTPStatus

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cleaning import calendar, measures, period, reminders, search, services, work
from cleaning.models import CleaningTask, Rectification, RectificationStatus, TaskStatus
from core.roles import CLEANER, CLEANING_SUPERVISOR, DIRECTOR
from core.search import parse
from tests.factories import UserFactory
from tests.staff.factories import EmployeeFactory

from .factories import DAY, CleaningAreaFactory, CleaningStandardFactory
from .test_services import score, start

pytestmark = pytest.mark.django_db


def at(moment):
    return time_machine.travel(moment, tick=False)


def local(day, hour=6):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def supervisor(property_a):
    return UserFactory(groups=[CLEANING_SUPERVISOR], properties=[property_a])


@pytest.fixture
def director():
    return UserFactory(groups=[DIRECTOR])


def kinds(items, user):
    return [(r.kind.key, r.obj) for r in items if r.recipient == user]


def test_missed_tasks_yesterday(property_a, supervisor):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    with at(local(DAY, 5)):
        services.generate_due_tasks()
    CleaningTask.objects.filter(slot=1).update(status=TaskStatus.DONE, completed_at=local(DAY, 9))
    found = kinds(reminders.missed_tasks(DAY + datetime.timedelta(days=1)), supervisor)
    assert found == [("cleaning.missed_tasks", area)]
    assert list(reminders.missed_tasks(DAY + datetime.timedelta(days=2))) == []


def test_rectifications_due_tomorrow_overdue_and_escalated(property_a, supervisor, director):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    responsible = UserFactory(properties=[property_a])
    area.cleaner.user = responsible
    area.cleaner.save()
    failed = score(start(area), [0, 30, 20])
    rectification = failed.rectification
    today = timezone.localdate()
    deadline_day = timezone.localtime(rectification.deadline).date()
    due = list(reminders.rectifications_due(deadline_day - datetime.timedelta(days=1)))
    assert ("cleaning.rectification_due", rectification) in kinds(due, supervisor)
    assert ("cleaning.rectification_due", rectification) in kinds(due, responsible)
    assert list(reminders.rectifications_overdue(today)) == []
    later = deadline_day + datetime.timedelta(days=1)
    assert kinds(reminders.rectifications_overdue(later), supervisor) == [
        ("cleaning.rectification_overdue", rectification)
    ]
    assert list(reminders.rectifications_escalated(today)) == []
    score(start(area, reinspects=rectification), [0, 30, 20])
    assert kinds(reminders.rectifications_escalated(today), director) == [
        ("cleaning.rectification_escalated", rectification)
    ]
    assert kinds(reminders.rectifications_escalated(today), supervisor) == []


def test_areas_not_inspected_this_month(property_a, supervisor):
    inspected = CleaningAreaFactory(property=property_a)
    forgotten = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    late_in_month = datetime.date(2026, 11, 26)
    with at(local(datetime.date(2026, 11, 10), 10)):
        score(start(inspected), [50, 30, 20])
    found = kinds(reminders.not_inspected_this_month(late_in_month), supervisor)
    assert found == [("cleaning.not_inspected", forgotten)]
    # Early in the month there is still time: no reminder yet.
    assert list(reminders.not_inspected_this_month(datetime.date(2026, 11, 5))) == []


def test_my_work_for_the_cleaner_the_responsible_and_the_supervisor(property_a, supervisor):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    cleaner = UserFactory(groups=[CLEANER], properties=[property_a])
    area.cleaner.user = cleaner
    area.cleaner.save()
    with at(local(DAY, 9)):
        services.generate_due_tasks()
        items = work.todays_tasks(cleaner, DAY)
        assert [i.title for i in items] == [area.name, area.name]
        assert items[0].actions[0].url == reverse(
            "cleaning:cleaningtask_done", args=[CleaningTask.objects.get(slot=1).pk]
        )
        assert work.todays_tasks(supervisor, DAY) == []  # not theirs
        to_inspect = work.areas_to_inspect(supervisor, DAY)
        assert [i.title for i in to_inspect] == [area.name]
        assert work.areas_to_inspect(cleaner, DAY) == []  # a cleaner does not inspect
        score(start(area), [0, 30, 20])
        assert work.areas_to_inspect(supervisor, DAY) == []
        rectification = Rectification.objects.get()
        assert [i.url for i in work.rectifications(cleaner, DAY)] == [
            rectification.get_absolute_url()
        ]


def test_the_cleaner_ticks_a_task_off_on_the_phone(client, property_a):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    cleaner = UserFactory(groups=[CLEANER], properties=[property_a])
    area.cleaner.user = cleaner
    area.cleaner.save()
    with at(local(DAY, 9)):
        services.generate_due_tasks()
        task = CleaningTask.objects.get(slot=1)
        client.force_login(cleaner)
        page = client.get(task.get_absolute_url())
        assert page.status_code == HTTPStatus.OK and page.context["can_tick"]
        response = client.post(reverse("cleaning:cleaningtask_done", args=[task.pk]))
        assert response.status_code == HTTPStatus.FOUND
        assert client.get(reverse("core:my_work")).status_code == HTTPStatus.OK
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_by == cleaner


def test_search_calendar_period_and_measures(property_a, supervisor):
    area = CleaningAreaFactory(property=property_a, name="翠湖大堂")
    CleaningStandardFactory(property=property_a)
    failed = score(start(area), [0, 30, 20])
    rectification = failed.rectification
    assert [r.title for r in search.areas(supervisor, parse("翠湖"))] == ["翠湖大堂"]
    number = search.rectifications(supervisor, parse(rectification.number))
    assert [r.url for r in number] == [rectification.get_absolute_url()]
    outsider = UserFactory(groups=[CLEANING_SUPERVISOR])
    assert search.rectifications(outsider, parse(rectification.number)) == []
    today = timezone.localdate()
    events = calendar.inspections(
        supervisor, today - datetime.timedelta(days=1), today + datetime.timedelta(days=2)
    )
    assert [e.uid for e in events] == [f"cleaning.inspection.{failed.pk}"]
    deadlines = calendar.rectification_deadlines(
        supervisor, today, today + datetime.timedelta(days=3)
    )
    assert [e.url for e in deadlines] == [rectification.get_absolute_url()]
    figures = {f.key: f.value for f in period.month_figures(property_a, today)}
    assert figures["cleaning.inspections"] == 1 and figures["cleaning.pass_rate"] == 0.0
    found = {str(m.label): m.value for m in measures.cleaner_measures(area.cleaner, today, today)}
    assert found["Inspections of their areas"] == 1
    assert found["Inspection pass rate"] == 0.0
    assert measures.cleaner_measures(EmployeeFactory(), today, today) == []


def test_dashboard_and_area_page(client, property_a, supervisor):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    score(start(area), [50, 30, 20])
    client.force_login(supervisor)
    assert client.get(reverse("core:dashboard")).status_code == HTTPStatus.OK
    page = client.get(reverse("cleaning:index"))
    assert page.status_code == HTTPStatus.OK
    assert page.context["pass_rate"]["rate"] == 100.0
    assert len(page.context["trend"]) == 12
    detail = client.get(area.get_absolute_url())
    assert detail.status_code == HTTPStatus.OK
    assert detail.context["month_pass"]["done"] == 1


def test_phone_scoring_page_and_rectification_loop_over_http(client, property_a, supervisor):
    from .test_crud_pages import photo

    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    inspector = EmployeeFactory(property=property_a, user=supervisor)
    client.force_login(supervisor)
    response = client.post(
        reverse("cleaning:cleaninginspection_add"),
        {"area": area.pk, "inspector": inspector.pk, "inspected_at": "2026-11-23T10:00"},
    )
    assert response.status_code == HTTPStatus.FOUND
    inspection = area.inspections.get()
    page = client.get(inspection.get_absolute_url())
    assert page.status_code == HTTPStatus.OK and page.context["can_score"]
    assert b"form-control-lg" in page.content
    first, *_rest = inspection.answers.all()
    form = page.context["rows"]
    data = {}
    for answer, score_field, _note, needs, _photo in form:
        data[score_field.html_initial_name] = ""
        data[score_field.html_name] = str(answer.weight)
        data[needs.html_name] = "rectify"
    data[f"r{first.pk}"] = "10"
    data[f"n{first.pk}"] = "地面有水渍"
    data[f"p{first.pk}"] = photo()
    url = reverse("cleaning:cleaninginspection_score", args=[inspection.pk])
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    submit = reverse("cleaning:cleaninginspection_submit", args=[inspection.pk])
    assert client.post(submit).status_code == HTTPStatus.FOUND
    inspection.refresh_from_db()
    assert inspection.status == "failed"
    rectification = inspection.rectification
    assert client.get(rectification.get_absolute_url()).status_code == HTTPStatus.OK
    done = reverse("cleaning:rectification_done", args=[rectification.pk])
    assert client.post(done, {"note": "已处理"}).status_code == HTTPStatus.FOUND
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.DONE


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"r1": "abc"},
        {"r999999999999999999999": "5"},
        {"f1": "nonsense"},
        {"p1": "not a file"},
    ],
)
def test_hostile_scores_never_500(client, property_a, supervisor, data):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    inspection = start(area)
    first = inspection.answers.first()
    data = {k.replace("1", str(first.pk), 1) if k[1:] == "1" else k: v for k, v in data.items()}
    client.force_login(supervisor)
    for name in ("cleaninginspection_score", "cleaninginspection_submit"):
        response = client.post(reverse(f"cleaning:{name}", args=[inspection.pk]), data)
        assert response.status_code == HTTPStatus.FOUND
    response = client.post(
        reverse("cleaning:cleaninginspection_score", args=[inspection.pk]),
        {f"r{first.pk}": "1e999"},
    )
    assert response.status_code == HTTPStatus.FOUND
    for bad in ("abc", "9" * 30, "-1"):
        assert (
            client.get(
                f"{reverse('cleaning:cleaninginspection_add')}?area={bad}&reinspects={bad}"
            ).status_code
            == HTTPStatus.OK
        )
    bad_times = {
        "property": property_a.pk,
        "name": "x",
        "kind": "lobby",
        "unit": "days",
        "interval": "1",
        "times": "25:99 早上",
        "window_hours": "99",
        "starts_on": "2026-11-23",
        "pass_mark": "101",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("cleaning:cleaningstandard_add"), bad_times)
    assert response.status_code == HTTPStatus.OK and response.context["form"].errors


def test_task_and_inspection_list_query_counts_at_two_sizes(client, property_a, director):
    CleaningStandardFactory(property=property_a)
    with at(local(DAY, 9)):
        first = CleaningAreaFactory(property=property_a)
        services.generate_due_tasks()
        score(start(first), [0, 30, 20])
    client.force_login(director)
    urls = [
        reverse("cleaning:cleaningtask_list"),
        reverse("cleaning:cleaninginspection_list"),
        reverse("cleaning:rectification_list"),
        reverse("cleaning:cleaningarea_list"),
    ]

    def counts():
        found = {}
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            found[url] = [re.sub(r"\d+", "N", q["sql"])[:120] for q in queries.captured_queries]
        return found

    few = counts()
    with at(local(DAY, 9)):
        for _ in range(5):
            score(start(CleaningAreaFactory(property=property_a)), [0, 30, 20])
        services.generate_due_tasks(DAY + datetime.timedelta(days=1))
    # More rows of each, all on the first page (a second page adds the pager's own query).
    assert CleaningTask.objects.count() == 14 and Rectification.objects.count() == 6
    many = counts()
    for url in urls:
        extra = sorted(set(many[url]) ^ set(few[url]))
        assert len(many[url]) == len(few[url]), (url, extra)


def test_submit_on_the_scoring_form_keeps_what_was_typed(client, property_a, supervisor):
    """ "Submit" on the scoring form saves the typed scores first; when submitting is refused
    (a failed item without its photo) the scores stay saved and the page says why; with the
    photo given, one tap saves and submits, and a failed inspection is told as a warning."""
    from django.contrib.messages import WARNING, get_messages

    from .test_crud_pages import photo

    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    inspection = start(area)
    first, *rest = inspection.answers.order_by("position")
    data = {f"r{answer.pk}": str(answer.weight) for answer in rest}
    data |= {f"f{answer.pk}": "rectify" for answer in rest}
    data |= {f"r{first.pk}": "0", f"n{first.pk}": "地面有水渍", f"f{first.pk}": "rectify"}
    client.force_login(supervisor)
    url = reverse("cleaning:cleaninginspection_score", args=[inspection.pk])
    response = client.post(url, {**data, "then_submit": "1"})
    assert response.status_code == HTTPStatus.FOUND
    inspection.refresh_from_db()
    first.refresh_from_db()
    shown = [m.message for m in get_messages(response.wsgi_request)]
    assert inspection.status == "open" and first.score == 0, shown  # kept, not submitted
    assert any("photo" in str(m) for m in shown), shown
    response = client.post(url, {**data, f"p{first.pk}": photo(), "then_submit": "1"})
    assert response.status_code == HTTPStatus.FOUND
    inspection.refresh_from_db()
    assert inspection.status == "failed" and inspection.rectification is not None
    levels = [m.level for m in get_messages(response.wsgi_request)]
    assert WARNING in levels
