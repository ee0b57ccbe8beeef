"""``manage.py bench``: how fast Houqin is with years of data (issue 11).

One run measures, on PostgreSQL:

- every list, detail, report, form and dashboard page found by walking the resolver
  (``core.urlwalk``), over HTTP against gunicorn with a real login: p50/p95;
- the SQL queries of each page through the test client at two scales (1× and 10×): a page
  whose count differs is a failure (an N+1 that grows with the data);
- each busy list page against its floor: the same first page of rows fetched by one raw SQL
  query (with the scoping condition and the count the pager needs) and rendered with a plain
  ``<table>``, served by the same gunicorn through the same login and middleware
  (``floor_view``), so the ratio compares like with like (the SQL and template part alone
  is reported too, as ``sql_ms``);
- the daily jobs at scale, in transactions rolled back afterwards (the database is left as
  it was): the reminder sweep, preventive-order and round generation and their 14-day
  catch-up, stock-count opening and the reconcile of a 5,000-line count, and stock on hand.

The orchestration (databases, seeding, gunicorn, HTTP) lives in :class:`Bench`; what runs
against one database runs in a child process (``manage.py bench --phase …``) whose
``DATABASE_URL`` names that database, so nothing is shared between scales.
"""

import hashlib
import json
import math
import os
import platform
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import Decimal
from http.client import HTTPConnection
from pathlib import Path

from django.conf import settings

# --- targets (issue 11) ---------------------------------------------------------------------

TARGET_PAGE_MS = 150  # p95 of every list and detail page
TARGET_DASHBOARD_MS = 300
TARGET_FLOOR_RATIO = 3.0
TARGET_EXPORT_S = 2.0
JOB_TARGETS = {  # seconds
    "reminder sweep": 10,
    "14-day catch-up (orders + rounds)": 10,
    "cleaning tasks, 14-day catch-up": 10,
    "waste and greening, 14-day catch-up": 10,
    "stock count: reconcile 5,000 lines": 5,
    "stock on hand (page, in-process)": 1,
}

# The busy list pages measured against their floor.
FLOOR_PAGES = (
    "facilities:workorder_list",
    "facilities:equipment_list",
    "procurement:stockmovement_list",
    "staff:employee_list",
    "procurement:purchaseorder_list",
    "facilities:inspectionround_list",
    "core:location_list",
    "procurement:item_list",
    "cleaning:cleaningtask_list",
    "cleaning:cleaninginspection_list",
    "cleaning:wastecollection_list",
)
HOUQIN_APPS = ("core", "staff", "procurement", "facilities", "cleaning", "safety", "liaison")
# Visited as the technician (their own work); every other page as the director.
TECHNICIAN_PAGES = {"core:my_work", "facilities:my_work_orders"}
SEARCH_TERM = "电梯"
FILE_SUFFIXES = (".svg", ".ics", ".pdf", ".csv", ".xlsx", ".png", ".jpg")
EXPORT_PAGE = "facilities:workorder_list"
PASSWORD = "demo"
COUNT_LINES = 5000
PAGE_BUDGET_S = 30  # seconds of requests per page before it is timed over fewer
MIN_REQUESTS = 5
CATCH_UP_DAYS = 14

REPO = Path(settings.BASE_DIR)
OUT_DIR = REPO / "var" / "bench"


# --- pages ----------------------------------------------------------------------------------


@dataclass
class Page:
    name: str  # the view name, e.g. facilities:workorder_list
    path: str  # the walk's sample path (``1`` where the id goes)
    kind: str  # list, detail, report, form, dashboard, page
    user: str = "director"
    params: dict = field(default_factory=dict)
    needs_object: bool = False

    def target_ms(self):
        if self.kind in ("list", "detail"):
            return TARGET_PAGE_MS
        if self.kind == "dashboard":
            return TARGET_DASHBOARD_MS
        return None


def _has(view_class, name):
    return any(klass.__name__ == name for klass in view_class.__mro__)


def classify(url, match):
    """The :class:`Page` of a walked URL, or None when it is not a page to measure (POST-only
    actions, deletes, file downloads, other sites' and public pages, the admin)."""
    view_class = getattr(match.func, "view_class", None)
    module = match.func.__module__.split(".")[0]
    if view_class is None or module not in HOUQIN_APPS or "admin" in match.namespaces:
        return None
    if "get" not in view_class.http_method_names or not hasattr(view_class, "get"):
        return None
    if any(_has(view_class, base) for base in ("ObjectDeleteView", "ObjectActionView")):
        return None
    if _has(view_class, "ObjectFileView") or url.endswith(FILE_SUFFIXES):
        return None
    if "export" in (match.url_name or "") or match.url_name in ("calendar_feed", "healthz"):
        return None
    if (match.url_name or "").endswith("_pdf"):
        return None  # a document's PDF (core.documents): a file, made by WeasyPrint
    kwargs = set(match.kwargs)
    if kwargs - {"pk"}:
        return None  # a parameter the bench cannot fill with a real id
    name = match.view_name
    if name == "core:dashboard" or _has(view_class, "AreaView"):
        kind = "dashboard"
    elif _has(view_class, "ReportView"):
        kind = "report"
    elif _has(view_class, "ObjectListView"):
        kind = "list"
    elif _has(view_class, "ObjectDetailView"):
        kind = "detail"
    elif any(_has(view_class, b) for b in ("ObjectEditView", "FormView", "ObjectFormView")):
        kind = "form"
    elif (match.url_name or "").startswith("report"):
        kind = "report"
    else:
        kind = "page"
    return Page(
        name=name,
        path=url,
        kind=kind,
        user="technician" if name in TECHNICIAN_PAGES else "director",
        params={"q": SEARCH_TERM} if name == "core:search" else {},
        needs_object="pk" in kwargs,
    )


