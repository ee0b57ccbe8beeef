"""``manage.py bench``'s logic on a small database: which pages it measures, the query-count
comparison between two volumes that CI's smoke runs (equal counts pass, an N+1 fails), a
failing page reported rather than crashing the tool, the floor of a list page, the report."""

import pytest

from core import bench
from core.models import Location
from core.views.reference import LocationListView
from tests.factories import LocationFactory, PropertyFactory, UserFactory

PAGES = r"^core:(location_list|location_detail|dashboard|search|my_work)$"


@pytest.fixture
def users(db):
    return {
        "director": UserFactory(username="director", groups=["director"]),
        "technician": UserFactory(username="technician", groups=["technician"]),
    }


def _locations(prop, n):
    for _ in range(n):
        LocationFactory(property=prop)


def test_the_bench_measures_pages_and_leaves_out_actions_files_and_deletes():
    found = {page.name: page for page in bench.pages()}
    assert found["facilities:workorder_list"].kind == "list"
    assert found["facilities:workorder_detail"].kind == "detail"
    assert found["facilities:workorder_detail"].needs_object
    assert found["core:dashboard"].kind == "dashboard"
    assert found["procurement:report_spend"].kind == "report"
    assert found["facilities:report_fault"].kind == "form"
    assert found["core:my_work"].user == "technician"
    assert found["core:search"].params == {"q": bench.SEARCH_TERM}
    for name in (
        "facilities:workorder_delete",  # a delete confirmation
        "facilities:workorder_assign",  # POST only
        "staff:certificate_scan",  # a file
        "facilities:equipment_qr",  # an image
        "core:calendar_feed",  # a token page
        "logout",
        "admin:index",
    ):
        assert name not in found, name
    assert set(bench.FLOOR_PAGES) <= set(found)


def test_query_counts_equal_at_two_volumes_pass(users):
    prop = PropertyFactory(code="AAA")
    _locations(prop, 2)
    first = Location.objects.order_by("pk").first()
    pages = bench.pages(PAGES)
    assert len(pages) == 5
    low = bench.query_counts(pages)
    _locations(prop, 20)
    high = bench.query_counts(pages)
    rows = bench.compare_counts(low, high, 1, 10)
    assert [row["problems"] for row in rows if not row["ok"]] == []
    # The same record at both volumes: the first, which every scale's demo makes alike.
    assert low["core:location_detail"]["url"] == f"/locations/{first.pk}/"
    assert high["core:location_detail"]["url"] == low["core:location_detail"]["url"]
    assert low["core:search"]["url"].startswith("/search/?q=")
    assert all(entry["status"] == 200 and entry["queries"] > 0 for entry in low.values())


def test_a_page_whose_queries_grow_with_the_data_fails(users, monkeypatch):
    # Without select_related the location list fetches each row's property: an N+1.
    monkeypatch.setattr(LocationListView, "queryset", Location.objects.order_by("code"))
    props = [PropertyFactory(code=f"P{i}") for i in range(12)]
    _locations(props[0], 1)
    pages = bench.pages(r"^core:location_list$")
    low = bench.query_counts(pages)
    for prop in props[1:]:
        _locations(prop, 1)
    high = bench.query_counts(pages)
    (row,) = bench.compare_counts(low, high, 1, 10)
    assert not row["ok"]
    assert row["queries_high"] > row["queries_low"]
    assert "queries" in row["problems"][0]


def test_a_page_that_fails_is_reported_not_raised(users, monkeypatch):
    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(LocationListView, "get_queryset", broken)
    pages = bench.pages(r"^core:location_list$")
    low, high = bench.query_counts(pages), bench.query_counts(pages)
    assert low["core:location_list"]["status"] == 500
    (row,) = bench.compare_counts(low, high, 1, 10)
    assert not row["ok"]
    assert "HTTP 500" in row["problems"][0]


