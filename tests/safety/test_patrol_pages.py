"""The scan page, the typed code, the JSON endpoint, acknowledgement: logged-in users with
a valid token only, idempotent client ids, and never a 500 on hostile input."""

import datetime
import json
import uuid
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.roles import GUARD, SECURITY_SUPERVISOR
from safety.models import PatrolRound, RoundStatus, Scan
from tests.factories import PropertyFactory, UserFactory

from .factories_patrols import CheckpointFactory, PatrolRoundFactory, PatrolRouteFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 2)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def route():
    route = PatrolRouteFactory()
    for position in (1, 2):
        CheckpointFactory(route=route, position=position)
    PatrolRoundFactory(route=route, due_on=DAY)
    return route


@pytest.fixture
def guard(route):
    return UserFactory(groups=[GUARD], properties=[route.property])


@pytest.fixture
def during():
    with time_machine.travel(at(DAY, 8, 10), tick=False):
        yield


def scan_url(checkpoint):
    return reverse("safety:patrol_scan", args=[checkpoint.token])


def test_the_scan_page_needs_a_login_and_a_valid_token(client, route, guard, during):
    checkpoint = route.checkpoints.first()
    response = client.get(scan_url(checkpoint))
    assert response.status_code == HTTPStatus.FOUND and "login" in response.url
    assert client.post(scan_url(checkpoint)).status_code == HTTPStatus.FOUND
    assert not Scan.objects.exists()
    client.force_login(guard)
    response = client.get(scan_url(checkpoint))
    assert response.status_code == HTTPStatus.OK
    assert checkpoint.name in response.content.decode()
    for bad in ("nonsense-token-of-some-length", checkpoint.code, "%00" * 30, "x" * 300):
        assert client.get(f"/safety/scan/{bad}/").status_code == HTTPStatus.NOT_FOUND
    outsider = UserFactory(groups=[GUARD], properties=[PropertyFactory()])
    client.force_login(outsider)
    assert client.get(scan_url(checkpoint)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(scan_url(checkpoint), {}).status_code == HTTPStatus.NOT_FOUND
    viewer = UserFactory(perms=["safety.view_checkpoint"], properties=[route.property])
    client.force_login(viewer)
    assert client.get(scan_url(checkpoint)).status_code == HTTPStatus.FORBIDDEN
    assert not Scan.objects.exists()


def test_posting_the_scan_page_records_the_scan(client, route, guard, during):
    checkpoint = route.checkpoints.first()
    client.force_login(guard)
    client_id = str(uuid.uuid4())
    data = {
        "note": "",
        "latitude": "31.230000",
        "longitude": "121.470000",
        "accuracy": "12",
        "device_time": "2026-11-02T00:10:00Z",
        "client_id": client_id,
    }
    response = client.post(scan_url(checkpoint), data)
    assert response.status_code == HTTPStatus.FOUND
    scan = Scan.objects.get()
    assert (scan.scanned_by, scan.checkpoint, scan.accuracy_m) == (guard, checkpoint, 12)
    assert str(scan.client_id) == client_id
    assert response.url == scan.round.get_absolute_url()
    assert client.post(scan_url(checkpoint), data).status_code == HTTPStatus.FOUND
    assert Scan.objects.count() == 1
    # An anomaly needs a note; hostile values are form errors.
    other = route.checkpoints.last()
    for bad in (
        {"anomaly": "on"},
        {"latitude": "999"},
        {"device_time": "9999-12-31T00:00"},
        {"client_id": "not-a-uuid"},
        {"accuracy": "-4"},
    ):
        response = client.post(scan_url(other), bad)
        assert response.status_code == HTTPStatus.OK, bad
        assert response.context["form"].errors, bad
    assert Scan.objects.count() == 1


def test_typed_code_on_the_round_page(client, route, guard, during):
    round_ = PatrolRound.objects.get()
    client.force_login(guard)
    page = client.get(round_.get_absolute_url())
    assert page.status_code == HTTPStatus.OK and page.context["code_form"] is not None
    url = reverse("safety:patrolround_code", args=[round_.pk])
    for checkpoint in route.checkpoints.all():
        assert client.post(url, {"code": checkpoint.code}).status_code == HTTPStatus.FOUND
    round_.refresh_from_db()
    assert round_.status == RoundStatus.COMPLETE
    assert all(scan.typed for scan in Scan.objects.all())
    response = client.post(url, {"code": "ZZZZZZ"}, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert Scan.objects.count() == 2
    stranger = PatrolRoundFactory(route=PatrolRouteFactory(), due_on=DAY)
    other_url = reverse("safety:patrolround_code", args=[stranger.pk])
    assert client.post(other_url, {"code": "ABCDEF"}).status_code == HTTPStatus.NOT_FOUND


def test_the_json_endpoint_is_idempotent_and_refuses_hostile_input(client, route, guard, during):
    url = reverse("safety:scan_api")
    checkpoint = route.checkpoints.first()
    client.force_login(guard)
    body = {
        "token": checkpoint.token,
        "client_id": str(uuid.uuid4()),
        "device_time": "2026-11-02T08:09:00+08:00",
        "latitude": 31.23,
        "longitude": 121.47,
        "accuracy": 8,
    }
    first = client.post(url, json.dumps(body), content_type="application/json")
    assert first.status_code == HTTPStatus.CREATED, first.content
    again = client.post(url, json.dumps(body), content_type="application/json")
    assert again.status_code == HTTPStatus.OK
    assert again.json()["duplicate"] and again.json()["scan"] == first.json()["scan"]
    assert Scan.objects.count() == 1
    for hostile in (
        b"not json",
        b"[1, 2]",
        b"\xff\xfe",
        json.dumps({"token": ["x"]}).encode(),
        json.dumps({"token": checkpoint.token, "client_id": "nope"}).encode(),
        json.dumps({"token": checkpoint.token, "device_time": "yesterday"}).encode(),
        json.dumps({"token": checkpoint.token, "device_time": "0001-01-01T00:00"}).encode(),
        json.dumps({"token": checkpoint.token, "latitude": "NaN", "longitude": 1}).encode(),
        json.dumps({"token": checkpoint.token, "latitude": 1e308, "longitude": 1}).encode(),
        json.dumps({"token": checkpoint.token, "accuracy": "lots"}).encode(),
        json.dumps({"token": checkpoint.token, "note": {"a": 1}}).encode(),
        json.dumps({"code": "UNKNOWN"}).encode(),
        json.dumps({"token": "t" * 10_000}).encode(),
        # NUL bytes: PostgreSQL refuses them in text; here they are refused before it.
        json.dumps({"token": "\x00" * 30}).encode(),
        json.dumps({"code": "AB\x00CD"}).encode(),
        json.dumps({"token": checkpoint.token, "note": "\x00"}).encode(),
    ):
        response = client.post(url, hostile, content_type="application/json")
        assert response.status_code in (400, 422), (hostile, response.status_code)
        assert response.json()["ok"] is False
    assert Scan.objects.count() == 1
    assert client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    client.logout()
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == HTTPStatus.FOUND  # to the login page


def test_the_supervisor_acknowledges_a_late_round(client, route, guard):
    round_ = PatrolRound.objects.get()
    boss = UserFactory(groups=[SECURITY_SUPERVISOR], properties=[route.property])
    url = reverse("safety:patrolround_acknowledge", args=[round_.pk])
    with time_machine.travel(at(DAY, 9, 30), tick=False):
        client.force_login(guard)
        assert client.post(url, {"comment": "x"}).status_code == HTTPStatus.FORBIDDEN
        client.force_login(boss)
        page = client.get(round_.get_absolute_url())
        assert page.context["can_acknowledge"]
        assert client.post(url, {"comment": ""}).status_code == HTTPStatus.FOUND
        round_.refresh_from_db()
        assert round_.acknowledged_at is None
        assert client.post(url, {"comment": "人手不足"}).status_code == HTTPStatus.FOUND
    round_.refresh_from_db()
    assert (round_.acknowledged_by, round_.acknowledgement) == (boss, "人手不足")
