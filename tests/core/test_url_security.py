"""Every URL, found by walking the resolver, is closed to anonymous users, and every Houqin
view declares its permission. New views are covered without anyone adding them here."""

from http import HTTPStatus

import pytest

from core.urlwalk import all_urls
from core.views.mixins import PermissionMixin

HOUQIN_APPS = ("core", "staff", "procurement", "facilities", "cleaning", "safety", "liaison")
# Open without login, by design: the login and password-reset pages, the language switch
# (it must work on the login page), and the health check for monitoring.
PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "healthz",
}
# Open without login because a token in the address is the credential: the iCalendar feed
# (calendar apps cannot log in). A wrong token must be a 404, never a page or a redirect to
# the login page (which would confirm nothing but invite guessing).
TOKEN_AUTHENTICATED = {"calendar_feed"}

URLS = all_urls()


def test_the_walk_found_the_apps_pages():
    names = {match.view_name for _url, match in URLS}
    assert {
        "core:dashboard",
        "core:location_list",
        "core:location_edit",
        "healthz",
        "admin:index",
        "staff:index",
    } <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "match"), URLS, ids=[u for u, _m in URLS])
def test_anonymous_requests_are_sent_to_login(client, url, match):
    if match.url_name in PUBLIC:
        pytest.skip("public by design")
    if match.url_name in TOKEN_AUTHENTICATED:
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
        return
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND, url
    assert "/login/" in response["Location"], response["Location"]


def test_every_houqin_view_declares_its_permission():
    for url, match in URLS:
        module = match.func.__module__.split(".")[0]
        if (
            module not in HOUQIN_APPS
            or match.url_name in PUBLIC | TOKEN_AUTHENTICATED
            or "admin" in match.namespaces
        ):
            # Django admin checks its own permissions (is_staff plus model permissions).
            continue
        view_class = getattr(match.func, "view_class", None)
        assert view_class is not None and issubclass(view_class, PermissionMixin), url
        declared = view_class.permission_required or getattr(view_class, "model", None)
        assert declared, f"{url}: {view_class.__name__} declares no permission"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC - {"set_language", "password_reset_confirm"}))
def test_public_pages_answer_without_login(client, name):
    url = next(url for url, match in URLS if match.url_name == name)
    assert client.get(url).status_code in (HTTPStatus.OK, HTTPStatus.SERVICE_UNAVAILABLE)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TOKEN_AUTHENTICATED))
def test_token_pages_answer_a_wrong_token_with_404_and_a_right_one_without_login(client, name):
    from core.models import CalendarFeed
    from tests.factories import UserFactory

    url = next(url for url, match in URLS if match.url_name == name)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    token = CalendarFeed.issue(UserFactory()).token
    assert client.get(url.replace("/x.", f"/{token}.")).status_code == HTTPStatus.OK
