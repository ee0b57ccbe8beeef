"""A signed-in session ends after SESSION_IDLE_MINUTES without a request, and lasts while
the person keeps using the site."""

import datetime
from http import HTTPStatus

import pytest
import time_machine
from django.conf import settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_idle_timeout_is_a_working_day_by_default():
    assert settings.SESSION_IDLE_MINUTES == 600
    assert settings.SESSION_COOKIE_AGE == 600 * 60
    assert not getattr(settings, "SESSION_SAVE_EVERY_REQUEST", False)
    assert "core.middleware.SessionRefreshMiddleware" in settings.MIDDLEWARE


def test_the_session_is_written_once_every_few_minutes_not_on_every_page(client):
    from django.contrib.sessions.models import Session

    def expiry():
        return Session.objects.get().expire_date

    with time_machine.travel("2026-11-24 08:00 +0800", tick=False) as traveller:
        client.force_login(UserFactory())
        first = expiry()  # written at login, and that counts as a refresh
        client.get("/")
        assert expiry() == first
        traveller.shift(datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS - 10))
        client.get("/")
        assert expiry() == first  # not written again
        traveller.shift(datetime.timedelta(seconds=20))
        client.get("/")
        assert expiry() == first + datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS + 10)


def test_a_session_lasts_while_used_and_ends_when_idle(client):
    idle = datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    minute = datetime.timedelta(minutes=1)
    with time_machine.travel("2026-11-24 08:00 +0800", tick=False) as traveller:
        client.force_login(UserFactory())
        for _day in range(3):  # used just within the idle time, again and again
            traveller.shift(idle - minute)
            assert client.get("/").status_code == HTTPStatus.OK
        traveller.shift(idle + minute)
        response = client.get("/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith("/accounts/login/")