def test_a_detail_page_without_a_record_is_skipped(users):
    pages = bench.pages(r"^core:location_detail$")
    counts = bench.query_counts(pages)
    assert counts["core:location_detail"]["error"] == "no record to show"
    (row,) = bench.compare_counts(counts, counts, 1, 10)
    assert row["ok"] and row["skipped"]


def test_the_floor_of_a_list_page_is_its_rows_by_one_query(users):
    prop = PropertyFactory(code="AAA")
    _locations(prop, 30)
    result = bench.floor("core:location_list", "/locations/", users["director"], repeats=3)
    assert result["floor_ms"] > 0
    assert result["per_page"] == 25
    assert "LIMIT 25" in result["rows_sql"]
    assert result["columns"]  # the same columns as the page's table
    assert result["left_out"] == []


def test_the_floor_over_http_shows_the_same_rows_and_only_for_a_busy_list(users):
    from django.http import Http404
    from django.test import RequestFactory

    prop = PropertyFactory(code="AAA")
    _locations(prop, 30)
    request = RequestFactory().get("/__bench__/floor/core:location_list/", {"url": "/locations/"})
    request.user = users["director"]

    html = bench.floor_view(request, "core:location_list").content.decode()

    assert html.count("<tr>") == 1 + 25  # the header and the page's 25 rows
    from core.models import Location

    assert f"<p>{Location.objects.count()}</p>" in html  # the pager's count
    for name, url in (("core:location_list", "/nowhere/"), ("core:property_list", "/properties/")):
        wrong = RequestFactory().get("/", {"url": url})
        wrong.user = users["director"]
        with pytest.raises(Http404):
            bench.floor_view(wrong, name)


def test_percentile_is_nearest_rank():
    values = list(range(1, 21))
    assert bench.percentile(values, 95) == 19
    assert bench.percentile(values, 50) == 10
    assert bench.percentile([7.0], 95) == 7.0


def test_the_report_fails_a_missed_target_and_prints_the_tables():
    resolved = [
        {"name": "a:list", "kind": "list", "url": "/a/", "target_ms": 150, "error": ""},
        {"name": "b:detail", "kind": "detail", "url": "/b/1/", "target_ms": 150, "error": ""},
    ]
    timings = {
        "a:list": {"p50": 40.0, "p95": 60.0, "status": 200},
        "b:detail": {"p50": 120.0, "p95": 180.0, "status": 200},
    }
    counts = [
        {"page": "a:list", "queries_low": 9, "queries_high": 9, "problems": [], "ok": True},
        {"page": "b:detail", "queries_low": 9, "queries_high": 9, "problems": [], "ok": True},
    ]
    rows = bench.page_rows(resolved, timings, counts, {"a:list": {"floor_ms": 10.0}})
    by_name = {row["page"]: row for row in rows}
    assert not by_name["a:list"]["ok"]  # 4× its floor
    assert by_name["a:list"]["ratio"] == 4.0
    assert not by_name["b:detail"]["ok"]  # p95 over 150 ms
    report = {
        "title": "test",
        "started": "2026-01-01T00:00:00Z",
        "seconds": 1,
        "machine": bench.machine(),
        "compare": [1, 10],
        "scales_text": "1 and 10",
        "pages": rows,
        "jobs": [{"job": "reminder sweep", "seconds": 1.0, "target_s": 10, "ok": True, "note": ""}],
    }
    text = bench.markdown(report)
    assert "| a:list | list | 40.0 | 60.0 | 9 | 9 | 10.0 | 4.0× |" in text
    assert "| reminder sweep | 1.00 | ≤ 10 s | OK |" in text
    assert len(bench.failures(report)) == 2


def test_a_redirect_to_the_login_page_or_to_https_fails_an_old_address_is_skipped():
    def entry(location):
        return {"kind": "page", "url": "/x/", "status": 302, "queries": 5, "location": location}

    for location, ok in (
        ("/calendar/", True),
        ("/accounts/login/?next=/x/", False),
        ("https://testserver/x/", False),
    ):
        counts = {"a:x": entry(location)}
        (row,) = bench.compare_counts(counts, counts, 1, 10)
        assert row["ok"] is ok, location
