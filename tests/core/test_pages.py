"""Login, lockout, language, dashboard and area pages."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.test import override_settings
from django.utils import translation

from core.templatetags.houqin import money
from tests.factories import LocationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_and_successful_login(client):
    UserFactory(username="amy", password="right-password-1")
    assert client.get("/accounts/login/").status_code == HTTPStatus.OK
    response = client.post("/accounts/login/", {"username": "amy", "password": "right-password-1"})
    assert response.status_code == HTTPStatus.FOUND and response.url == "/"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failed_logins_lock_the_account(client):
    UserFactory(username="amy", password="right-password-1")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "amy", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "amy", "password": "right-password-1"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Account locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_dashboard_shows_one_tile_per_area_the_user_can_open(client, property_a):
    LocationFactory(property=property_a)
    director = UserFactory(groups=["director"])
    client.force_login(director)
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    tiles = [tile["area"].app_label for tile in response.context["tiles"]]
    assert tiles == ["staff", "procurement", "facilities", "cleaning", "safety", "liaison"]
    assert response.context["reference"]["locations"] == 1
    guard = UserFactory(groups=["guard"], properties=[property_a])
    client.force_login(guard)
    tiles = [tile["area"].app_label for tile in client.get("/").context["tiles"]]
    assert tiles == ["safety"]


def test_area_page_needs_a_permission_in_that_area(client):
    client.force_login(UserFactory(groups=["guard"]))
    assert client.get("/safety/").status_code == HTTPStatus.OK
    assert client.get("/staff/").status_code == HTTPStatus.FORBIDDEN


def test_switching_language_is_kept_as_the_users_preference(client):
    user = UserFactory(language="zh-hans")
    client.force_login(user)
    assert client.get("/").headers["Content-Language"] == "zh-hans"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.language == "en"
    assert client.get("/").headers["Content-Language"] == "en"


def test_language_switch_on_the_login_page_works_anonymously(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get("/accounts/login/").headers["Content-Language"] == "zh-hans"


def test_an_unknown_language_is_ignored(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_money_is_cny_with_two_decimals_in_the_active_locale():
    with translation.override("en"):
        assert money(Decimal("1234.5")) == "¥1,234.50"
    assert money(None) == "—"
    assert money("not a number") == "not a number"


def test_password_reset_sends_a_link_without_revealing_accounts(client, mailoutbox):
    UserFactory(username="amy", email="amy@example.com")
    response = client.post("/accounts/password_reset/", {"email": "amy@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    assert len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    assert len(mailoutbox) == 1
