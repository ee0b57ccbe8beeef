"""Every page of the site, walked with real ids and with junk, by a superuser and by a user
limited to one property: GETs and junk POSTs to every form never meet a 500."""

import pytest
from django.core.management import call_command

from core.models import Property
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
    "status": "??",
    "type": "x",
    "employee": "-3",
    "date": "2026-02-30",
    "compliance": "all",
    "expiry": "9999",
}
JUNK_POST = {
    **JUNK,
    "name": "x" * 500,
    "code": "<script>",
    "parent": "999999",
    "hire_date": "yesterday",
    "issued_on": "0000-00-00",
    "expires_on": "1900-01-01",
    "staff_no": "",
    "position": "1;drop",
    "department": "[]",
    "scan": "notafile",
    "summary": "",
    "required_certificate_types": ["a", "b"],
    "user": "0",
}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    settings.DEBUG = False


def _real_url(url, match):
    """Put the id of an existing record where the walk put a sample ``1``."""
    model = getattr(getattr(match.func, "view_class", None), "model", None)
    if model is not None and "/1/" in url:
        obj = model._default_manager.order_by("-pk").first()
        if obj is not None:
            url = url.replace("/1/", f"/{obj.pk}/", 1)
    return url


def _walk(client):
    failures = []
    for url, match in URLS:
        if match.url_name in ("logout", "set_language") or url.endswith("/delete/"):
            continue
        real = _real_url(url, match)
        for params in ({}, JUNK):
            status = client.get(real, params).status_code
            if status >= 500:
                failures.append(f"GET {real} {params} {status}")
        if match.url_name and match.url_name.endswith(("_add", "_edit")):
            status = client.post(real, JUNK_POST).status_code
            if status >= 500:
                failures.append(f"POST {real} {status}")
    return failures


def test_a_superuser_never_meets_a_server_error(client, demo):
    client.raise_request_exception = False
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    failures = _walk(client)
    assert failures == [], "\n".join(failures)


def test_a_user_of_one_property_never_meets_a_server_error(client, demo):
    client.raise_request_exception = False
    user = UserFactory(
        username="limited",
        properties=[Property.objects.get(code="JLG")],
        groups=["hr", "facilities_supervisor", "security_supervisor"],
    )
    client.force_login(user)
    failures = _walk(client)
    assert failures == [], "\n".join(failures)
