"""The reminders of plans, requisitions, budgets and counts, with time travel, and the
one-click "add to plan" link in the digest."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from core.digests import send_reminders
from core.reminders import collect
from procurement import services
from procurement.models import (
    Budget,
    PurchaseOrder,
    PurchaseOrderLine,
    Requisition,
    RequisitionLine,
)
from tests.factories import PropertyFactory, UserFactory

from .factories import ItemCategoryFactory, ItemFactory, StockLevelFactory, StoreroomFactory

DAY = datetime.date(2026, 11, 24)


def kinds(found, key):
    return [r for r in found if r.kind.key == key]


@pytest.fixture
def place(db):
    return PropertyFactory()


@pytest.fixture
def keeper(place):
    return UserFactory(groups=["stores"], properties=[place], email="keeper@example.com")


@pytest.fixture
def director(db):
    return UserFactory(groups=["director"])


@pytest.fixture
def supervisor(place):
    return UserFactory(groups=["cleaning_supervisor"], properties=[place])


def requisition(place, by, amount):
    req = Requisition.objects.create(property=place, requested_by=by, purpose="补货")
    RequisitionLine.objects.create(
        requisition=req, item=ItemFactory(), quantity=1, estimated_price=Decimal(amount)
    )
    return req


@pytest.mark.django_db
class TestRequisitionsWaiting:
    def test_waiting_more_than_two_days_reaches_the_approvers(
        self, place, keeper, director, supervisor
    ):
        with time_machine.travel(datetime.datetime(2026, 11, 21, 10, 0, tzinfo=datetime.UTC)):
            small = services.submit_requisition(
                requisition(place, supervisor, "800"), by=supervisor
            )
            large = services.submit_requisition(
                requisition(place, supervisor, "9000"), by=supervisor
            )
        # The 23rd: two days have not passed yet.
        assert not kinds(
            collect(datetime.date(2026, 11, 23)).get(keeper, []), "procurement.requisition_waiting"
        )
        found = collect(DAY)
        assert [r.obj for r in kinds(found[keeper], "procurement.requisition_waiting")] == [small]
        assert {r.obj for r in kinds(found[director], "procurement.requisition_waiting")} == {
            small,
            large,
        }
        # The requester is not reminded of their own requisition.
        assert not kinds(found.get(supervisor, []), "procurement.requisition_waiting")

    def test_a_decided_requisition_is_no_longer_reminded(self, place, keeper, supervisor):
        with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)):
            req = services.submit_requisition(requisition(place, supervisor, "800"), by=supervisor)
        assert kinds(collect(DAY)[keeper], "procurement.requisition_waiting")
        services.approve_requisition(req, by=keeper)
        assert not kinds(collect(DAY).get(keeper, []), "procurement.requisition_waiting")


@pytest.mark.django_db
class TestBudgetReminders:
    def spend(self, place, keeper, category, amount):
        room = StoreroomFactory(property=place)
        from tests.procurement.factories import SupplierFactory

        order = PurchaseOrder.objects.create(
            supplier=SupplierFactory(), storeroom=room, promised_on=DAY
        )
        PurchaseOrderLine.objects.create(
            order=order, item=ItemFactory(category=category), quantity=1, unit_price=amount
        )
        services.approve_order(order, by=keeper)  # committed

    @time_machine.travel(datetime.datetime(2026, 11, 24, 3, 0, tzinfo=datetime.UTC))
    def test_past_80_percent_warns_and_past_100_is_danger(self, place, keeper):
        tools, paint, water = (ItemCategoryFactory() for _ in range(3))
        budgets = [
            Budget.objects.create(property=place, year=2026, category=c, amount=1000)
            for c in (tools, paint, water)
        ]
        self.spend(place, keeper, tools, Decimal("790"))
        self.spend(place, keeper, paint, Decimal("800"))
        self.spend(place, keeper, water, Decimal("1200"))
        found = {r.obj: r for r in kinds(collect(DAY)[keeper], "procurement.budget_used")}
        assert set(found) == {budgets[1], budgets[2]}
        assert found[budgets[1]].severity == "warning"
        assert found[budgets[2]].severity == "danger"

    def test_last_years_budget_is_not_reminded(self, place, keeper):
        category = ItemCategoryFactory()
        Budget.objects.create(property=place, year=2025, category=category, amount=0)
        assert not kinds(collect(DAY).get(keeper, []), "procurement.budget_used")


@pytest.mark.django_db
class TestCountReminders:
    def test_an_open_count_is_due_then_overdue(self, place, keeper):
        room = StoreroomFactory(property=place, count_every_months=1, next_count_on=DAY)
        StockLevelFactory(storeroom=room)
        # Not opened yet (the task did not run): the storeroom itself is reminded.
        found = kinds(collect(DAY)[keeper], "procurement.count_due")
        assert [r.obj for r in found] == [room]
        opened = services.open_due_counts(DAY)
        assert len(opened) == 1
        found = kinds(collect(DAY)[keeper], "procurement.count_due")
        assert [(r.obj, r.severity) for r in found] == [(opened[0], "warning")]
        later = kinds(collect(DAY + datetime.timedelta(days=3))[keeper], "procurement.count_due")
        assert [(r.obj, r.severity) for r in later] == [(opened[0], "danger")]

    def test_a_count_not_yet_due_is_quiet(self, place, keeper):
        StoreroomFactory(property=place, next_count_on=DAY + datetime.timedelta(days=1))
        assert not kinds(collect(DAY).get(keeper, []), "procurement.count_due")


@pytest.mark.django_db
class TestAddToPlanLink:
    def test_the_digest_carries_the_add_to_plan_link(self, place, keeper):
        level = StockLevelFactory(storeroom=StoreroomFactory(property=place), minimum=5)
        result = send_reminders(DAY)
        assert keeper.pk in {user.pk for user in result.sent}
        message = next(m for m in mail.outbox if m.to == ["keeper@example.com"])
        link = f"/procurement/stock-levels/{level.pk}/add-to-plan/"
        assert link in message.body
        assert link in message.alternatives[0][0]

    @time_machine.travel(datetime.datetime(2026, 11, 24, 3, 0, tzinfo=datetime.UTC))
    def test_the_link_adds_the_item_to_this_months_plan(self, client, place, keeper):
        level = StockLevelFactory(storeroom=StoreroomFactory(property=place), minimum=5, maximum=20)
        client.force_login(keeper)
        url = f"/procurement/stock-levels/{level.pk}/add-to-plan/"
        assert client.get(url).status_code == 200
        response = client.post(url, {"quantity": ""})
        line = level.item.plan_lines.get()
        assert response.status_code == 302
        assert response["Location"] == line.plan.get_absolute_url()
        assert (line.plan.year, line.plan.number, line.plan.property) == (2026, 11, place)
        assert line.quantity == 20  # up to the maximum, nothing in stock
        client.post(url, {"quantity": ""})  # twice: still one line
        assert level.item.plan_lines.count() == 1

    def test_another_propertys_level_is_a_404(self, client, keeper):
        level = StockLevelFactory()
        client.force_login(keeper)
        assert client.get(f"/procurement/stock-levels/{level.pk}/add-to-plan/").status_code == 404


@pytest.mark.django_db
def test_the_stock_level_list_finds_items_never_stocked_below_minimum(client, place, keeper):
    room = StoreroomFactory(property=place)
    never = StockLevelFactory(storeroom=room, minimum=5)
    stocked = StockLevelFactory(storeroom=room, minimum=5)
    services.post_movement(stocked.item, room, 10, "opening", by=keeper)
    client.force_login(keeper)
    response = client.get("/procurement/stock-levels/?below_minimum=true")
    rows = list(response.context["table"].page.object_list)
    assert [row.record for row in rows] == [never]
    assert rows[0].record.on_hand == 0
    assert f"/procurement/stock-levels/{never.pk}/add-to-plan/" in response.content.decode()
    others = client.get("/procurement/stock-levels/?below_minimum=false").context["table"]
    assert [row.record for row in others.page.object_list] == [stocked]
