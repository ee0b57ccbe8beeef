"""A superuser walks every page of the site (with real ids and with junk) and never meets a 500."""

import pytest
from django.core.management import call_command

from core.models import Location, Property
from tests.core.test_url_security import URLS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JUNK = {
    "page": "-1",
    "sort": "';drop",
    "q": "%%%",
    "per_page": "0",
    "property": "abc",
    "kind": "nope",
    "active": "maybe",
    "_export": "exe",
}


@pytest.fixture
def admin_client(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    settings.DEBUG = False
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def _real_url(url):
    """Put the id of an existing record where the walk put a sample ``1``."""
    ids = {"properties": Property.objects.first().pk, "locations": Location.objects.last().pk}
    for prefix, pk in ids.items():
        url = url.replace(f"/{prefix}/1/", f"/{prefix}/{pk}/")
    return url


def test_every_page_answers_without_a_server_error(admin_client):
    client = admin_client
    client.raise_request_exception = False
    failures = []
    for url, match in URLS:
        if match.url_name in ("logout", "set_language") or "/delete/" in url:
            continue
        for params in ({}, JUNK):
            response = client.get(_real_url(url), params)
            if response.status_code >= 500:
                failures.append((url, params, response.status_code))
    assert failures == [], "\n".join(f"{u} {p} {s}" for u, p, s in failures)
