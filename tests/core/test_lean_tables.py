"""The lean row rendering of list tables (``HouqinTable.lean_body``) gives exactly what
django-tables2's own template gave, on every list page, in both languages; filters render
without crispy-forms in the same markup."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import core.tables
from core.tables import HouqinTable

from .world import build_world

LEAN = "tables/houqin.html"
STOCK = "django_tables2/bootstrap5-responsive.html"


@pytest.fixture
def world(db):
    return build_world()


def _list_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _list_names(entry, inner.strip(":"))
        elif (
            isinstance(entry, URLPattern)
            and entry.name
            and entry.name.endswith("_list")
            and not entry.pattern.converters
        ):
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def _tables():
    found, todo = [HouqinTable], [HouqinTable]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def _use(template, monkeypatch):
    monkeypatch.setattr(core.tables.HouqinTable.Meta, "template_name", template)
    for table in _tables():
        monkeypatch.setattr(table._meta, "template_name", template)


def _rows(html):
    match = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S)
    assert match, "no table body"
    body = re.sub(r">\s+<", "><", match[1])
    return re.sub(r"\s+", " ", body).replace("<td >", "<td>").strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_list_renders_the_same_rows_as_django_tables2(client, world, monkeypatch, language):
    client.force_login(world.user("director"))
    names = sorted(set(_list_names()))
    assert len(names) > 30  # the walk found the lists
    compared = 0
    for name in names:
        url = reverse(name)
        _use(LEAN, monkeypatch)
        lean = client.get(url, headers={"accept-language": language})
        _use(STOCK, monkeypatch)
        stock = client.get(url, headers={"accept-language": language})
        assert lean.status_code == stock.status_code == 200, name
        if b"<tbody" not in stock.content:
            continue  # a list page drawn its own way
        assert _rows(lean.content.decode()) == _rows(stock.content.decode()), name
        compared += 1
    assert compared > 30


def test_lean_rows_are_one_pass_and_escape_what_they_show(client, world, monkeypatch):
    from facilities.models import WorkOrder

    order = WorkOrder.objects.filter(property=world.home.property).first()
    WorkOrder.objects.filter(pk=order.pk).update(title="<b>leak</b> & co")
    client.force_login(world.user("director"))

    html = client.get("/facilities/work-orders/").content.decode()

    assert "&lt;b&gt;leak&lt;/b&gt; &amp; co" in html
    assert "<b>leak</b>" not in html


def test_filters_render_label_control_and_errors(client, world):
    client.force_login(world.user("director"))

    html = client.get("/facilities/work-orders/", {"priority": "nope"}).content.decode()

    assert '<label for="id_priority" class="form-label">' in html
    assert 'class="form-select is-invalid"' in html
    assert 'aria-describedby="id_priority_error"' in html
    assert re.search(r'id="id_priority_error" class="invalid-feedback d-block"><p><strong>', html)
    assert 'name="q"' in html and 'class="form-control"' in html
