"""A role's home is where its work is: a technician lands on My work after login, the office
on the dashboard, and an explicit ``next`` wins."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from core.roles import ROLES, TECHNICIAN, get_role, home_url_name
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _log_in(client, data=None, query=""):
    return client.post(
        f"/accounts/login/{query}",
        {"username": "tess", "password": "right-password-1", **(data or {})},
    )


def test_a_technician_lands_on_my_work(client):
    UserFactory(username="tess", password="right-password-1", groups=["technician"])
    response = _log_in(client)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("core:my_work")


def test_an_explicit_next_wins_over_the_home(client):
    UserFactory(username="tess", password="right-password-1", groups=["technician"])
    response = _log_in(client, {"next": "/facilities/work-orders/"})
    assert response.url == "/facilities/work-orders/"


def test_a_next_to_another_site_is_ignored_for_the_home(client):
    UserFactory(username="tess", password="right-password-1", groups=["technician"])
    response = _log_in(client, {"next": "https://evil.example/"})
    assert response.url == reverse("core:my_work")


def test_the_office_lands_on_the_dashboard(client):
    UserFactory(username="tess", password="right-password-1", groups=["stores"])
    assert _log_in(client).url == reverse("core:dashboard")


def test_a_supervisor_who_also_works_keeps_the_overview():
    both = UserFactory(groups=["facilities_supervisor", "technician"])
    assert home_url_name(both) == "core:dashboard"
    assert home_url_name(UserFactory(groups=[])) == "core:dashboard"


def test_every_home_is_a_page():
    assert get_role(TECHNICIAN).home == "core:my_work"
    for role in ROLES:
        reverse(role.home)
