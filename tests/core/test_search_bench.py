"""Search answers in under 200 ms with 200,000 work orders, on PostgreSQL with the trigram
indexes; EXPLAIN shows the index at work.

Slow (about a minute to load the orders): runs only with ``HOUQIN_BENCH=1`` on PostgreSQL,
e.g. ``HOUQIN_BENCH=1 pytest tests/core/test_search_bench.py -s``.
"""

import os
import statistics
import time
from http import HTTPStatus

import pytest
from django.db import connection
from django.utils import timezone

from core.search import parse
from facilities.models import WorkOrder
from tests.facilities.factories import EquipmentFactory
from tests.factories import PropertyFactory, UserFactory

ORDERS = 200_000
OPEN = 6_000
BUDGET_MS = 200
PLACES = ["1号楼", "2号楼", "3号楼", "地下车库", "会所", "南门岗", "水泵房", "配电房"]
THINGS = ["配电柜", "水泵", "电梯", "冷水机组", "消防栓", "照明", "门禁", "排风机", "管道", "屋面"]
FAULTS = ["跳闸", "漏水", "异响", "不制冷", "停用", "维修", "巡检", "更换", "保养", "故障"]
QUERIES = [
    "配电柜跳闸",  # a substring of many titles
    "配电",  # two characters: no trigram, the newest orders only
    "泵",  # one Chinese character
    "WO-2023-012344",  # an exact number (found by the unique index)
    "2023-01234",  # part of a number
    "跳闸 3号楼",  # two words
    "冷水机组不制冷 地下车库",
    "不存在的故障描述",  # nothing to find
    "PD-0",  # an asset code
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("HOUQIN_BENCH"), reason="set HOUQIN_BENCH=1 to run the benchmark"
    ),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigram indexes"),
    pytest.mark.django_db,
]


@pytest.fixture
def many_orders():
    home, other = PropertyFactory(code="HOME"), PropertyFactory(code="OTHR")
    equipment = [
        EquipmentFactory(property=place, name=f"{thing}{n}", asset_code=f"PD-{i:02d}{n}")
        for i, thing in enumerate(THINGS)
        for n, place in enumerate((home, other))
    ]
    now = timezone.now()
    batch = []
    for n in range(ORDERS):
        piece = equipment[n % len(equipment)]
        year = 2020 + n % 7
        # Years of closed orders, and the newest few thousand still open or to verify.
        status = "closed" if n < ORDERS - OPEN else ("new", "assigned", "completed")[n % 3]
        batch.append(
            WorkOrder(
                number=f"WO-{year}-{n:06d}",
                property_id=piece.property_id,
                equipment=piece,
                title=f"{PLACES[n % 8]}{THINGS[(n // 8) % 10]}{FAULTS[(n // 80) % 10]}",
                kind="repair",
                status=status,
                rating=4 if status == "closed" else None,
                completed_at=now if status in ("completed", "closed") else None,
                resolve_by=now,
            )
        )
        if len(batch) == 10_000:
            WorkOrder.objects.bulk_create(batch)
            batch = []
    WorkOrder.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE facilities_workorder")
        cursor.execute("ANALYZE facilities_equipment")
    return home


def test_search_answers_within_200_ms_with_200000_work_orders(client, many_orders, capsys):
    assert WorkOrder.objects.count() == ORDERS
    user = UserFactory(groups=["facilities_supervisor"], properties=[many_orders])
    client.force_login(user)
    timings = {}
    for q in QUERIES:
        client.get("/search/", {"q": q})  # warm the caches once
        runs = []
        for _run in range(5):
            start = time.perf_counter()
            response = client.get("/search/", {"q": q})
            runs.append((time.perf_counter() - start) * 1000)
            assert response.status_code == HTTPStatus.OK
        timings[q] = (statistics.median(runs), max(runs), response.context["count"])
    with capsys.disabled():
        print(f"\nSearch with {ORDERS:,} work orders (median / worst of 5, results):")
        for q, (median, worst, count) in timings.items():
            print(f"  {q!r:32} {median:6.1f} ms / {worst:6.1f} ms  {count} results")
    slow = {q: t for q, t in timings.items() if t[0] >= BUDGET_MS}
    assert not slow, slow
    # Every page counts the open items for the sidebar: that stays cheap too.
    runs = []
    for _run in range(5):
        start = time.perf_counter()
        assert client.get("/").status_code == HTTPStatus.OK
        runs.append((time.perf_counter() - start) * 1000)
    with capsys.disabled():
        print(f"  the dashboard, with the badge:  {statistics.median(runs):6.1f} ms")
    assert statistics.median(runs) < BUDGET_MS
    assert timings["配电柜跳闸"][2] > 0 and timings["不存在的故障描述"][2] == 0
    assert timings["WO-2023-012344"][2] >= 1 and timings["2023-01234"][2] >= 1


def test_explain_shows_the_trigram_index(many_orders, capsys):
    from core.scoping import scope_queryset
    from facilities.search import work_orders

    user = UserFactory(groups=["facilities_supervisor"], properties=[many_orders])
    plans = {}
    for q in ("配电柜跳闸", "冷水机组不制冷 地下车库", "2023-01234"):
        query = parse(q)
        orders = scope_queryset(WorkOrder.objects.all(), user).filter(query.q("number", "title"))
        # The same query as the search (facilities.search.work_orders) runs.
        plans[q] = orders.order_by("-created_at", "-pk")[:8].explain(analyze=True)
        assert work_orders(user, query) is not None
    with capsys.disabled():
        for q, plan in plans.items():
            print(f"\nEXPLAIN ANALYZE of the work-order search for {q}:\n{plan}")
    for q, plan in plans.items():
        assert "_trgm" in plan, q
        assert "Seq Scan on facilities_workorder" not in plan, q
    assert "facilities_wo_title_trgm" in plans["配电柜跳闸"]
    assert "facilities_wo_number_trgm" in plans["2023-01234"]


def test_where_the_time_goes(client, many_orders, capsys):
    from django.test.utils import CaptureQueriesContext

    user = UserFactory(groups=["facilities_supervisor"], properties=[many_orders])
    client.force_login(user)
    for q in QUERIES:
        client.get("/search/", {"q": q})
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            client.get("/search/", {"q": q})
            total = (time.perf_counter() - start) * 1000
        sql = sum(float(x["time"]) for x in queries.captured_queries) * 1000
        slowest = max(queries.captured_queries, key=lambda x: float(x["time"]))
        with capsys.disabled():
            print(
                f"\n{q!r}: {total:.1f} ms, SQL {sql:.1f} ms in {len(queries)} queries; "
                f"slowest {float(slowest['time']) * 1000:.1f} ms: {slowest['sql'][:160]}"
            )
