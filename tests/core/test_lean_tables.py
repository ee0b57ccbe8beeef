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


def _squeezed(markup):
    markup = re.sub(r">\s+<", "><", markup)
    markup = re.sub(r"\s+", " ", markup)
    return re.sub(r"<(\w+) >", r"<\1>", markup).replace("> ", ">").replace(" <", "<").strip()


def _rows(html):
    match = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S)
    assert match, "no table body"
    return _squeezed(match[1])


def _head(html):
    match = re.search(r"<thead[^>]*>(.*?)</thead>", html, re.S)
    return _squeezed(match[1]) if match else None


CARD_MARKS = re.compile(r' data-label="[^"]*"| data-empty(?=[ >])')


def _without_card_marks(html):
    return CARD_MARKS.sub("", html)


def _labels_match_headers(html):
    """Every cell of every row is labelled with its column's header, in order."""
    head = re.search(r"<thead[^>]*>(.*?)</thead>", html, re.S)
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S)
    if not head or "data-label" not in body[1]:
        return bool(head) and "<td colspan" in body[1]  # only the "nothing to show" row
    headers = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<th [^>]*>(.*?)</th>", head[1], re.S)
    ]
    for row in re.findall(r"<tr [^>]*>(.*?)</tr>", body[1], re.S):
        labels = re.findall(r'<td[^>]* data-label="([^"]*)"', row)
        if labels != headers:
            return False
    return True


def _pager(html):
    """The pager's links and page numbers (its words are translated differently)."""
    match = re.search(r'<ul class="pagination[^"]*">(.*?)</ul>', html, re.S)
    if not match:
        return None
    return re.findall(r'<li class="([^"]*)">\s*<a ([^>]*)>', match[1])


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
        lean_html, stock_html = lean.content.decode(), stock.content.decode()
        # The lean rows add each cell's header (data-label) and mark empty cells (data-empty)
        # for the phone's cards; otherwise they are django-tables2's.
        assert _rows(_without_card_marks(lean_html)) == _rows(stock_html), name
        assert _labels_match_headers(lean_html), name
        assert _head(lean_html) == _head(stock_html), name
        assert _pager(lean_html) == _pager(stock_html), name
        compared += 1
    assert compared > 30


def test_the_pager_keeps_the_filters_and_sorting(client, world, rf):
    from facilities.models import WorkOrder
    from facilities.tables import WorkOrderTable

    request = rf.get("/facilities/work-orders/", {"status": "new", "sort": "-due_on", "page": "2"})
    table = WorkOrderTable(WorkOrder.objects.order_by("pk"))
    table.request = request
    table.paginate(page=2, per_page=1)
    pager = str(table.lean_pagination())
    assert table.paginator.num_pages > 2
    assert 'href="?status=new&amp;sort=-due_on&amp;page=1"' in pager
    assert 'href="?status=new&amp;sort=-due_on&amp;page=3"' in pager
    assert '<li class="page-item active"><a class="page-link" href="?status=new' in pager
    head = str(table.lean_head())
    assert "<thead" in head and 'scope="col"' in head and "sort=" in head


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


def test_empty_cells_are_marked_for_the_phone_cards(client, world):
    from facilities.models import WorkOrder

    WorkOrder.objects.filter(property=world.home.property).update(assignee=None)
    client.force_login(world.user("director"))

    html = client.get("/facilities/work-orders/", headers={"accept-language": "en"}).content
    html = html.decode()

    assert re.search(r'<td data-label="Assignee" data-empty>—</td>', html)
    assert re.search(r'<td data-label="Number"><a href="/facilities/work-orders/\d+/">', html)