def pages(pattern=None):
    """Every page to measure, in the resolver's order; ``pattern`` (a regex) narrows them by
    view name or path."""
    from .urlwalk import all_urls

    found, seen = [], set()
    for url, match in all_urls():
        page = classify(url, match)
        if page is None or page.name in seen:
            continue
        if pattern and not (re.search(pattern, page.name) or re.search(pattern, page.path)):
            continue
        seen.add(page.name)
        found.append(page)
    return found


def _users():
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(username__in=["director", "technician"])
    return {user.username: user for user in users}


def real_url(page, user, oldest=False):
    """The page's path with the id of the newest record of its model ``user`` may see (the
    view's own queryset decides), or None when there is none. ``oldest``: the first record
    instead, which the query counts use: every scale seeds the same hand-made demo first, so
    the first record is the same record, in the same state, at 1× and at 10×, only with
    ten times the data around it (the newest would be a bulk record in another state: a
    submitted requisition shows its budget check, a draft does not)."""
    if not page.needs_object:
        return page.path
    from django.test import RequestFactory
    from django.urls import resolve

    match = resolve(page.path)
    view = match.func.view_class(**getattr(match.func, "view_initkwargs", {}))
    request = RequestFactory().get(page.path)
    request.user = user
    view.setup(request, *match.args, **match.kwargs)
    try:
        queryset = view.get_queryset()
    except Exception:
        from .scoping import visible_records

        model = getattr(view, "model", None)
        if model is None:
            return None
        queryset = visible_records(model._default_manager.all(), user)
    pk = queryset.order_by("pk" if oldest else "-pk").values_list("pk", flat=True).first()
    if pk is None:
        return None
    return re.sub(r"/1(/|$|\.)", rf"/{pk}\1", page.path, count=1)


def _full(url, params):
    return f"{url}?{urllib.parse.urlencode(params)}" if params else url


# --- phase: query counts (child process, one database) --------------------------------------


def query_counts(found=None, warmup=True):
    """Each page fetched through the test client by its user, after one warm-up request:
    ``{name: {url, status, queries, ms, error}}``. A page that errors is reported, never
    raised. Without the warm-up (the smoke, for speed) the counts include what per-process
    caches fetch the first time; the two scales still compare, as both visit the pages in
    the same order."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found = pages() if found is None else found
    users = _users()
    clients = {}
    results = {}
    for page in found:
        user = users.get(page.user)
        entry = {"kind": page.kind, "url": None, "status": None, "queries": None, "error": ""}
        results[page.name] = entry
        if user is None:
            entry["error"] = f"no user {page.user}"
            continue
        try:
            url = real_url(page, user, oldest=True)
        except Exception as exc:
            entry["error"] = f"no record: {type(exc).__name__}: {exc}"[:300]
            continue
        if url is None:
            entry["error"] = "no record to show"
            continue
        entry["url"] = _full(url, page.params)
        if page.user not in clients:
            client = Client(raise_request_exception=False)
            client.force_login(user)
            clients[page.user] = client
        client = clients[page.user]
        try:
            if warmup:
                client.get(url, page.params)  # per-process caches (content types …)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, page.params)
                entry["ms"] = round((time.perf_counter() - started) * 1000, 1)
            entry["status"] = response.status_code
            entry["queries"] = len(captured.captured_queries)
            entry["content_type"] = response.get("Content-Type", "")
            entry["location"] = response.get("Location", "")
        except Exception as exc:  # the tool reports, it does not crash
            entry["status"] = 0
            entry["error"] = f"{type(exc).__name__}: {exc}"[:300]
    return results


def _moved(entry):
    """A page that has moved (an old address redirecting to its new page): not measured. A
    redirect to the login page or to HTTPS means the bench could not see the page: a failure."""
    location = entry.get("location") or ""
    return (
        entry.get("status") in (301, 302)
        and location.startswith("/")
        and not location.startswith(("/accounts/login", "//"))
    )


def compare_counts(low, high, low_scale, high_scale):
    """Rows of the comparison: a page fails when it does not answer 200 at either scale or
    when its query count differs between them."""
    rows = []
    for name in sorted(set(low) | set(high), key=lambda n: (low.get(n) or high.get(n))["kind"]):
        a, b = low.get(name, {}), high.get(name, {})
        problems = []
        for scale, entry in ((low_scale, a), (high_scale, b)):
            if not entry:
                problems.append(f"missing at {scale}×")
            elif entry.get("error") and entry.get("status") is None:
                problems.append(f"{scale}×: {entry['error']}")
            elif entry.get("status") != 200 and not _moved(entry):
                problems.append(f"{scale}×: HTTP {entry.get('status')} {entry.get('error', '')}")
        qa, qb = a.get("queries"), b.get("queries")
        if qa is not None and qb is not None and qa != qb:
            problems.append(f"queries {qa} at {low_scale}×, {qb} at {high_scale}×")
        skipped = all(
            e.get("status") is None and e.get("error") == "no record to show" for e in (a, b)
        ) or all(_moved(e) for e in (a, b))
        rows.append(
            {
                "page": name,
                "kind": (a or b).get("kind"),
                "url": b.get("url") or a.get("url"),
                "queries_low": a.get("queries"),
                "queries_high": b.get("queries"),
                "ok": not problems or skipped,
                "skipped": skipped,
                "problems": problems,
            }
        )
    return rows


# --- phase: resolve and floors (child process, the benchmark database) ----------------------


def resolve_pages(found=None):
    """The real URL of each page for the HTTP run, and facts about the database."""
    found = pages() if found is None else found
    users = _users()
    out = []
    for page in found:
        user = users.get(page.user)
        entry = asdict(page)
        entry["target_ms"] = page.target_ms()
        try:
            url = real_url(page, user) if user else None
            entry["url"] = _full(url, page.params) if url else None
            entry["error"] = "" if url else "no record to show"
        except Exception as exc:
            entry["url"], entry["error"] = None, f"{type(exc).__name__}: {exc}"[:300]
        out.append(entry)
    return out


FLOOR_TEMPLATE = (
    "<table><thead><tr>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr></thead>"
    "<tbody>{% for row in rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>"
    "{% endfor %}</tbody></table><p>{{ count }}</p>"
)
DISPLAY_FIELDS = ("full_name", "name", "title", "number", "code", "username")


def _lookup(model, queryset, accessor):
    """The ORM lookup that fetches a table column in SQL: the field itself, a related
    record's display field (its name, number …), or an annotation; None when the column is
    computed in Python (the floor then leaves it out)."""
    from django.core.exceptions import FieldDoesNotExist

    path = str(accessor).replace(".", "__")
    if path in queryset.query.annotations:
        return path
    current, parts = model, path.split("__")
    for i, part in enumerate(parts):
        try:
            fld = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if fld.is_relation:
            if fld.many_to_many or fld.one_to_many:
                return None
            current = fld.related_model
            if i == len(parts) - 1:
                names = {f.name for f in current._meta.concrete_fields}
                shown = next((n for n in DISPLAY_FIELDS if n in names), "pk")
                return f"{path}__{shown}"
        elif i != len(parts) - 1:
            return None
    return path


def prepare_floor(url, user):
    """What the floor of the list page at ``url`` runs: the page's first rows (same
    queryset, scoping and default ordering as its table, same page size) as one raw SQL
    query, and the count query the pager needs. A dict, or ``{"error": …}``."""
    from django.test import Client
    from django.test.utils import _TestState, setup_test_environment, teardown_test_environment

    client = Client(raise_request_exception=False)
    client.force_login(user)
    # The test environment records the templates' context (the page's table); it is torn
    # down before timing, so the floor's own template renders uninstrumented.
    instrumented = not hasattr(_TestState, "saved_data")  # not already (under pytest)
    if instrumented:
        setup_test_environment()
    try:
        response = client.get(url)
    finally:
        if instrumented:
            teardown_test_environment()
    if response.status_code != 200 or not response.context or "table" not in response.context:
        return {"error": f"HTTP {response.status_code} (no table)"}
    table = response.context["table"]
    queryset = getattr(table.data, "data", None)
    if not hasattr(queryset, "query"):
        return {"error": "the table's data is not a queryset"}
    per_page = table.paginator.per_page if getattr(table, "paginator", None) else 25
    headers, lookups, left_out = [], [], []
    for column in table.columns:
        lookup = _lookup(queryset.model, queryset, column.accessor)
        if lookup is None:
            left_out.append(column.name)
            continue
        headers.append(str(column.header))
        lookups.append(lookup)
    rows_sql, rows_params = queryset.values_list(*lookups)[:per_page].query.sql_with_params()
    inner, count_params = queryset.order_by().values("pk").query.sql_with_params()
    return {
        "count_sql": f"SELECT COUNT(*) FROM ({inner}) AS floor_count",
        "count_params": count_params,
        "rows_sql": rows_sql,
        "rows_params": rows_params,
        "headers": headers,
        "left_out": left_out,
        "per_page": per_page,
    }


def run_floor(prepared):
    """The floor's page: its two queries, rendered with a minimal template."""
    from django.db import connection
    from django.template import engines

    with connection.cursor() as cursor:
        cursor.execute(prepared["count_sql"], prepared["count_params"])
        count = cursor.fetchone()[0]
        cursor.execute(prepared["rows_sql"], prepared["rows_params"])
        rows = cursor.fetchall()
    template = engines["django"].from_string(FLOOR_TEMPLATE)
    return template.render({"headers": prepared["headers"], "rows": rows, "count": count})


