"""``seed_demo --scale N`` for N > 1: every kind of record grows with N, and the bulk data
is as coherent as what the services make (ledger, numbering, dates, generators)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from core.demo_bulk import PER_UNIT, property_count, rng
from core.models import Location, Property, User
from facilities.models import (
    Equipment,
    InspectionRound,
    MaintenancePlan,
    WorkOrder,
    WorkOrderSequence,
)
from procurement.models import (
    Item,
    PurchaseOrder,
    StockBalance,
    StockLevel,
    StockMovement,
    Storeroom,
    Supplier,
)
from staff.models import Certificate, Employee

pytestmark = pytest.mark.django_db

GROWING = [
    Property,
    Location,
    Employee,
    Certificate,
    Item,
    Supplier,
    Storeroom,
    StockLevel,
    StockMovement,
    PurchaseOrder,
    Equipment,
    MaintenancePlan,
    WorkOrder,
    InspectionRound,
]


def _counts():
    return {model.__name__: model.objects.count() for model in GROWING}


def test_properties_grow_with_the_scale():
    assert [property_count(n) for n in (1, 2, 3, 10, 100)] == [2, 3, 3, 4, 20]


def test_the_same_scale_draws_the_same_numbers():
    assert rng(7, "P03", "ledger").random() == rng(7, "P03", "ledger").random()
    assert rng(7, "P03", "ledger").random() != rng(8, "P03", "ledger").random()


def test_scale_above_the_cap_is_refused(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="between 1 and 100"):
        call_command("seed_demo", "--scale", "101")
    assert not Property.objects.exists()


@pytest.mark.slow
def test_scale_2_adds_coherent_volume_of_every_kind(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    base = _counts()
    call_command("seed_demo", "--scale", "2")
    grown = _counts()
    # Idempotent: the same scale again adds nothing.
    call_command("seed_demo", "--scale", "2")
    assert _counts() == grown
    for name, count in base.items():
        assert grown[name] > count, name
    # Proportional: one unit of scale is ~2,000 work orders and ~10,000 movements.
    assert grown["WorkOrder"] - base["WorkOrder"] == PER_UNIT["work_orders"] * 2
    assert abs(grown["StockMovement"] - base["StockMovement"] - 20_000) <= 2
    assert grown["Employee"] - base["Employee"] == PER_UNIT["employees"] * 2
    assert grown["InspectionRound"] - base["InspectionRound"] == PER_UNIT["rounds"] * 2

    # The company logins see the bulk property; the technician stays at JLG.
    bulk = Property.objects.get(code="P03")
    for username in ("director", "facilities", "stores", "hr"):
        assert User.objects.get(username=username).properties.filter(pk=bulk.pk).exists()
    assert list(
        User.objects.get(username="technician").properties.values_list("code", flat=True)
    ) == ["JLG"]

    # Plans carry their template's checklist, so the orders generated later do too.
    for plan in MaintenancePlan.objects.filter(equipment__property=bulk)[:20]:
        assert plan.items.count() == plan.template.items.count() > 0

    _ledger_adds_up()
    _dates_are_in_the_past()
    _numbers_are_unique_and_the_sequence_is_ahead(bulk)
    _generators_make_a_days_worth()
    _fault_reports_are_titled_from_their_facts(bulk)


def _fault_reports_are_titled_from_their_facts(bulk):
    """As services.report_fault titles them: the facts, worded in the reader's language;
    orders typed by hand and preventive ones keep their typed title."""
    orders = WorkOrder.objects.filter(property=bulk)
    faults = orders.filter(source="fault_report")
    assert faults.exists() and not faults.filter(title_key="").exists()
    order = faults.first()
    assert order.title_params == {"what": order.title}
    with translation.override("en"):
        assert order.display_title == f"Fault: {order.title}"
    with translation.override("zh-hans"):
        assert order.display_title == f"故障：{order.title}"
    assert not orders.exclude(source="fault_report").exclude(title_key="").exists()


def _ledger_adds_up():
    """Every balance is the sum of its movements (one query), and so is every level's."""
    movements = StockMovement.objects.filter(
        item=OuterRef("item"), storeroom=OuterRef("storeroom")
    ).values("item")
    money = DecimalField(max_digits=20, decimal_places=3)
    balances = StockBalance.objects.annotate(
        moved=Coalesce(
            Subquery(movements.annotate(s=Sum("quantity")).values("s"), output_field=money),
            Decimal(0),
        ),
        moved_value=Coalesce(
            Subquery(movements.annotate(s=Sum("value")).values("s"), output_field=money),
            Decimal(0),
        ),
    ).values_list("quantity", "value", "moved", "moved_value")
    rows = list(balances)
    assert rows
    for quantity, value, moved, moved_value in rows:
        assert quantity == moved
        # SQLite sums decimals as floats: a cent of slack there, exact on PostgreSQL.
        assert abs(value - Decimal(moved_value)) < Decimal("0.01")
    levels = StockLevel.objects.filter(storeroom__property__code="P03")
    assert levels.count() == StockBalance.objects.filter(storeroom__property__code="P03").count()
    # The running balance never goes below zero and the last one is the balance.
    assert not StockMovement.objects.filter(balance_after__lt=0).exists()


