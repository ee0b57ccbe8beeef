"""Every page of the site and of Django admin, walked with real ids and with junk, by a
superuser and by a user limited to one property: GETs and junk POSTs to every form never
meet a 500."""

import pytest
from django.core.management import call_command

from core.documents import pdf_unavailable
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
    no_pdf = pdf_unavailable() is not None
    for url, match in URLS:
        if match.url_name in ("logout", "set_language") or url.endswith("/delete/"):
            continue
        real = _real_url(url, match)
        for params in ({}, JUNK, {"q": "\x00"}):
            status = client.get(real, params).status_code
            if status == 503 and no_pdf and (match.url_name or "").endswith("_pdf"):
                continue  # a document's PDF on a machine without WeasyPrint: says so
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


# --- Django admin -----------------------------------------------------------------------------

# Each tried on its own, so that one refused parameter does not hide what another would do.
ADMIN_JUNK = (
    {"q": "\x00"},
    {"q": "%_'\""},
    {"o": "abc.-x.99"},
    {"p": "-1"},
    {"all": "", "_facets": "?"},
    {"e": "1"},
    {"property__id__exact": "abc"},
    {"status__exact": "??"},
    {"created_at__gte": "2026-02-30"},
    {"_to_field": "password"},
)
NUMBER_TOO_LARGE = "99999999999999999999"


def _junk_post(model_admin, value):
    """Every field of the admin's model, and every autocomplete field, set to ``value``."""
    opts = model_admin.model._meta
    data = {field.name: value for field in opts.get_fields() if field.concrete}
    data.update({field.name: [value, "x"] for field in opts.many_to_many})
    return data


def _autocomplete_queries(model_admin, model):
    """The admin's autocomplete endpoint, asked for each autocomplete field with junk."""
    opts = model._meta
    for name in model_admin.autocomplete_fields:
        base = {"app_label": opts.app_label, "model_name": opts.model_name, "field_name": name}
        yield base
        yield {**base, "term": "\x00"}
        yield {**base, "term": "%_'"}
        yield {**base, "term": "x" * 2000}
        yield {**base, "page": "abc"}
        yield {**base, "page": NUMBER_TOO_LARGE}
    yield {"app_label": opts.app_label, "model_name": opts.model_name, "field_name": "nope"}
    yield {"app_label": "nope", "model_name": "x", "field_name": "y", "term": "a"}


def _admin_walk(client):
    from django.contrib import admin

    failures = []

    def check(method, url, data=None):
        response = getattr(client, method)(url, data or {})
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url} {data} {response.status_code}")

    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        obj = model._default_manager.order_by("-pk").first()
        check("get", base)
        for params in ADMIN_JUNK:
            check("get", base, params)
        check("get", f"{base}add/")
        for value in ("abc", NUMBER_TOO_LARGE):
            check("post", f"{base}add/", _junk_post(model_admin, value))
        for object_id in ["abc", NUMBER_TOO_LARGE, "-1", *([str(obj.pk)] if obj else [])]:
            for page in ("change/", "history/", "delete/", "history/abc/", "history/1/"):
                check("get", f"{base}{object_id}/{page}")
        if obj is not None:
            check("post", f"{base}{obj.pk}/change/", _junk_post(model_admin, "abc"))
        for page in ("import/", "export/"):
            check("get", f"{base}{page}")
        for params in _autocomplete_queries(model_admin, model):
            check("get", "/admin/autocomplete/", params)
    return failures


def test_a_superuser_never_meets_a_server_error_in_admin(client, demo):
    client.raise_request_exception = False
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    failures = _admin_walk(client)
    assert failures == [], "\n".join(failures)


def test_a_staff_user_of_one_property_never_meets_a_server_error_in_admin(client, demo):
    client.raise_request_exception = False
    user = UserFactory(
        username="limited",
        is_staff=True,
        properties=[Property.objects.get(code="JLG")],
        groups=["hr", "facilities_supervisor", "stores", "security_supervisor"],
    )
    client.force_login(user)
    failures = _admin_walk(client)
    assert failures == [], "\n".join(failures)