def floor(page_name, url, user, repeats=20, warmup=2):
    """The floor's queries and template timed in-process (p50 in ms): the SQL and rendering
    part of the floor; the bench also times the floor over HTTP (``floor_view``), through
    the same server and middleware as the page, and compares the page with that."""
    prepared = prepare_floor(url, user)
    if "error" in prepared:
        return prepared
    times = []
    for i in range(warmup + repeats):
        started = time.perf_counter()
        run_floor(prepared)
        if i >= warmup:
            times.append((time.perf_counter() - started) * 1000)
    return {
        "floor_ms": round(statistics.median(times), 2),
        "columns": prepared["headers"],
        "left_out": prepared["left_out"],
        "rows_sql": prepared["rows_sql"],
        "per_page": prepared["per_page"],
    }


_PREPARED_FLOORS = {}


def floor_view(request, name):
    """``/__bench__/floor/<page>/?url=…`` (mounted only when the bench serves, with
    ``HOUQIN_BENCH_FLOOR``): the floor of a busy list page over HTTP, so the page and its
    floor pass through the same gunicorn, login, session and middleware. The floor's SQL
    is worked out once per worker (the bench's warm-up requests)."""
    from django.http import Http404, HttpResponse
    from django.urls import Resolver404, resolve

    url = request.GET.get("url", "")
    try:
        match = resolve(urllib.parse.urlsplit(url).path)
    except Resolver404:
        raise Http404 from None
    if name not in FLOOR_PAGES or match.view_name != name or not request.user.is_authenticated:
        raise Http404
    key = (name, url, request.user.pk)
    if key not in _PREPARED_FLOORS:
        _PREPARED_FLOORS[key] = prepare_floor(url, request.user)
    prepared = _PREPARED_FLOORS[key]
    if "error" in prepared:
        raise Http404
    return HttpResponse(run_floor(prepared))


def floors(resolved, repeats=20):
    users = _users()
    out = {}
    for entry in resolved:
        if entry["name"] not in FLOOR_PAGES or not entry.get("url"):
            continue
        try:
            out[entry["name"]] = floor(entry["name"], entry["url"], users["director"], repeats)
        except Exception as exc:
            out[entry["name"]] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return out


def database_facts():
    from django.apps import apps
    from django.db import connection
    from django.utils import translation

    facts = {}
    for label in (
        "core.Property",
        "core.Location",
        "staff.Employee",
        "facilities.Equipment",
        "facilities.WorkOrder",
        "facilities.InspectionRound",
        "procurement.Item",
        "procurement.StockMovement",
        "procurement.PurchaseOrder",
    ):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        with translation.override("en"):
            facts[str(model._meta.verbose_name_plural)] = model._default_manager.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        facts["_postgres"] = cursor.fetchone()[0].split(" on ")[0]
    return facts


