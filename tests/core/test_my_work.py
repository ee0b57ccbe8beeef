"""My work (/my-work/): what each role finds open, only at its own properties, filtered,
counted in the sidebar, in both languages, at a constant number of queries."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.registry import WORK_ITEMS, WorkItem, registered
from core.work import count_open
from facilities.models import InspectionRound, InspectionRoute
from staff.models import Attendance
from tests.facilities.factories import WorkOrderFactory
from tests.staff.factories import TrainingSessionFactory

from .world import ROLES, build_world, local

pytestmark = pytest.mark.django_db
URL = "/my-work/"


@pytest.fixture
def world():
    return build_world()


def items(response):
    return [item for group in response.context["work"].groups for item in group.items]


def urls(response, kind=None):
    return {item.url for item in items(response) if kind is None or item.kind == kind}


def url(record):
    return record.get_absolute_url()


# What each role finds at the home property (the director: at both). As the reminders do, the
# director also sees the counts to do and every order waiting to be taken.
EXPECTED = {
    "director": {
        "New, not yet taken": ["untaken"],
        "Completed, to verify": ["completed"],
        "Inspection round to walk": ["round"],
        "Stock count to do": ["count"],
        "Requisition to approve": ["small", "large"],
        "Purchase plan to approve": ["purchase_plan"],
        "Purchase order to approve": ["order"],
        "Count variances to approve": ["variance"],
    },
    "facilities": {
        "New, not yet taken": ["untaken"],
        "Completed, to verify": ["completed"],
        "Inspection round to walk": ["round"],
    },
    "technician": {
        "Assigned to you": ["preventive", "late"],
        "New, not yet taken": ["untaken"],
        "Inspection round to walk": ["round"],
        "Self-assessment to fill in": ["self_assessment"],
    },
    "stores": {
        "Stock count to do": ["count"],
        "Requisition to approve": ["small"],
        "Purchase order to approve": ["order"],
    },
    "cleaning": {},
    "security": {
        "Interview to score": ["interview"],
        "Appraisal to review": ["to_review"],
    },
    "guard": {},
    "hr": {},
    "service": {},
}
# Record links that are not get_absolute_url().
SPECIAL_URLS = {"Stock count to do": "/procurement/counts/{pk}/count/"}


@pytest.mark.parametrize("username", ROLES)
def test_each_role_finds_its_own_items_and_nothing_of_another_property(client, world, username):
    user = world.user(username)
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == HTTPStatus.OK
    found = {}
    for item in items(response):
        found.setdefault(str(item.kind), set()).add(item.url)
    places = [world.home, world.other] if username == "director" else [world.home]
    expected = {}
    for kind, names in EXPECTED[username].items():
        template = SPECIAL_URLS.get(kind)
        expected[kind] = {
            template.format(pk=place[name].pk) if template else url(place[name])
            for place in places
            for name in names
            if name in place.records
        }
    # The training session tomorrow has no link for a technician (the page is HR's).
    if username == "technician":
        assert [i.title for i in items(response) if i.kind == "Training session"] == [
            world.home["session"].course.title
        ]
        found.pop("Training session")
    assert found == expected
    if username != "director":
        body = response.content.decode()
        assert "OTHR" not in body, "another property's record is shown"
    assert response.context["work"].total == sum(len(v) for v in expected.values()) + (
        1 if username == "technician" else 0
    )


def test_overdue_first_and_the_quick_actions(client, world):
    client.force_login(world.user("technician"))
    response = client.get(URL)
    facilities = next(g for g in response.context["work"].groups if g.app_label == "facilities")
    first, overdue = facilities.rows[0]
    assert overdue and first.url == url(world.home["late"])
    assert facilities.overdue == 1
    body = response.content.decode()
    # Start one's own order, take a new one.
    for order in (world.home["preventive"], world.home["late"], world.home["untaken"]):
        assert f'action="/facilities/work-orders/{order.pk}/start/"' in body
    response = client.post(f"/facilities/work-orders/{world.home['untaken'].pk}/start/")
    assert response.status_code == HTTPStatus.FOUND
    page = client.get(URL)
    assert url(world.home["untaken"]) in urls(page, "Assigned to you")


def test_the_filters_narrow_what_is_shown_not_the_total(client, world):
    client.force_login(world.user("technician"))
    everything = client.get(URL)
    rounds = client.get(f"{URL}?area=facilities&group=rounds")
    assert urls(rounds) == {url(world.home["round"])}
    assert rounds.context["work"].total == everything.context["work"].total
    staff = client.get(f"{URL}?area=staff")
    assert {i.area for i in items(staff)} == {"staff"}
    labels = {f["label"] for f in everything.context["filters"]}
    assert {"Work orders", "Inspection rounds", "Appraisals", "Training"} <= labels
    for junk in ("?area=nope", "?group=<script>", "?area=" + "x" * 5000, "?group=%00"):
        response = client.get(URL + junk)
        assert response.status_code == HTTPStatus.OK
        assert urls(response) == urls(everything)


def test_the_sidebar_counts_the_open_items_in_one_query(client, world):
    user = world.user("technician")
    client.force_login(user)
    total = client.get(URL).context["work"].total
    assert total == count_open(user) == 6
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    assert 'id="my-work-count"' in page.content.decode()
    assert f">{total}</span>" in page.content.decode()
    counting = [q["sql"] for q in queries.captured_queries if "UNION ALL" in q["sql"]]
    assert len(counting) == 1


def test_the_sidebar_count_is_kept_a_while_and_recounted_after_the_users_own_post(
    client, world, settings
):
    from django.core.cache import cache

    settings.OPEN_WORK_CACHE_SECONDS = 60
    cache.clear()
    user = world.user("technician")
    client.force_login(user)

    def badge():
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/").content.decode()
        counted = any("UNION ALL" in q["sql"] for q in queries.captured_queries)
        return int(html.split('id="my-work-count"')[1].split(">")[1].split("<")[0]), counted

    assert badge() == (6, True)
    WorkOrderFactory(property=world.home.property, assignee=user.employee)
    assert badge() == (6, False)  # kept: another's change shows within the cache's time
    client.post("/profile/calendar-feed/new/")  # any step this user takes
    assert badge() == (7, True)
    client.get(URL)  # My work counts afresh and the badge follows
    assert badge() == (7, False)
    cache.clear()


def test_a_broken_source_is_left_out_and_the_rest_shown(client, world, caplog):
    def broken(user, day):
        raise RuntimeError("work items bug")

    client.force_login(world.user("technician"))
    with registered(WORK_ITEMS, broken, app_label="tests"):
        response = client.get(URL)
        page = client.get("/")
    assert response.status_code == HTTPStatus.OK and page.status_code == HTTPStatus.OK
    assert url(world.home["late"]) in urls(response)
    assert "could not be shown" in response.content.decode()
    assert "work items bug" in caplog.text


def test_a_plain_function_provider_counts_too(client, world):
    def extra(user, day):
        return [WorkItem(area="core", kind="Extra", title="x", url="/")]

    user = world.user("guard")
    with registered(WORK_ITEMS, extra, app_label="tests"):
        assert count_open(user) == 1
        client.force_login(user)
        assert client.get(URL).context["work"].total == 1


@pytest.mark.parametrize("username", ["technician", "director"])
def test_the_query_count_does_not_grow_with_the_items(client, world, username):
    user = world.user(username)
    employee = world.user("technician").employee
    home = world.home.property
    today = timezone.localdate()
    client.force_login(user)

    def add(n):
        for i in range(n):
            WorkOrderFactory(property=home, status="assigned", assignee=employee)
            WorkOrderFactory(property=home)  # new, nobody's
            route = InspectionRoute.objects.create(
                property=home, name=f"巡检{i}{n}", unit="days", starts_on=today, next_due=today
            )
            InspectionRound.objects.create(route=route, due_on=today - timedelta(days=i % 3))
            session = TrainingSessionFactory(
                property=home, starts_at=local(today + timedelta(days=1), 8 + i % 8)
            )
            Attendance.objects.create(session=session, employee=employee)

    add(2)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        small = client.get(URL)
    with CaptureQueriesContext(connection) as few_dashboard:
        client.get("/")
    add(28)
    with CaptureQueriesContext(connection) as many:
        large = client.get(URL)
    with CaptureQueriesContext(connection) as many_dashboard:
        client.get("/")
    assert large.context["work"].total > small.context["work"].total + 50
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many_dashboard) == len(few_dashboard)


@pytest.mark.parametrize("username", ROLES)
def test_the_page_renders_in_chinese(client, world, username):
    user = world.user(username)
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == HTTPStatus.OK
    assert '<html lang="zh-hans">' in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]


def test_the_count_stops_at_the_cap(client, world):
    from core.work import COUNT_CAP

    home = world.home.property
    for _n in range(COUNT_CAP + 20):
        WorkOrderFactory(property=home)  # new, nobody's
    user = world.user("technician")
    assert count_open(user) == COUNT_CAP
    client.force_login(user)
    page = client.get("/").content.decode()
    assert f">{COUNT_CAP - 1}+</span>" in page
    response = client.get(URL)
    assert response.context["work"].total == COUNT_CAP
    assert f"{COUNT_CAP - 1}+ open items" in response.content.decode()
    # Only the first 20 orders to take are listed, with the way to all of them.
    assert len(urls(response, "New, not yet taken")) == 20
    assert "/facilities/work-orders/" in [
        u for g in response.context["work"].groups for u in g.more_urls
    ]


def test_a_login_without_an_employee_record_is_told_unless_a_director(client, world):
    for username, told in (("service", True), ("director", False), ("technician", False)):
        client.force_login(world.user(username))
        body = client.get(URL).content.decode()
        assert ('id="employee-hint"' in body) == told, username
