"""The calendar (/calendar/): every app's dated entries for what each role may see, at its
own properties, as a month or a week, filtered, with junk parameters never a 500."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.calendar import gather
from core.registry import CALENDAR, registered
from tests.facilities.factories import MaintenancePlanFactory, WorkOrderFactory
from tests.staff.factories import CertificateFactory, EmployeeFactory, TrainingSessionFactory

from .world import ROLES, build_world, local

pytestmark = pytest.mark.django_db
URL = "/calendar/"


@pytest.fixture
def world():
    return build_world()


def window():
    today = timezone.localdate()
    return today - timedelta(days=3), today + timedelta(days=40)


def uids(user):
    return {event.uid for event in gather(user, *window())}


def uid_of(place, name, suffix=""):
    """The uid an entry about a record of the world carries."""
    record = place[name]
    label = record._meta.label_lower
    return f"{label}.{record.pk}{suffix}"


# What each role sees at the home property (by the kind of record), from its permissions.
# "staff" is people's records, on need to know (staff.visible.people_visible_to): HR and the
# director see their properties'; the supervisors here lead no department of these people.
SEES = {
    "director": {"maintenance", "repairs", "expiries", "counts", "staff", "documents"},
    "facilities": {"maintenance", "repairs", "expiries", "counts", "documents"},
    "technician": {"maintenance", "repairs", "expiries", "own training", "own appraisal"},
    "stores": {"counts", "documents"},
    # Waste haulers are suppliers: the cleaning supervisor sees suppliers and their documents.
    "cleaning": {"expiries", "documents"},
    "security": {"expiries", "own interview"},  # on the home interview's panel
    "guard": {"expiries"},
    "hr": {"staff"},
    "service": {"expiries"},
}


def expected_uids(place, kinds, *, shared=True):
    found = set()
    if "maintenance" in kinds:
        plan = place["plan"]
        first = plan.next_due
        found |= {
            uid_of(place, "preventive"),
            f"facilities.plan.{plan.pk}.{first:%Y%m%d}",
        }
    if "repairs" in kinds:
        found |= {uid_of(place, "untaken"), uid_of(place, "late")}
    if "expiries" in kinds:
        found |= {
            uid_of(place, "switchboard", ".warranty"),
            uid_of(place, "switchboard", ".certificate"),
        }
    if "counts" in kinds:
        found |= {uid_of(place, "count"), uid_of(place, "variance")}
    if "documents" in kinds and shared:
        pass  # checked separately: supplier documents belong to no property
    if "staff" in kinds:
        found |= {
            f"staff.trainingsession.{place['session'].pk}",
            f"staff.interview.{place['interview'].pk}",
            f"staff.appraisalcycle.{place['cycle'].pk}.deadline",
            f"staff.certificate.{place['certificate'].pk}.expiry",
            f"staff.employee.{place['probation'].pk}.probation",
        }
    if "own training" in kinds:
        found.add(f"staff.trainingsession.{place['session'].pk}")
    if "own interview" in kinds:
        found.add(f"staff.interview.{place['interview'].pk}")
    if "own appraisal" in kinds:
        found.add(f"staff.appraisal.{place['self_assessment'].pk}.deadline")
    return found


@pytest.mark.parametrize("username", ROLES)
def test_each_role_sees_what_its_permissions_open_at_its_properties(world, username):
    user = world.user(username)
    kinds = SEES[username]
    seen = uids(user)
    home = expected_uids(world.home, kinds)
    other = expected_uids(world.other, kinds - {"own training", "own appraisal", "own interview"})
    assert home <= seen, home - seen
    if username == "director":
        assert other <= seen, other - seen
    else:
        everything_elsewhere = expected_uids(
            world.other,
            {"maintenance", "repairs", "expiries", "counts", "staff"},
        )
        assert not (everything_elsewhere & seen), everything_elsewhere & seen
    document = f"procurement.supplierdocument.{world.supplier_document.pk}.expiry"
    assert (document in seen) == ("documents" in kinds)
    # Nothing a role may not open: staff records only with the staff pages (or one's own).
    if "staff" not in kinds:
        assert not any(uid.startswith("staff.certificate") for uid in seen)
        assert not any(uid.startswith("staff.interview") for uid in seen) or (
            "own interview" in kinds
        )
        assert not any(uid.startswith("staff.employee") for uid in seen)


@pytest.mark.parametrize("username", ROLES)
def test_the_month_and_the_week_render_for_every_role_in_both_languages(client, world, username):
    user = world.user(username)
    client.force_login(user)
    for language in ("en", "zh-hans"):
        user.language = language
        user.save(update_fields=["language"])
        for query in ("", "?view=week"):
            response = client.get(URL + query)
            assert response.status_code == HTTPStatus.OK
            assert f'<html lang="{language}">' in response.content.decode()


def test_entries_link_to_their_records_and_are_coloured_by_area(client, world):
    client.force_login(world.user("facilities"))
    today = timezone.localdate()
    response = client.get(f"{URL}?month={today:%Y-%m}")
    body = response.content.decode()
    for name in ("preventive", "late", "switchboard"):
        assert f'href="{world.home[name].get_absolute_url()}"' in body
    assert "hq-event hq-area-facilities" in body
    assert "hq-event hq-area-staff" in body
    week = client.get(f"{URL}?view=week")
    assert len(week.context["days"]) == 7
    assert week.context["days"][0].day.weekday() == 0


def test_the_property_area_and_group_filters(client, world):
    director = world.user("director")
    client.force_login(director)
    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    other = world.other.property
    response = client.get(f"{URL}?month={month}&property={other.pk}")
    codes = {event.property_code for event in response.context["events"]}
    assert codes <= {"OTHR", ""}
    assert "OTHR" in codes
    areas = client.get(f"{URL}?month={month}&area=staff").context["events"]
    assert areas and {event.area for event in areas} == {"staff"}
    maintenance = client.get(f"{URL}?month={month}&group=maintenance").context["events"]
    assert maintenance and {event.group for event in maintenance} == {"maintenance"}
    # Another property is not a choice for someone who does not work there.
    client.force_login(world.user("facilities"))
    response = client.get(f"{URL}?property={other.pk}")
    assert response.status_code == HTTPStatus.OK
    assert all(event.property_code != "OTHR" for event in response.context["events"])


@pytest.mark.parametrize(
    "query",
    [
        "?month=junk",
        "?month=2026-13",
        "?month=0000-01",
        "?month=9999-12",
        "?month=99999999999999999999-1",
        "?month=2099-12",
        "?month=2000-01",
        "?view=week&week=2026-W60",
        "?view=week&week=0001-W01",
        "?view=week&week=2099-W52",
        "?view=week&week=2000-W01",
        "?view=week&week=" + "9" * 400,
        "?view=nonsense",
        "?property=abc",
        "?property=-1",
        "?property=999999999999999999999999",
        "?area=<script>",
        "?group=" + "x" * 1000,
        "?month=2026-02&week=2026-W05&view=week",
    ],
)
def test_junk_parameters_never_give_a_500(client, world, query):
    client.force_login(world.user("director"))
    client.raise_request_exception = False
    assert client.get(URL + query).status_code == HTTPStatus.OK


def test_far_months_show_what_falls_then(client, world):
    client.force_login(world.user("facilities"))
    response = client.get(f"{URL}?month=2099-12")
    assert response.context["month"].year == 2099
    week = client.get(f"{URL}?view=week&week=2099-W52")
    assert week.context["days"][0].day.year == 2099


def test_a_broken_provider_is_left_out(client, world, caplog):
    def broken(user, start, end):
        raise RuntimeError("calendar bug")

    client.force_login(world.user("facilities"))
    with registered(CALENDAR, broken, app_label="tests"):
        response = client.get(URL)
    assert response.status_code == HTTPStatus.OK
    assert response.context["events"]
    assert "calendar bug" in caplog.text


@pytest.mark.parametrize("username", ["director", "facilities", "technician"])
def test_the_query_count_does_not_grow_with_the_entries(client, world, username):
    client.force_login(world.user(username))
    home = world.home.property
    today = timezone.localdate()
    technician = world.user("technician").employee

    def add(n):
        for i in range(n):
            MaintenancePlanFactory(
                equipment=world.home["switchboard"],
                unit="weeks",
                starts_on=today + timedelta(days=i % 7),
                next_due=today + timedelta(days=i % 7),
            )
            WorkOrderFactory(property=home, resolve_by=local(today + timedelta(days=i % 9), 9))
            session = TrainingSessionFactory(
                property=home, starts_at=local(today + timedelta(days=i % 5), 14)
            )
            session.attendances.create(employee=technician)
            CertificateFactory(
                employee=EmployeeFactory(property=home),
                expires_on=today + timedelta(days=i % 20),
            )

    for query in ("", "?view=week"):
        client.get(URL + query)
        with CaptureQueriesContext(connection) as few:
            small = client.get(URL + query)
        add(15)
        with CaptureQueriesContext(connection) as many:
            large = client.get(URL + query)
        assert len(large.context["events"]) > len(small.context["events"])
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_old_maintenance_calendar_is_this_calendar_filtered(client, world):
    client.force_login(world.user("facilities"))
    response = client.get(f"/facilities/calendar/?month=2026-03&property={world.home.property.pk}")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == (
        f"/calendar/?area=facilities&group=maintenance&month=2026-03"
        f"&property={world.home.property.pk}"
    )
    client.force_login(world.user("stores"))
    assert client.get("/facilities/calendar/").status_code == HTTPStatus.FORBIDDEN