# --- phase: daily jobs (child process, the benchmark database, rolled back) -----------------


class _Rollback(Exception):
    pass


def _timed(fn):
    """Run ``fn`` in a transaction that is rolled back; (seconds, its result or error)."""
    from django.db import transaction

    holder = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            try:
                holder["result"] = fn()
            except Exception as exc:
                holder["error"] = f"{type(exc).__name__}: {exc}"[:300]
            holder["seconds"] = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return holder


def _job(name, holder, note=""):
    target = JOB_TARGETS.get(name)
    seconds = holder.get("seconds")
    ok = "error" not in holder and (target is None or seconds <= target)
    return {
        "job": name,
        "seconds": round(seconds, 3) if seconds is not None else None,
        "target_s": target,
        "ok": ok,
        "note": holder.get("error") or note,
    }


def _count_lines_storeroom(director):
    """The storeroom with the most stock, topped up inside the (rolled back) transaction to
    ``COUNT_LINES`` items with levels, with no count in progress."""
    from procurement.models import (
        IN_PROGRESS,
        CountStatus,
        Item,
        ItemCategory,
        StockBalance,
        StockCount,
        StockLevel,
        Storeroom,
    )

    room = max(
        Storeroom.objects.filter(active=True),
        key=lambda r: StockBalance.objects.filter(storeroom=r).count(),
    )
    StockCount.objects.filter(storeroom=room, status__in=IN_PROGRESS).update(
        status=CountStatus.CANCELLED
    )
    have = set(StockBalance.objects.filter(storeroom=room).values_list("item_id", flat=True))
    have |= set(StockLevel.objects.filter(storeroom=room).values_list("item_id", flat=True))
    missing = COUNT_LINES - len(have)
    if missing > 0:
        extra = list(Item.objects.filter(active=True).exclude(pk__in=have)[:missing])
        category = ItemCategory.objects.first()
        tag = secrets.token_hex(3)
        new = [
            Item(
                code=f"BENCH-{tag}-{i:05d}",
                name=f"Bench item {i}",
                unit="个",
                category=category,
                standard_price=Decimal("12.50"),
            )
            for i in range(missing - len(extra))
        ]
        extra += Item.objects.bulk_create(new)
        StockLevel.objects.bulk_create(
            StockLevel(item=item, storeroom=room, minimum=Decimal(1), maximum=Decimal(10))
            for item in extra
        )
    return room


