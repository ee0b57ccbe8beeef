"""The Content-Security-Policy: sent on every page, scripts only from our own files (no
'unsafe-inline', no 'unsafe-eval'); and no template brings an inline script or handler back."""

import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import UserFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def directives(response):
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/",
        "/staff/employees/",
        "/staff/roster/",
        "/facilities/equipment/",
        "/admin/",
        "/admin/core/location/",
        "/admin/core/location/export/",
    ],
)
def test_every_page_sends_the_policy_without_inline_scripts(client, url):
    if url != "/accounts/login/":
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("style-src")[0]
    for name, values in policy.items():
        if name != "style-src":
            assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values, name


# A script element without src runs inline, unless it is a data block (json_script).
INLINE_SCRIPT = re.compile(
    r"""<script\b(?![^>]*\b(src=|type=["']application/json))[^>]*>""", re.IGNORECASE
)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_no_template_has_an_inline_script_or_handler():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, SCRIPT_URL):
            offenders += [
                f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in pattern.finditer(text)
            ]
        if "hx-on" in text:
            offenders.append(f"{path.relative_to(TEMPLATES)}: hx-on (htmx evaluates it)")
    assert offenders == [], "\n".join(offenders)


def test_the_check_finds_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">')
    assert not INLINE_SCRIPT.search('<script src="/static/js/houqin.js"></script>')
    assert not INLINE_SCRIPT.search('<script id="data" type="application/json">{}</script>')
    assert INLINE_HANDLER.search('<button type="button" onclick="window.print()">')
    assert INLINE_HANDLER.search('<select\n  onchange="this.form.submit()">')
    assert not INLINE_HANDLER.search('<button data-print class="btn">')
    assert SCRIPT_URL.search('<a href="javascript:void(0)">')


@pytest.mark.django_db
def test_admin_pages_whose_library_scripts_are_moved_to_static_files(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    export = client.get("/admin/core/location/export/").content.decode()
    assert "js/admin-export.js" in export
    periodic = client.get("/admin/django_celery_beat/periodictask/add/").content.decode()
    assert "js/admin-periodic-task.js" in periodic
    assert not INLINE_SCRIPT.search(periodic)
