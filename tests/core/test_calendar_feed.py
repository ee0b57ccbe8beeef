"""The iCalendar feed at a user's secret address: managed from the profile page, read
without login, valid RFC 5545 (parsed with the icalendar library), limited to what the user
may see; a wrong, replaced or revoked token is a 404."""

import datetime
from http import HTTPStatus
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.core.signing import Signer
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import CalendarFeed
from tests.facilities.factories import WorkOrderFactory
from tests.factories import UserFactory

from .world import build_world, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def feed_url(user):
    return CalendarFeed.objects.get(user=user).get_absolute_url()


def read(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content), response


def events(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_profile_page_makes_replaces_and_turns_off_the_address(client, world):
    user = world.user("facilities")
    client.force_login(user)
    page = client.get("/profile/")
    assert page.status_code == HTTPStatus.OK
    assert page.context["feed"] is None
    assert client.get("/profile/calendar-feed/new/").status_code == HTTPStatus.METHOD_NOT_ALLOWED

    response = client.post("/profile/calendar-feed/new/")
    assert response.status_code == HTTPStatus.FOUND
    first = feed_url(user)
    page = client.get("/profile/")
    assert page.context["feed_url"] == f"{settings.SITE_URL}{first}"
    assert page.context["feed_url"] in page.content.decode()
    anonymous = type(client)()
    assert anonymous.get(first).status_code == HTTPStatus.OK

    client.post("/profile/calendar-feed/new/")  # a new address: the old one stops working
    second = feed_url(user)
    assert second != first
    assert anonymous.get(first).status_code == HTTPStatus.NOT_FOUND
    assert anonymous.get(second).status_code == HTTPStatus.OK

    client.post("/profile/calendar-feed/revoke/")
    assert not CalendarFeed.objects.filter(user=user).exists()
    assert anonymous.get(second).status_code == HTTPStatus.NOT_FOUND
    assert client.get("/profile/").context["feed"] is None


def test_only_the_key_is_stored_and_the_token_is_its_signature(world):
    user = world.user("technician")
    feed = CalendarFeed.issue(user)
    token = feed.token
    key, signature = token.split(".")
    assert key == feed.key and len(key) >= 22  # 128 random bits
    assert signature not in "".join(str(v) for v in CalendarFeed.objects.values_list())
    assert CalendarFeed.for_token(token) == feed
    assert CalendarFeed.for_token(key) is None  # the stored key alone opens nothing
    forged = Signer(key="another-secret-key", salt=CalendarFeed.SALT, sep=".").sign(key)
    assert CalendarFeed.for_token(forged) is None
    assert CalendarFeed.for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


@pytest.mark.parametrize(
    "token",
    ["x", "", "a.b", "." * 5, "0" * 200, "../../etc/passwd", "%00", "キー.署名"],
)
def test_a_wrong_token_is_a_404(client, world, token):
    CalendarFeed.issue(world.user("technician"))
    client.raise_request_exception = False
    response = client.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_an_inactive_users_feed_is_a_404(client, world):
    user = world.user("technician")
    url = CalendarFeed.issue(user).get_absolute_url()
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_the_feed_is_valid_icalendar_with_the_time_zone(client, world):
    user = world.user("director")
    calendar, response = read(client, CalendarFeed.issue(user).get_absolute_url())
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    assert "noindex" in response["X-Robots-Tag"]
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == settings.TIME_ZONE == "Asia/Shanghai"
    [standard] = zone.walk("STANDARD")
    assert standard["TZOFFSETTO"].td == datetime.timedelta(hours=8)
    found = events(calendar)
    assert found
    for uid, event in found.items():
        assert uid.endswith("@houqin.test")
        assert isinstance(event["DTSTAMP"].dt, datetime.datetime)
        assert event["DTSTAMP"].dt.utcoffset() == datetime.timedelta(0)
        assert event["SUMMARY"] and event["URL"].startswith("https://houqin.test/")
    # An all-day entry: a DATE, ending the next day (DTEND is exclusive).
    warranty = found[f"facilities.equipment.{world.home['switchboard'].pk}.warranty@houqin.test"]
    assert warranty["DTSTART"].params.get("VALUE") == "DATE"
    start = warranty["DTSTART"].dt
    assert type(start) is datetime.date
    assert start == world.home["switchboard"].warranty_ends_on
    assert warranty["DTEND"].dt == start + datetime.timedelta(days=1)
    # A timed entry: local time with the zone's TZID.
    interview = found[f"staff.interview.{world.home['interview'].pk}@houqin.test"]
    assert interview["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert interview["DTSTART"].dt == world.home["interview"].scheduled_at
    assert interview["DTSTART"].dt.tzinfo == ZoneInfo("Asia/Shanghai")
    # The raw text: CRLF line ends, TZID on timed entries, VALUE=DATE on all-day ones.
    text = response.content.decode()
    assert "\r\n" in text
    assert "DTSTART;TZID=Asia/Shanghai:" in text
    assert "DTSTART;VALUE=DATE:" in text


def test_uids_are_stable_and_unique(client, world):
    url = CalendarFeed.issue(world.user("director")).get_absolute_url()
    first, _first_response = read(client, url)
    second, _response = read(client, url)
    uids = [str(event["UID"]) for event in first.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert set(uids) == {str(event["UID"]) for event in second.walk("VEVENT")}


def test_the_feed_holds_only_what_the_user_may_see(client, world):
    technician = world.user("technician")
    url = CalendarFeed.issue(technician).get_absolute_url()
    found = events(read(client, url)[0])
    home, other = world.home, world.other
    assert f"facilities.workorder.{home['late'].pk}@houqin.test" in found
    assert f"staff.trainingsession.{home['session'].pk}@houqin.test" in found
    for record in (other["late"], other["untaken"]):
        assert f"facilities.workorder.{record.pk}@houqin.test" not in found
    assert not any(uid.startswith(("procurement.", "staff.certificate")) for uid in found)
    # Taken off the property, the technician's feed no longer shows it.
    technician.properties.clear()
    found = events(read(client, url)[0])
    assert not any(uid.startswith("facilities.") for uid in found)


def test_the_window_is_30_days_back_to_180_ahead(client, world):
    home = world.home.property
    today = timezone.localdate()
    inside = WorkOrderFactory(property=home, resolve_by=local(today + datetime.timedelta(170), 9))
    past = WorkOrderFactory(property=home, resolve_by=local(today - datetime.timedelta(20), 9))
    outside = WorkOrderFactory(property=home, resolve_by=local(today + datetime.timedelta(200), 9))
    old = WorkOrderFactory(property=home, resolve_by=local(today - datetime.timedelta(40), 9))
    found = events(read(client, CalendarFeed.issue(world.user("facilities")).get_absolute_url())[0])
    names = {uid.split("@")[0] for uid in found}
    assert {f"facilities.workorder.{o.pk}" for o in (inside, past)} <= names
    assert not {f"facilities.workorder.{o.pk}" for o in (outside, old)} & names


def test_the_feed_is_in_the_users_language(client, world):
    user = world.user("facilities")
    url = CalendarFeed.issue(user).get_absolute_url()
    for language in ("en", "zh-hans"):
        user.language = language
        user.save(update_fields=["language"])
        calendar, _response = read(client, url)
        assert calendar.walk("VEVENT")


def test_the_query_count_does_not_grow(client, world):
    url = CalendarFeed.issue(world.user("director")).get_absolute_url()
    home = world.home.property
    today = timezone.localdate()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(20):
        WorkOrderFactory(property=home, resolve_by=local(today + datetime.timedelta(n), 9))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_user_without_a_feed_gets_none_by_guessing(client):
    user = UserFactory()
    assert not CalendarFeed.objects.filter(user=user).exists()
    assert client.get(f"/calendar/feed/{user.pk}.ics").status_code == HTTPStatus.NOT_FOUND