def jobs():
    """Time the daily jobs at this database's scale; every change is rolled back."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse
    from django.utils import timezone

    from cleaning.services import generate_due_tasks
    from cleaning.services.greening import generate_greening_tasks
    from cleaning.services.waste import generate_expected_collections
    from core.digests import send_reminders
    from facilities.services import generate_due_rounds, generate_due_work_orders
    from procurement.models import StockMovement
    from procurement.services import counting

    today = timezone.localdate()
    later = today + timedelta(days=CATCH_UP_DAYS)
    director = get_user_model().objects.get(username="director")
    results = []

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        held = _timed(lambda: send_reminders(today))
    result = held.get("result")
    note = (
        f"{len(result.sent)} digests sent, {len(result.skipped)} skipped, "
        f"{len(result.failed)} failed"
        if result
        else ""
    )
    results.append(_job("reminder sweep", held, note))
    held = _timed(lambda: send_reminders(today, dry_run=True))
    results.append(
        _job(
            "reminder sweep (dry run: collect only)",
            held,
            f"{len(held['result'].planned)} digests" if "result" in held else "",
        )
    )

    held = _timed(lambda: generate_due_work_orders(today))
    results.append(_job("preventive orders (today)", held, f"{len(held.get('result') or [])} made"))
    held = _timed(lambda: generate_due_rounds(today))
    results.append(_job("inspection rounds (today)", held, f"{len(held.get('result') or [])} made"))
    held = _timed(lambda: generate_due_tasks(today))
    results.append(_job("cleaning tasks (today)", held, f"{len(held.get('result') or [])} made"))
    held = _timed(lambda: len(generate_due_tasks(later)))
    results.append(
        _job("cleaning tasks, 14-day catch-up", held, f"{held.get('result', 0)} made as of {later}")
    )

    held = _timed(lambda: (generate_expected_collections(today), generate_greening_tasks(today)))
    made = held.get("result") or ([], [])
    results.append(
        _job(
            "waste and greening (today)",
            held,
            f"{len(made[0])} expected collections, {len(made[1])} greening tasks",
        )
    )
    held = _timed(
        lambda: (len(generate_expected_collections(later)), len(generate_greening_tasks(later)))
    )
    made = held.get("result") or (0, 0)
    results.append(
        _job(
            "waste and greening, 14-day catch-up",
            held,
            f"run as of {later}: {made[0]} expected collections, {made[1]} greening tasks",
        )
    )

    def catch_up():
        return len(generate_due_work_orders(later)), len(generate_due_rounds(later))

    held = _timed(catch_up)
    made = held.get("result") or (0, 0)
    results.append(
        _job(
            "14-day catch-up (orders + rounds)",
            held,
            f"run as of {later} (14 days without a run): {made[0]} orders, {made[1]} rounds",
        )
    )

    held = _timed(lambda: len(counting.open_due_counts(today)))
    results.append(_job("stock counts due (today)", held, f"{held.get('result', 0)} opened"))

    # A 5,000-line count: open, enter, reconcile (submit + the director's approval).
    phases = {}

    def big_count():
        room = _count_lines_storeroom(director)
        day = today + timedelta(days=3650)
        started = time.perf_counter()
        count = counting.open_count(room, by=director, day=day)
        phases["open"] = time.perf_counter() - started
        lines = list(count.lines.all())
        phases["lines"] = len(lines)
        entries = {}
        for i, line in enumerate(lines):
            if i % 20 == 0:  # one line in twenty differs from the book
                entries[line.pk] = (line.book_quantity + 1, "bench: found one more")
            else:
                entries[line.pk] = (line.book_quantity, "")
        started = time.perf_counter()
        counting.record_counts(count, entries, by=director)
        phases["enter"] = time.perf_counter() - started
        started = time.perf_counter()
        count = counting.submit_count(count, by=director)
        if count.status == counting.CountStatus.SUBMITTED:
            counting.approve_count(count, by=director)
        phases["reconcile"] = time.perf_counter() - started
        return count

    held = _timed(big_count)
    lines = phases.get("lines", 0)
    for key, name in (
        ("open", f"stock count: open ({lines:,} lines)"),
        ("enter", f"stock count: enter {lines:,} counts"),
        ("reconcile", "stock count: reconcile 5,000 lines"),
    ):
        sub = {"seconds": phases[key]} if key in phases else {"error": held.get("error", "")}
        if key == "reconcile" and lines < COUNT_LINES and "error" not in sub:
            sub["error"] = f"only {lines} lines"
        note = f"{lines:,} lines, 1 in 20 with a variance" if key == "reconcile" else ""
        results.append(_job(name, sub, note))

    movements = StockMovement.objects.count()
    client = Client(raise_request_exception=False)
    client.force_login(director)
    url = reverse("procurement:stockbalance_list")
    client.get(url)
    started = time.perf_counter()
    response = client.get(url)
    held = {"seconds": time.perf_counter() - started}
    if response.status_code != 200:
        held["error"] = f"HTTP {response.status_code}"
    results.append(_job("stock on hand (page, in-process)", held, f"over {movements:,} movements"))
    return results


# --- the HTTP client (no dependency: http.client with a cookie dict) ------------------------


class HttpSession:
    """A browser enough for the bench: a cookie jar that ignores the Secure flag (gunicorn
    serves plain HTTP on 127.0.0.1; the app, with DEBUG off, believes it is behind a TLS
    proxy through X-Forwarded-Proto)."""

    def __init__(self, port, timeout=120):
        self.port, self.timeout, self.cookies = port, timeout, {}
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method, url, body=None, headers=None):
        conn = HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        all_headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept": "text/html",
            **(headers or {}),
        }
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, url, body=body, headers=all_headers)
            response = conn.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), data
        finally:
            conn.close()

    def login(self, username, password):
        status, _headers, body = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or token is None:
            raise RuntimeError(f"login page answered {status}")
        form = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token[1].decode(),
            }
        )
        status, _headers, _body = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}/accounts/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed: HTTP {status}")

    def timed_get(self, url):
        started = time.perf_counter()
        try:
            status, headers, body = self.request("GET", url)
        except Exception as exc:
            return time.perf_counter() - started, 0, {}, str(exc).encode()
        return time.perf_counter() - started, status, headers, body


def percentile(values, pct):
    """Nearest-rank percentile (p95 of 20 requests is the 19th fastest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def time_pages(port, resolved, requests=20, warmup=2, log=print, budget=PAGE_BUDGET_S):
    """p50/p95 of each page over HTTP, each user logged in through the login form. A page
    slower than ``budget`` seconds in all is timed over fewer requests (at least five)."""
    sessions = {}
    out = {}
    for entry in resolved:
        name = entry["name"]
        if not entry.get("url"):
            out[name] = {"error": entry.get("error") or "no URL"}
            continue
        user = entry["user"]
        if user not in sessions:
            session = HttpSession(port)
            session.login(user, PASSWORD)
            sessions[user] = session
        session = sessions[user]
        times, statuses = [], set()
        started = time.perf_counter()
        for i in range(warmup + requests):
            if len(times) >= MIN_REQUESTS and time.perf_counter() - started > budget:
                break
            seconds, status, _headers, _body = session.timed_get(entry["url"])
            statuses.add(status)
            if i >= warmup:
                times.append(seconds * 1000)
            if status >= 500 or status == 0:
                break  # no point timing an error page twenty times
        bad = sorted(s for s in statuses if s != 200)
        out[name] = {
            "p50": round(statistics.median(times), 1) if times else None,
            "p95": round(percentile(times, 95), 1) if times else None,
            "status": bad[0] if bad else 200,
            "requests": len(times),
        }
        got = out[name]
        log(f"  {name:50} p50 {got['p50']} ms  p95 {got['p95']} ms  HTTP {got['status']}")
    return out


def time_export(port, url):
    session = HttpSession(port, timeout=300)
    session.login("director", PASSWORD)
    seconds, status, headers, body = session.timed_get(url)
    return {
        "seconds": round(seconds, 3),
        "status": status,
        "content_type": headers.get("Content-Type", ""),
        "bytes": len(body),
        "ok": status in (200, 302) and seconds < TARGET_EXPORT_S,
    }


# --- databases ------------------------------------------------------------------------------


def _hash_files(patterns):
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(REPO.glob(pattern)):
            if ".venv" in path.parts:
                continue
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def schema_hash():
    return _hash_files(["*/migrations/*.py"])


def seed_hash():
    return _hash_files(
        ["*/migrations/*.py", "*/demo*.py", "*/hooks.py", "core/management/commands/seed_demo.py"]
    )


class Databases:
    """PostgreSQL databases of the bench, on the server of the default connection. Each
    seeded database carries a marker in its comment (scale and a hash of the seed and the
    schema) so a later run reuses it."""

    def __init__(self, prefix, template_name=None, log=print):
        default = settings.DATABASES["default"]
        if default["ENGINE"] != "django.db.backends.postgresql":
            raise RuntimeError("The bench needs PostgreSQL: set DATABASE_URL=postgres://…")
        self.params = {
            "host": default.get("HOST") or "127.0.0.1",
            "port": int(default.get("PORT") or 5432),
            "user": default.get("USER") or "postgres",
            "password": default.get("PASSWORD") or None,
        }
        if self.params["host"] not in ("127.0.0.1", "localhost", "::1"):
            raise RuntimeError("The bench only runs against a PostgreSQL on this machine.")
        self.prefix, self.log = prefix, log
        self.template_name = template_name or f"{prefix}template"

    def _admin(self):
        import psycopg

        return psycopg.connect(dbname="postgres", autocommit=True, **self.params)

    def url(self, name):
        user = urllib.parse.quote(self.params["user"])
        password = self.params["password"]
        auth = f"{user}:{urllib.parse.quote(password)}" if password else user
        return f"postgres://{auth}@{self.params['host']}:{self.params['port']}/{name}"

    def marker(self, name):
        with self._admin() as conn:
            row = conn.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname=%s",
                [name],
            ).fetchone()
        if row is None:
            return None
        return row[0] or ""

    def set_marker(self, name, text):
        with self._admin() as conn:
            conn.execute(f'COMMENT ON DATABASE "{name}" IS {_literal(text)}')

    def drop(self, name):
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def create(self, name, template=None):
        with self._admin() as conn:
            clause = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{clause}')

    def template(self, env):
        """A migrated, empty database to clone: migrations run once, not once per scale."""
        name = self.template_name
        want = f"houqin-bench template schema={schema_hash()}"
        if self.marker(name) == want:
            return name
        self.log(f"Migrating the template database {name} …")
        self.drop(name)
        self.create(name)
        started = time.perf_counter()
        run_manage(["migrate", "--noinput", "-v0"], env, self.url(name))
        self.set_marker(name, want)
        self.log(f"Migrated in {time.perf_counter() - started:.0f} s.")
        return name

    def seeded(self, scales, env, reuse=False, reseed=False):
        """``{scale: database name}``, each seeded at its scale (in parallel), reusing what a
        former run left when its marker matches."""
        names, todo = {}, []
        for scale in scales:
            name = f"{self.prefix}{scale}"
            names[scale] = name
            want = f"houqin-bench scale={scale} seed={seed_hash()}"
            have = self.marker(name)
            if not reseed and have and (have == want or (reuse and f"scale={scale} " in have)):
                self.log(f"Reusing {name} (seeded at scale {scale}).")
                continue
            todo.append((scale, name, want))
        if todo:
            template = self.template(env)
            for _scale, name, _want in todo:
                self.drop(name)
                self.create(name, template=template)
            self.log("Seeding " + ", ".join(f"{n} (scale {s})" for s, n, _w in todo) + " …")
            started = time.perf_counter()
            procs = [
                (
                    scale,
                    name,
                    want,
                    start_manage(
                        ["seed_demo", "--scale", str(scale), "--force"], env, self.url(name)
                    ),
                )
                for scale, name, want in todo
            ]
            for scale, name, want, proc in procs:
                out, _ = proc.communicate()
                if proc.returncode:
                    raise RuntimeError(f"seed_demo --scale {scale} failed:\n{out[-3000:]}")
                self.set_marker(name, want)
            self.log(f"Seeded in {time.perf_counter() - started:.0f} s.")
        for scale in scales:
            if scale not in [s for s, _n, _w in todo]:
                run_manage(["migrate", "--noinput", "-v0"], env, self.url(names[scale]))
        return names