def _dates_are_in_the_past():
    now = timezone.now()
    assert not StockMovement.objects.filter(at__gt=now).exists()
    oldest = StockMovement.objects.order_by("at").values_list("at", flat=True).first()
    assert now - oldest > timedelta(days=365 * 2)
    orders = WorkOrder.objects.filter(property__code="P03")
    assert not orders.filter(completed_at__gt=now).exists()
    assert not orders.filter(created_at__gt=now).exists()
    assert not orders.filter(closed_at__gt=now).exists()
    assert orders.filter(created_at__lt=now - timedelta(days=365 * 2)).exists()
    # Open orders are recent; old ones are done or cancelled.
    assert not orders.open().filter(created_at__lt=now - timedelta(days=31)).exists()
    assert orders.open().exists() and orders.filter(status="closed").exists()
    for order in orders.filter(status__in=["verified", "closed"])[:200]:
        assert order.created_at <= order.completed_at <= order.verified_at <= now
    rounds = InspectionRound.objects.filter(route__property__code="P03")
    assert not rounds.filter(due_on__gt=timezone.localdate()).exists()
    assert rounds.filter(due_on__lt=timezone.localdate() - timedelta(days=365)).exists()


def _numbers_are_unique_and_the_sequence_is_ahead(bulk):
    from facilities.services.work_orders import open_work_order

    numbers = list(WorkOrder.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    for sequence in WorkOrderSequence.objects.all():
        last = max(
            int(n.rsplit("-", 1)[1]) for n in numbers if n.startswith(f"WO-{sequence.year}-")
        )
        assert last <= sequence.last
    location = Location.objects.filter(property=bulk, kind="space").first()
    order = open_work_order(
        title="灯不亮", location=location, by=User.objects.get(username="facilities")
    )
    assert order.number == f"WO-{timezone.localtime().year}-" + str(
        WorkOrderSequence.objects.get(year=timezone.localtime().year).last
    ).zfill(6)


def _generators_make_a_days_worth():
    from facilities.services.inspections import generate_due_rounds
    from facilities.services.planning import generate_due_work_orders

    tomorrow = timezone.localdate() + timedelta(days=1)
    plans = MaintenancePlan.objects.filter(equipment__property__code="P03").count()
    before = WorkOrder.objects.filter(property__code="P03").count()
    generate_due_work_orders(tomorrow)
    made = WorkOrder.objects.filter(property__code="P03").count() - before
    assert made < plans / 5
    routes = InspectionRound.objects.filter(route__property__code="P03").values("route").distinct()
    before = InspectionRound.objects.filter(route__property__code="P03").count()
    generate_due_rounds(tomorrow)
    after = InspectionRound.objects.filter(route__property__code="P03").count()
    assert after - before == routes.count()
