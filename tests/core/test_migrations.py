"""The demo survives the migrations of the core workflow layer (issue 10) both ways: loaded,
taken back to the schema before the layer and forward again, nothing is lost, and the data
migrations fill what they should."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The last migration of each app before the core workflow layer.
BEFORE_LAYER = [
    ("core", "0001_initial"),
    ("staff", "0003_interview_criteria"),
    ("procurement", "0002_planning_counts_sourcing"),
    ("facilities", "0004_plan_templates"),
]


def _snapshot():
    """Rows per table, and the columns that existed before the layer for a few records."""
    counts = {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, number, status, due_on, title FROM facilities_workorder ORDER BY id"
        )
        orders = cursor.fetchall()
        cursor.execute(
            "SELECT id, kind, text, minimum, maximum, passed FROM facilities_checklistresult "
            "ORDER BY id"
        )
        results = cursor.fetchall()
        cursor.execute("SELECT id, next_count_on, count_every_months FROM procurement_storeroom")
        rooms = cursor.fetchall()
    return counts, orders, results, rooms


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_demo_survives_the_layers_migrations_both_ways(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts, orders, results, rooms = _snapshot()
    assert counts["facilities.WorkOrder"] > 50 and counts["procurement.Storeroom"] > 0
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate(BEFORE_LAYER)
        old_tables = set(connection.introspection.table_names())
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM facilities_workorder")
            assert cursor.fetchone()[0] == len(orders)
        _migrate(leaves)
    finally:
        _migrate(leaves)  # whatever happened, the next test finds the current schema
    after_counts, after_orders, after_results, after_rooms = _snapshot()
    # Every table that existed before the layer keeps all its rows (the layer's own tables,
    # such as the timeline, start empty when it is migrated again).
    old_models = {label for label in counts if apps.get_model(label)._meta.db_table in old_tables}
    assert len(old_models) > 100
    assert {m: after_counts[m] for m in old_models} == {m: counts[m] for m in old_models}
    assert after_orders == orders
    assert after_results == results
    assert after_rooms == rooms
    # The data migration anchored every scheduled count on its next date.
    Storeroom = apps.get_model("procurement", "Storeroom")
    for room in Storeroom.objects.exclude(next_count_on=None):
        assert room.count_anchor == room.next_count_on