def _literal(text):
    return "'" + text.replace("'", "''") + "'"


def served_env(secret=None):
    """The environment of a production-like run: DEBUG off (so a secret key and the allowed
    hosts), no HTTPS redirect on 127.0.0.1 (X-Forwarded-Proto says https instead)."""
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secret or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "USE_X_FORWARDED_PROTO": "true",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "HOUQIN_BENCH_FLOOR": "true",
        }
    )
    return env


def _manage_cmd(args):
    return [sys.executable, str(REPO / "manage.py"), *args]


def start_manage(args, env, database_url):
    env = {**env, "DATABASE_URL": database_url}
    return subprocess.Popen(
        _manage_cmd(args),
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_manage(args, env, database_url):
    proc = start_manage(args, env, database_url)
    out, _ = proc.communicate()
    if proc.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{out[-3000:]}")
    return out


def run_phases(specs, env):
    """Run ``manage.py bench --phase …`` children in parallel; their JSON results."""
    procs = []
    for phase, database_url, extra in specs:
        out = OUT_DIR / f".phase-{phase}-{secrets.token_hex(4)}.json"
        args = ["bench", "--phase", phase, "--out", str(out), *extra]
        procs.append((out, start_manage(args, env, database_url)))
    results = []
    for out, proc in procs:
        log, _ = proc.communicate()
        if proc.returncode or not out.exists():
            raise RuntimeError(f"bench phase failed:\n{log[-3000:]}")
        results.append(json.loads(out.read_text()))
        out.unlink()
    return results


# --- gunicorn -------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, env, database_url, workers=2, log=print):
        self.port = free_port()
        self.log_path = OUT_DIR / "gunicorn.log"
        self.env = {**env, "DATABASE_URL": database_url}
        self.workers, self.log = workers, log
        self.proc = None

    def __enter__(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        cmd = [str(gunicorn)] if gunicorn.exists() else [sys.executable, "-m", "gunicorn"]
        cmd += [
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            "300",
        ]
        self.logfile = self.log_path.open("w")
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, env=self.env, stdout=self.logfile, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                conn = HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request(
                    "GET", "/healthz", headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
                )
                conn.getresponse().read()
                conn.close()
                self.log(f"gunicorn on 127.0.0.1:{self.port} ({self.workers} workers)")
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.logfile.close()


# --- the machine and the report -------------------------------------------------------------


def machine():
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": ram,
        "python": platform.python_version(),
        "commit": commit,
    }


def _fmt(value, unit="", digits=1):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{unit}"
    return f"{value}{unit}"


def page_rows(resolved, timings, counts_rows, floor_results):
    """One row per page: timings, query counts, floor, ratio, target, verdict. Pages only
    counted (forms, redirects) keep the verdict of their counts."""
    counts = {row["page"]: row for row in counts_rows}
    rows = []
    timed = {entry["name"] for entry in resolved}
    only_counted = [{**row, "target_ms": None} for row in counts_rows if row["page"] not in timed]
    for entry in resolved:
        name = entry["name"]
        timing = timings.get(name, {})
        count = counts.get(name, {})
        fl = floor_results.get(name, {})
        problems = list(count.get("problems", []))
        if timing.get("error") and entry.get("error") != "no record to show":
            problems.append(timing["error"])
        status = timing.get("status")
        if status is not None and status != 200:
            problems.append(f"HTTP {status}")
        target = entry.get("target_ms")
        if target and timing.get("p95") is not None and timing["p95"] > target:
            problems.append(f"p95 {timing['p95']} ms > {target} ms")
        ratio = None
        if fl.get("floor_ms") and timing.get("p50"):
            ratio = round(timing["p50"] / fl["floor_ms"], 1)
            if ratio > TARGET_FLOOR_RATIO:
                problems.append(f"{ratio}× its floor")
        elif fl.get("error"):
            problems.append(f"floor: {fl['error']}")
        skipped = count.get("skipped") or (
            entry.get("error") == "no record to show" and not timing.get("p50")
        )
        rows.append(
            {
                "page": name,
                "kind": entry["kind"],
                "url": entry.get("url"),
                "p50": timing.get("p50"),
                "p95": timing.get("p95"),
                "requests": timing.get("requests"),
                "queries_low": count.get("queries_low"),
                "queries_high": count.get("queries_high"),
                "floor_ms": fl.get("floor_ms"),
                "ratio": ratio,
                "target_ms": target,
                "ok": not problems or skipped,
                "skipped": skipped,
                "problems": problems,
            }
        )
    return rows + only_counted


def _verdict(row):
    if row.get("skipped"):
        return "skip (no record or a redirect)"
    return "OK" if row["ok"] else "FAIL: " + "; ".join(row["problems"])


def markdown(report):
    m = report["machine"]

    def few(row):
        n = row.get("requests")
        return f" (n={n})" if n and report.get("requests") and n < report["requests"] else ""

    lines = [
        f"# Houqin bench — {report['title']}",
        "",
        f"- When: {report['started']} (commit {m['commit']}), {report['seconds']:.0f} s",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM, "
        f"{report.get('postgres', 'PostgreSQL ?')}, Python {m['python']}",
        f"- Scales: {report['scales_text']}",
    ]
    if report.get("facts"):
        facts = ", ".join(f"{v:,} {k.lower()}" for k, v in report["facts"].items())
        lines.append(f"- Data at the measured scale: {facts}")
    if report.get("requests"):
        lines.append(
            f"- {report['requests']} requests per page after {report['warmup']} warm-ups, "
            "gunicorn with 2 workers, DEBUG off; director (technician for My work)"
        )
    lo, hi = report["compare"]
    lines += [
        "",
        f"| Page | Kind | p50 ms | p95 ms | Queries {lo}× | Queries {hi}× | Floor ms | Ratio "
        "| Target | Verdict |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for row in report["pages"]:
        target = f"≤ {row['target_ms']} ms" if row.get("target_ms") else "—"
        if row.get("floor_ms"):
            target += f", ≤ {TARGET_FLOOR_RATIO:g}× floor"
        lines.append(
            f"| {row['page']} | {row['kind']} | {_fmt(row.get('p50'))} | {_fmt(row.get('p95'))}"
            f"{few(row)} "
            f"| {_fmt(row.get('queries_low'))} | {_fmt(row.get('queries_high'))} "
            f"| {_fmt(row.get('floor_ms'))} | {_fmt(row.get('ratio'), '×')} | {target} "
            f"| {_verdict(row)} |"
        )
    if report.get("jobs"):
        lines += ["", "| Job | Seconds | Target | Verdict | Note |", "|---|--:|---|---|---|"]
        for job in report["jobs"]:
            target = f"≤ {job['target_s']} s" if job.get("target_s") else "—"
            verdict = "OK" if job["ok"] else "FAIL"
            lines.append(
                f"| {job['job']} | {_fmt(job['seconds'], digits=2)} | {target} | {verdict} "
                f"| {job['note']} |"
            )
    slow = [r for r in report["pages"] if r.get("p95")]
    if slow:
        slow.sort(key=lambda r: r["p95"], reverse=True)
        lines += [
            "",
            "Slowest pages (p95): "
            + ", ".join(f"{r['page']} {r['p95']:,.0f} ms" for r in slow[:10]),
        ]
    failed = [r for r in report["pages"] if not r["ok"]] + [
        j for j in report.get("jobs", []) if not j["ok"]
    ]
    lines += ["", f"**{len(failed)} target(s) missed.**" if failed else "**Every target met.**"]
    return "\n".join(lines) + "\n"


def write_report(report, stem):
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    text = markdown(report)
    stamp = report["started"].replace(":", "").replace("-", "")
    for name in (f"{stem}-{stamp}", f"{stem}-latest" if stem != "bench" else "latest"):
        (OUT_DIR / f"{name}.md").write_text(text)
        (OUT_DIR / f"{name}.json").write_text(json.dumps(report, indent=2, default=str))
    return text


def failures(report):
    """The pages and jobs that missed a target (the export is among the jobs)."""
    return [r for r in report["pages"] if not r["ok"]] + [
        j for j in report.get("jobs", []) if not j["ok"]
    ]


# --- the runs -------------------------------------------------------------------------------


@dataclass
class Options:
    scale: int = 100
    compare: tuple = (1, 10)
    reuse: bool = False
    reseed: bool = False
    pattern: str | None = None
    requests: int = 20
    warmup: int = 2
    skip_jobs: bool = False
    smoke: bool = False
    keep: bool = False
    prefix: str = "houqin_bench_"
    workers: int = 2
    forms: bool = False


def _phase_args(options):
    return ["--pages", options.pattern] if options.pattern else []


def run(options, log=print):
    """The whole bench (or the smoke); the report dict, written under var/bench/."""
    from django.utils import timezone

    started = time.perf_counter()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    report = {
        "started": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "compare": list(options.compare),
        "requests": None if options.smoke else options.requests,
        "warmup": options.warmup,
    }
    dbs = Databases(
        options.prefix + ("smoke_" if options.smoke else ""),
        template_name=f"{options.prefix}template",
        log=log,
    )
    env = dict(os.environ)
    low, high = options.compare
    scales = [low, high] if options.smoke else sorted({low, high, options.scale})
    names = dbs.seeded(scales, env, reuse=options.reuse, reseed=options.reseed)

    log("Counting queries at " + " and ".join(f"{s}×" for s in (low, high)) + " …")
    counting = time.perf_counter()
    extra = _phase_args(options) + (["--no-warmup"] if options.smoke else [])
    # The test client speaks plain HTTP: no HTTPS redirect, whatever the caller's settings.
    # Each counting process keeps its own cache (they run side by side): a page's count then
    # depends only on the pages it visited before, at both scales alike.
    count_env = {
        **env,
        "DEBUG": "true",
        "SECURE_SSL_REDIRECT": "false",
        "CACHE_URL": "locmemcache://",
    }
    counts_low, counts_high = run_phases(
        [("counts", dbs.url(names[s]), extra) for s in (low, high)], count_env
    )
    log(f"Counted in {time.perf_counter() - counting:.0f} s.")
    count_rows = compare_counts(counts_low["pages"], counts_high["pages"], low, high)
    report["postgres"] = counts_high.get("postgres")

    if options.smoke:
        report["title"] = f"smoke (query counts at {low}× and {high}×)"
        report["scales_text"] = f"{low} and {high} (seed_demo --scale)"
        report["pages"] = count_rows
        if not options.keep:
            for scale in (low, high):
                dbs.drop(names[scale])
        report["seconds"] = time.perf_counter() - started
        return report, write_report(report, "smoke")

    serve = served_env()
    log("Collecting static files …")
    run_manage(["collectstatic", "--noinput", "-v0"], serve, dbs.url(names[options.scale]))
    target_url = dbs.url(names[options.scale])
    log(f"Resolving pages and measuring floors at scale {options.scale} …")
    (resolved,) = run_phases([("resolve", target_url, _phase_args(options))], serve)
    report["facts"] = {k: v for k, v in resolved["facts"].items() if not k.startswith("_")}
    # Forms are only counted (--forms times them too); redirects and pages without a record
    # are not timed.
    skipped = {row["page"] for row in count_rows if row.get("skipped")}
    resolved["pages"] = [
        p
        for p in resolved["pages"]
        if p["name"] not in skipped and (options.forms or p["kind"] != "form")
    ]
    report["postgres"] = resolved["facts"].get("_postgres", report.get("postgres"))
    log(f"Timing {len(resolved['pages'])} pages over HTTP …")
    with Gunicorn(serve, target_url, workers=options.workers, log=log) as server:
        timings = time_pages(
            server.port, resolved["pages"], options.requests, options.warmup, log=log
        )
        floor_pages = [
            {
                **entry,
                "url": "/__bench__/floor/"
                + entry["name"]
                + "/?"
                + urllib.parse.urlencode({"url": entry["url"]}),
            }
            for entry in resolved["pages"]
            if entry["name"] in FLOOR_PAGES and entry.get("url")
        ]
        log("Timing the floors of the busy lists over HTTP …")
        http_floors = time_pages(
            server.port, floor_pages, options.requests, options.warmup, log=log
        )
        for name, got in http_floors.items():
            floor_result = resolved["floors"].setdefault(name, {})
            floor_result["sql_ms"] = floor_result.pop("floor_ms", None)
            if got.get("status") == 200 and got.get("p50"):
                floor_result["floor_ms"] = got["p50"]
            else:
                floor_result["error"] = f"floor over HTTP: {got.get('status') or got}"
        export = next((p for p in resolved["pages"] if p["name"] == EXPORT_PAGE), None)
        if export and export.get("url"):
            log("Exporting the whole work-order list …")
            report["export"] = time_export(server.port, export["url"] + "?_export=csv")
    if not options.skip_jobs:
        log(f"Timing the daily jobs at scale {options.scale} (rolled back) …")
        (job_results,) = run_phases([("jobs", target_url, [])], serve)
        report["jobs"] = job_results["jobs"]
    else:
        report["jobs"] = []
    if report.get("export"):
        ex = report["export"]
        report["jobs"].append(
            {
                "job": "export of the whole work-order list (HTTP)",
                "seconds": ex["seconds"],
                "target_s": TARGET_EXPORT_S,
                "ok": ex["ok"],
                "note": f"HTTP {ex['status']}, {ex['content_type']}, {ex['bytes']:,} bytes",
            }
        )
    report["pages"] = page_rows(resolved["pages"], timings, count_rows, resolved["floors"])
    report["floors"] = resolved["floors"]
    report["title"] = f"scale {options.scale}"
    report["scales_text"] = f"pages and jobs at {options.scale}, query counts at {low}× and {high}×"
    report["seconds"] = time.perf_counter() - started
    return report, write_report(report, "bench")


def run_phase(phase, out, pattern=None, warmup=True):
    """A child's work against its own database (``DATABASE_URL``), written as JSON."""
    found = pages(pattern)
    if phase == "counts":
        result = {
            "pages": query_counts(found, warmup=warmup),
            "postgres": database_facts()["_postgres"],
        }
    elif phase == "resolve":
        resolved = resolve_pages(found)
        result = {"pages": resolved, "floors": floors(resolved), "facts": database_facts()}
    elif phase == "jobs":
        result = {"jobs": jobs()}
    else:
        raise ValueError(phase)
    Path(out).write_text(json.dumps(result, default=str))
