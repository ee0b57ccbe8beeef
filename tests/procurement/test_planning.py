"""Budgets, purchase plans and requisitions: the budget arithmetic against hand-computed
figures, approval by amount, approvals sent twice, warn or block, plans turned into
requisitions, and the pages."""

import datetime
import threading
import uuid
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core.texts import worded_field
from procurement import services
from procurement.budgets import Usage, check_requisition, usage
from procurement.models import (
    Budget,
    MovementKind,
    OrderStatus,
    PlanStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePlan,
    PurchasePlanLine,
    Requisition,
    RequisitionLine,
    RequisitionStatus,
)
from tests.crud import CrudViewTests, form_errors
from tests.factories import PropertyFactory, UserFactory

from .factories import (
    BudgetFactory,
    ItemCategoryFactory,
    ItemFactory,
    PurchaseOrderFactory,
    PurchasePlanFactory,
    RequisitionFactory,
    StockLevelFactory,
    StoreroomFactory,
    SupplierFactory,
)

MARCH = "2026-03-10 10:00 +0800"


def travel(moment):
    return time_machine.travel(moment, tick=False)


def requisition(property_, *lines, by=None, **kwargs):
    """A draft requisition with ``lines`` of (item, quantity, estimated price)."""
    req = RequisitionFactory(property=property_, requested_by=by, **kwargs)
    for item, quantity, price in lines:
        RequisitionLine.objects.create(
            requisition=req,
            item=item,
            quantity=Decimal(quantity),
            estimated_price=Decimal(price),
        )
    return req


def approved(property_, *lines, by, approver):
    req = requisition(property_, *lines, by=by)
    services.submit_requisition(req, by=by)
    return services.approve_requisition(req, by=approver)


def order(room, *lines, by, approve=True, place=True):
    """An order with ``lines`` of (item, quantity, unit price), taken as far as asked."""
    po = PurchaseOrderFactory(storeroom=room)
    made = [
        PurchaseOrderLine.objects.create(
            order=po, item=item, quantity=Decimal(quantity), unit_price=Decimal(price)
        )
        for item, quantity, price in lines
    ]
    if approve:
        services.approve_order(po, by=by)
    if place:
        services.place_order(po, by=by)
    return po, made


def plan_with_lines(property_, *lines):
    plan = PurchasePlanFactory(property=property_)
    for item, quantity, price in lines:
        PurchasePlanLine.objects.create(
            plan=plan,
            item=item,
            quantity=Decimal(quantity),
            estimated_price=Decimal(price),
            reason="月度补货",
        )
    return plan


def history_count(obj):
    return obj.history.count()


@pytest.fixture
def supervisor(property_a):
    """Asks for goods (请购) but approves nothing."""
    return UserFactory(groups=["facilities_supervisor"], properties=[property_a])


@pytest.fixture
def keeper(property_a):
    """Stores: approves requisitions up to the supervisor limit."""
    return UserFactory(groups=["stores"], properties=[property_a])


@pytest.fixture
def director(db):
    return UserFactory(groups=["director"])


@pytest.fixture
def tools(db):
    """A top-level category (维修材料) with a sub-category (电气)."""
    top = ItemCategoryFactory(name="维修材料")
    return top, ItemCategoryFactory(name="电气", parent=top)


# --- the budget arithmetic -------------------------------------------------------------------


@pytest.mark.django_db
class TestBudgetUsage:
    def test_committed_spent_reserved_and_remaining(
        self, property_a, property_b, tools, keeper, supervisor, director
    ):
        top, sub = tools
        cleaning = ItemCategoryFactory(name="清洁用品")
        on_top = ItemFactory(category=top)
        on_sub = ItemFactory(category=sub)
        on_cleaning = ItemFactory(category=cleaning)
        room = StoreroomFactory(property=property_a)
        far_room = StoreroomFactory(property=property_b)
        budget = BudgetFactory(property=property_a, year=2026, category=top, amount=1000)
        BudgetFactory(property=property_a, year=2025, category=top, amount=500)
        BudgetFactory(property=property_b, year=2026, category=top, amount=2000)

        with travel("2025-12-20 10:00 +0800"):
            # Approved in 2025, two of three delivered in January 2026.
            last_year, (last_year_line,) = order(room, (on_top, 3, "100.00"), by=keeper)
            # Reserved in 2025, never ordered: it is 2025's money.
            approved(property_a, (on_top, 1, "300.00"), by=supervisor, approver=keeper)
        with travel("2026-01-05 10:00 +0800"):
            services.receive(last_year, {last_year_line: (2, 2, "")}, by=keeper, token=uuid.uuid4())
        with travel(MARCH):
            # Placed, then 6 of 10 received and 5 accepted (below).
            placed, (placed_line,) = order(room, (on_sub, 10, "12.00"), by=keeper)
            # Approved, not placed yet: committed all the same.
            order(room, (on_top, 4, "25.50"), by=keeper, place=False)
            # Drafts and cancelled orders commit nothing.
            order(room, (on_top, 100, "1.00"), by=keeper, approve=False, place=False)
            cancelled, _lines = order(room, (on_top, 5, "10.00"), by=keeper)
            services.cancel_order(cancelled, by=keeper, reason="不要了")
            # Another top-level category and another property.
            order(room, (on_cleaning, 1, "7.00"), by=keeper)
            order(far_room, (on_top, 1, "999.00"), by=keeper)
            # An approved requisition with a sub-category line and a top-level one.
            approved(
                property_a,
                (on_sub, 3, "10.00"),
                (on_top, 1, "5.50"),
                by=supervisor,
                approver=keeper,
            )
            # Submitted only: nothing reserved yet.
            waiting = requisition(property_a, (on_top, 1, "1000.00"), by=supervisor)
            services.submit_requisition(waiting, by=supervisor)
            # Approved, then ordered: its draft order is not committed yet, so it stays reserved.
            ordered = approved(property_a, (on_top, 2, "50.00"), by=supervisor, approver=keeper)
            services.order_from_requisition(
                ordered,
                supplier=SupplierFactory(),
                storeroom=room,
                promised_on=datetime.date(2026, 4, 1),
                by=keeper,
            )
            # Another property's requisition.
            approved(property_b, (on_top, 1, "77.00"), by=supervisor, approver=director)
        with travel("2026-03-25 10:00 +0800"):
            services.receive(
                placed,
                {placed_line: (6, 5, "1 个破损")},
                by=keeper,
                token=uuid.uuid4(),
                received_on=datetime.date(2026, 3, 20),
            )

        figures = usage([property_a.pk], 2026)
        mine = figures[(property_a.pk, top.pk)]
        # (10 − 6) × 12.00 + 4 × 25.50
        assert mine.committed == Decimal("150.00")
        # 5 accepted × 12.00 in March + 2 × 100.00 of last year's order in January
        assert mine.spent == Decimal("260.00")
        # 3 × 10.00 (sub-category) + 1 × 5.50, and the draft order 2 × 50.00
        assert mine.reserved == Decimal("135.50")
        assert mine.amount == Decimal("1000.00") and mine.budget == budget
        assert mine.used == Decimal("545.50")
        assert mine.remaining == Decimal("454.50")
        assert mine.percent == 55  # 545.50 of 1000
        # The sub-category has no row of its own; cleaning has spending but no budget.
        assert (property_a.pk, sub.pk) not in figures
        other_category = figures[(property_a.pk, cleaning.pk)]
        assert other_category.committed == Decimal("7.00")
        assert other_category.amount is None and other_category.remaining is None
        assert {key[0] for key in figures} == {property_a.pk}  # property B stays out

        theirs = usage([property_b.pk], 2026)[(property_b.pk, top.pk)]
        assert (theirs.committed, theirs.spent, theirs.reserved) == (
            Decimal("999.00"),
            Decimal(0),
            Decimal("77.00"),
        )
        assert theirs.remaining == Decimal("924.00")

        last = usage([property_a.pk], 2025)[(property_a.pk, top.pk)]
        # Last year: one of three still to come at 100.00, and the 300.00 reservation.
        assert (last.committed, last.spent, last.reserved) == (
            Decimal("100.00"),
            Decimal(0),
            Decimal("300.00"),
        )
        assert last.remaining == Decimal("100.00")

        both = usage([property_a.pk, property_b.pk], 2026)
        assert both[(property_a.pk, top.pk)].remaining == Decimal("454.50")
        assert both[(property_b.pk, top.pk)].remaining == Decimal("924.00")

    def test_the_year_is_the_local_one(self, property_a, tools, keeper, supervisor):
        """Shanghai's New Year comes eight hours before UTC's."""
        top, _sub = tools
        room = StoreroomFactory(property=property_a)
        with travel("2025-12-31 23:30 +0800"):
            order(room, (ItemFactory(category=top), 1, "1.00"), by=keeper)
            approved(
                property_a, (ItemFactory(category=top), 1, "10.00"), by=supervisor, approver=keeper
            )
        with travel("2026-01-01 00:30 +0800"):  # still 2025 in UTC
            order(room, (ItemFactory(category=top), 1, "2.00"), by=keeper)
            approved(
                property_a, (ItemFactory(category=top), 1, "20.00"), by=supervisor, approver=keeper
            )
        old, new = (usage([property_a.pk], year)[(property_a.pk, top.pk)] for year in (2025, 2026))
        assert (old.committed, old.reserved) == (Decimal("1.00"), Decimal("10.00"))
        assert (new.committed, new.reserved) == (Decimal("2.00"), Decimal("20.00"))

    def test_computed_in_a_fixed_number_of_queries(
        self, property_a, tools, keeper, django_assert_num_queries
    ):
        top, _sub = tools
        room = StoreroomFactory(property=property_a)
        for _ in range(5):
            BudgetFactory(property=property_a, category=ItemCategoryFactory())
            order(room, (ItemFactory(category=top), 2, "3.00"), by=keeper)
        with django_assert_num_queries(5):  # budgets, then one grouped query per source
            usage([property_a.pk], timezone.localdate().year)

    def test_no_budget_and_zero_budget(self):
        assert Usage().ratio is None and Usage().remaining is None
        assert Usage(amount=Decimal(0)).ratio == 0.0
        assert Usage(amount=Decimal(0), spent=Decimal(1)).ratio == 1.0
        assert Usage(amount=Decimal(200), committed=Decimal(50)).percent == 25

    def test_a_budget_is_set_on_a_top_level_category(self, property_a, tools):
        top, sub = tools
        with pytest.raises(ValidationError) as refused:
            Budget(property=property_a, year=2026, category=sub, amount=10).full_clean()
        assert "category" in refused.value.message_dict
        Budget(property=property_a, year=2026, category=top, amount=10).full_clean()

    def test_one_budget_per_property_category_and_year(self, property_a, tools):
        top, _sub = tools
        BudgetFactory(property=property_a, year=2026, category=top)
        with pytest.raises(ValidationError, match="already has a budget"):
            Budget(property=property_a, year=2026, category=top, amount=1).full_clean()
        with pytest.raises(ValidationError):
            Budget(property=property_a, year=2026, category=top, amount=-1).full_clean()

    def test_check_requisition_per_top_level_category(self, property_a, tools, supervisor, keeper):
        top, sub = tools
        cleaning = ItemCategoryFactory(name="清洁用品")
        BudgetFactory(property=property_a, year=2026, category=top, amount=100)
        req = requisition(
            property_a,
            (ItemFactory(category=top), 2, "30.00"),
            (ItemFactory(category=sub), 1, "50.00"),
            (ItemFactory(category=cleaning), 4, "2.50"),
            by=supervisor,
        )
        checks = {check.category_name: check for check in check_requisition(req, 2026)}
        assert set(checks) == {"维修材料", "清洁用品"}
        assert checks["维修材料"].need == Decimal("110.00")
        assert checks["维修材料"].exceeded and checks["维修材料"].after == Decimal("-10.00")
        assert checks["清洁用品"].need == Decimal("10.00")
        assert not checks["清洁用品"].exceeded and checks["清洁用品"].after is None


# --- approval by amount ----------------------------------------------------------------------


@pytest.mark.django_db
class TestApprovalThresholds:
    def submitted(self, property_, amount, by):
        req = requisition(property_, (ItemFactory(), 1, amount), by=by)
        return services.submit_requisition(req, by=by)

    def test_up_to_the_default_limit_the_stores_approve(self, property_a, supervisor, keeper):
        at_limit = self.submitted(property_a, "5000.00", supervisor)
        assert at_limit.amount == Decimal("5000.00")
        assert services.can_approve(keeper, at_limit)
        services.approve_requisition(at_limit, by=keeper)
        at_limit.refresh_from_db()
        assert at_limit.status == RequisitionStatus.APPROVED and at_limit.approved_by == keeper

    def test_above_the_default_limit_only_the_director(
        self, property_a, supervisor, keeper, director
    ):
        above = self.submitted(property_a, "5000.01", supervisor)
        assert not services.can_approve(keeper, above)
        with pytest.raises(ValidationError, match="director"):
            services.approve_requisition(above, by=keeper)
        above.refresh_from_db()
        assert above.status == RequisitionStatus.SUBMITTED and above.approved_by is None
        assert services.can_approve(director, above)
        services.approve_requisition(above, by=director)
        above.refresh_from_db()
        assert above.status == RequisitionStatus.APPROVED and above.approved_by == director

    @override_settings(PROCUREMENT_SUPERVISOR_LIMIT=100)
    def test_the_limit_comes_from_the_settings(self, property_a, supervisor, keeper, director):
        at_limit = self.submitted(property_a, "100.00", supervisor)
        above = self.submitted(property_a, "100.01", supervisor)
        assert services.can_approve(keeper, at_limit)
        assert not services.can_approve(keeper, above)
        assert services.can_approve(director, above)
        services.approve_requisition(at_limit, by=keeper)
        with pytest.raises(ValidationError, match=r"¥100\.00"):
            services.approve_requisition(above, by=keeper)
        # Rejecting is deciding too: the stores cannot reject what they cannot approve.
        with pytest.raises(ValidationError):
            services.reject_requisition(above, by=keeper, reason="太贵")
        services.approve_requisition(above, by=director)
        statuses = set(
            Requisition.objects.filter(pk__in=[at_limit.pk, above.pk]).values_list(
                "status", flat=True
            )
        )
        assert statuses == {RequisitionStatus.APPROVED}

    def test_the_amount_is_fixed_when_submitted(self, property_a, supervisor, keeper):
        with override_settings(PROCUREMENT_SUPERVISOR_LIMIT=100):
            req = self.submitted(property_a, "90.00", supervisor)
            # A line slipped in afterwards (admin, shell) does not move the threshold.
            RequisitionLine.objects.create(
                requisition=req, item=ItemFactory(), quantity=1, estimated_price=500
            )
            req.refresh_from_db()
            assert req.amount == Decimal("90.00") and services.can_approve(keeper, req)

    def test_refreshing_the_amount_follows_a_drafts_lines_only(self, property_a, supervisor):
        draft = requisition(property_a, (ItemFactory(), 3, "10.00"), by=supervisor)
        assert draft.amount == 0  # lines written straight to the table, as a script would
        services.refresh_requisition_amount(draft, by=supervisor)
        draft.refresh_from_db()
        assert draft.amount == Decimal("30.00")
        services.submit_requisition(draft, by=supervisor)
        RequisitionLine.objects.create(
            requisition=draft, item=ItemFactory(), quantity=1, estimated_price=500
        )
        services.refresh_requisition_amount(draft, by=supervisor)
        draft.refresh_from_db()
        assert draft.amount == Decimal("30.00")  # submitted: fixed

    def test_the_data_migration_stores_the_drafts_line_totals(self, property_a, supervisor):
        import importlib

        from django.apps import apps

        migration = importlib.import_module(
            "procurement.migrations.0007_requisition_amount_from_lines"
        )
        draft = requisition(property_a, (ItemFactory(), 4, "92.50"), by=supervisor)
        empty = requisition(property_a, by=supervisor)
        Requisition.objects.filter(pk=empty.pk).update(amount=5)
        submitted = services.submit_requisition(
            requisition(property_a, (ItemFactory(), 1, "8.00"), by=supervisor), by=supervisor
        )
        Requisition.objects.filter(pk=submitted.pk).update(amount=9)
        migration.store_line_totals(apps, None)
        amounts = dict(Requisition.objects.values_list("pk", "amount"))
        assert amounts == {
            draft.pk: Decimal("370.00"),
            empty.pk: Decimal("0.00"),
            submitted.pk: Decimal("9.00"),  # past draft it is left as submitted
        }

    def test_nobody_approves_their_own(self, property_a, keeper, director):
        mine = self.submitted(property_a, "10.00", keeper)
        assert not services.can_approve(keeper, mine)
        with pytest.raises(ValidationError, match="other than the requester"):
            services.approve_requisition(mine, by=keeper)
        own_large = self.submitted(property_a, "9000.00", director)
        assert not services.can_approve(director, own_large)
        with pytest.raises(ValidationError, match="other than the requester"):
            services.approve_requisition(own_large, by=director)
        for req in (mine, own_large):
            req.refresh_from_db()
            assert req.status == RequisitionStatus.SUBMITTED and req.approved_by is None

    def test_a_supervisor_approves_nothing(self, property_a, supervisor, keeper):
        req = self.submitted(property_a, "1.00", keeper)
        assert not services.can_approve(supervisor, req)
        with pytest.raises(ValidationError):
            services.approve_requisition(req, by=supervisor)
        req.refresh_from_db()
        assert req.status == RequisitionStatus.SUBMITTED

    def test_rejecting_needs_a_reason(self, property_a, supervisor, keeper):
        req = self.submitted(property_a, "10.00", supervisor)
        with pytest.raises(ValidationError, match="reason"):
            services.reject_requisition(req, by=keeper, reason="  ")
        services.reject_requisition(req, by=keeper, reason="库存尚有")
        req.refresh_from_db()
        assert (req.status, req.decision_note, req.approved_by) == (
            RequisitionStatus.REJECTED,
            "库存尚有",
            keeper,
        )
        with pytest.raises(ValidationError):
            services.approve_requisition(req, by=keeper)


# --- approvals sent twice --------------------------------------------------------------------


@pytest.mark.django_db
class TestDoubleSubmission:
    def test_approving_a_requisition_twice_changes_nothing(self, property_a, supervisor, keeper):
        req = requisition(property_a, (ItemFactory(), 2, "10.00"), by=supervisor)
        services.submit_requisition(req, by=supervisor)
        with travel(MARCH):
            services.approve_requisition(req, by=keeper)
        req.refresh_from_db()
        first = (req.status, req.approved_by_id, req.approved_at, req.amount, req.budget_warning)
        recorded = history_count(req)
        with (
            travel("2026-03-11 09:00 +0800"),
            pytest.raises(ValidationError, match="“Approved” and cannot be approved"),
        ):
            services.approve_requisition(req, by=UserFactory(groups=["director"]))
        req.refresh_from_db()
        assert (
            req.status,
            req.approved_by_id,
            req.approved_at,
            req.amount,
            req.budget_warning,
        ) == first
        assert first[0] == RequisitionStatus.APPROVED and first[1] == keeper.pk
        assert history_count(req) == recorded

    def test_submitting_twice_changes_nothing(self, property_a, supervisor):
        req = requisition(property_a, (ItemFactory(), 1, "10.00"), by=supervisor)
        with travel(MARCH):
            services.submit_requisition(req, by=supervisor)
        req.refresh_from_db()
        submitted_at, recorded = req.submitted_at, history_count(req)
        with pytest.raises(ValidationError, match="“Submitted” and cannot be submitted"):
            services.submit_requisition(req, by=supervisor)
        req.refresh_from_db()
        assert req.submitted_at == submitted_at and history_count(req) == recorded

    def test_an_empty_requisition_is_not_submitted(self, property_a, supervisor):
        req = requisition(property_a, by=supervisor)
        with pytest.raises(ValidationError, match="at least one line"):
            services.submit_requisition(req, by=supervisor)
        req.refresh_from_db()
        assert req.status == RequisitionStatus.DRAFT

    def test_approving_a_plan_twice_changes_nothing(self, property_a, keeper, director):
        plan = plan_with_lines(property_a, (ItemFactory(), 3, "4.00"))
        services.submit_plan(plan, by=keeper)
        with travel(MARCH):
            first_req = services.approve_plan(plan, by=director)
        plan.refresh_from_db()
        first = (plan.status, plan.approved_by_id, plan.approved_at)
        plan_history, req_history = history_count(plan), history_count(first_req)
        with pytest.raises(ValidationError, match="“Approved” and cannot be approved"):
            services.approve_plan(plan, by=UserFactory(groups=["director"]))
        plan.refresh_from_db()
        assert (plan.status, plan.approved_by_id, plan.approved_at) == first
        assert first[0] == PlanStatus.APPROVED and first[1] == director.pk
        assert history_count(plan) == plan_history
        assert Requisition.objects.filter(plan=plan).count() == 1
        assert Requisition.objects.count() == 1
        assert history_count(first_req) == req_history


# --- warn or block ---------------------------------------------------------------------------


@pytest.mark.django_db
class TestBudgetCheck:
    @pytest.fixture
    def budget(self, property_a, tools):
        top, _sub = tools
        return BudgetFactory(property=property_a, year=2026, category=top, amount=1000)

    def test_warn_mode_submits_with_the_warning(self, settings, budget, tools, supervisor):
        settings.PROCUREMENT_BUDGET_CHECK = "warn"
        _top, sub = tools
        req = requisition(budget.property, (ItemFactory(category=sub), 120, "10.00"), by=supervisor)
        with travel(MARCH):
            services.submit_requisition(req, by=supervisor)
        req.refresh_from_db()
        assert req.status == RequisitionStatus.SUBMITTED
        assert req.amount == Decimal("1200.00")
        assert worded_field(req, "budget_warning") == (
            "维修材料: ¥1,000.00 left in the 2026 budget, this requisition needs ¥1,200.00."
        )

    def test_within_budget_no_warning(self, settings, budget, tools, supervisor):
        settings.PROCUREMENT_BUDGET_CHECK = "block"
        top, _sub = tools
        req = requisition(budget.property, (ItemFactory(category=top), 100, "10.00"), by=supervisor)
        with travel(MARCH):
            services.submit_requisition(req, by=supervisor)  # exactly the budget: allowed
        req.refresh_from_db()
        assert req.status == RequisitionStatus.SUBMITTED and req.budget_warning == ""

    def test_block_mode_refuses_and_saves_nothing(self, settings, budget, tools, supervisor):
        settings.PROCUREMENT_BUDGET_CHECK = "block"
        top, _sub = tools
        req = requisition(budget.property, (ItemFactory(category=top), 100, "10.01"), by=supervisor)
        recorded = history_count(req)
        with travel(MARCH), pytest.raises(ValidationError) as refused:
            services.submit_requisition(req, by=supervisor)
        assert refused.value.messages == [
            "Over budget:",
            "维修材料: ¥1,000.00 left in the 2026 budget, this requisition needs ¥1,001.00.",
        ]
        req.refresh_from_db()
        assert req.status == RequisitionStatus.DRAFT
        assert (req.amount, req.budget_warning, req.submitted_at) == (Decimal(0), "", None)
        assert history_count(req) == recorded

    def test_a_category_without_budget_is_never_blocked(self, settings, property_a, supervisor):
        settings.PROCUREMENT_BUDGET_CHECK = "block"
        req = requisition(property_a, (ItemFactory(), 1000, "100.00"), by=supervisor)
        services.submit_requisition(req, by=supervisor)
        req.refresh_from_db()
        assert req.status == RequisitionStatus.SUBMITTED and req.budget_warning == ""

    def test_the_budget_is_checked_again_at_approval(
        self, settings, budget, tools, supervisor, keeper
    ):
        top, _sub = tools
        settings.PROCUREMENT_BUDGET_CHECK = "block"
        with travel(MARCH):
            first = requisition(
                budget.property, (ItemFactory(category=top), 60, "10.00"), by=supervisor
            )
            services.submit_requisition(first, by=supervisor)  # 600 of 1000: fine
            # Meanwhile another one takes 500.
            approved(
                budget.property,
                (ItemFactory(category=top), 50, "10.00"),
                by=supervisor,
                approver=keeper,
            )
            with pytest.raises(ValidationError, match=r"¥500\.00 left"):
                services.approve_requisition(first, by=keeper)
            first.refresh_from_db()
            assert first.status == RequisitionStatus.SUBMITTED and first.approved_by is None

            settings.PROCUREMENT_BUDGET_CHECK = "warn"
            services.approve_requisition(first, by=keeper)
        first.refresh_from_db()
        assert first.status == RequisitionStatus.APPROVED
        assert worded_field(first, "budget_warning") == (
            "维修材料: ¥500.00 left in the 2026 budget, this requisition needs ¥600.00."
        )
        # Both reserved now: the budget is overdrawn by 100.
        mine = usage([budget.property_id], 2026)[(budget.property_id, top.pk)]
        assert mine.reserved == Decimal("1100.00") and mine.remaining == Decimal("-100.00")

    def test_a_requisition_is_not_measured_against_itself(
        self, settings, budget, tools, supervisor, keeper
    ):
        """Once approved, a requisition's own reservation is not counted twice."""
        top, _sub = tools
        with travel(MARCH):
            req = approved(
                budget.property,
                (ItemFactory(category=top), 60, "10.00"),
                by=supervisor,
                approver=keeper,
            )
            (check,) = check_requisition(req, 2026)
        assert check.need == Decimal("600.00")
        assert check.usage.remaining == Decimal("1000.00")
        assert check.after == Decimal("400.00") and not check.exceeded

    def test_an_approved_plan_within_budget_carries_no_warning(
        self, budget, tools, keeper, director
    ):
        top, _sub = tools
        plan = plan_with_lines(budget.property, (ItemFactory(category=top), 60, "10.00"))
        services.submit_plan(plan, by=keeper)
        with travel(MARCH):
            req = services.approve_plan(plan, by=director)
        req.refresh_from_db()
        assert req.amount == Decimal("600.00")
        assert req.budget_warning == ""
        mine = usage([budget.property_id], 2026)[(budget.property_id, top.pk)]
        assert mine.reserved == Decimal("600.00") and mine.remaining == Decimal("400.00")

    def test_an_approved_plan_over_budget_carries_the_warning(
        self, budget, tools, keeper, director
    ):
        top, _sub = tools
        plan = plan_with_lines(budget.property, (ItemFactory(category=top), 120, "10.00"))
        services.submit_plan(plan, by=keeper)
        with travel(MARCH):
            req = services.approve_plan(plan, by=director)
        req.refresh_from_db()
        assert worded_field(req, "budget_warning") == (
            "维修材料: ¥1,000.00 left in the 2026 budget, this requisition needs ¥1,200.00."
        )


# --- purchase plans --------------------------------------------------------------------------


@pytest.mark.django_db
class TestPlans:
    def test_suggest_plan_lines_for_items_below_minimum(self, property_a, keeper):
        room = StoreroomFactory(property=property_a)
        second_room = StoreroomFactory(property=property_a)
        low = StockLevelFactory(
            storeroom=room, item=ItemFactory(standard_price="8.00"), minimum=5, maximum=50
        )
        services.post_movement(low.item, room, 2, MovementKind.OPENING, by=keeper, unit_cost=8)
        # Low in a second storeroom of the property too (never stocked there): added up.
        StockLevelFactory(storeroom=second_room, item=low.item, minimum=1, maximum=10)
        never_stocked = StockLevelFactory(storeroom=room, minimum=5, maximum=20)
        plenty = StockLevelFactory(storeroom=room, minimum=5, maximum=20)
        services.post_movement(plenty.item, room, 10, MovementKind.OPENING, by=keeper, unit_cost=1)
        StockLevelFactory(storeroom=StoreroomFactory(property=PropertyFactory()), minimum=5)
        StockLevelFactory(storeroom=room, item=ItemFactory(active=False), minimum=5)
        StockLevelFactory(storeroom=StoreroomFactory(property=property_a, active=False))

        plan = PurchasePlanFactory(property=property_a)
        added = services.suggest_plan_lines(plan, by=keeper)
        lines = {line.item_id: line for line in plan.lines.all()}
        assert len(added) == 2
        assert set(lines) == {low.item_id, never_stocked.item_id}
        assert lines[low.item_id].quantity == 48 + 10  # up to 50 here, up to 10 there
        assert lines[low.item_id].estimated_price == Decimal("8.00")
        assert worded_field(lines[low.item_id], "reason") == "Below minimum: 2 left, minimum 5"
        assert lines[never_stocked.item_id].quantity == 20
        assert (
            worded_field(lines[never_stocked.item_id], "reason")
            == "Below minimum: 0 left, minimum 5"
        )

        assert services.suggest_plan_lines(plan, by=keeper) == []  # not twice
        assert plan.lines.count() == 2

    def test_suggestions_keep_lines_already_there(self, property_a, keeper):
        level = StockLevelFactory(storeroom=StoreroomFactory(property=property_a))
        plan = plan_with_lines(property_a, (level.item, 3, "1.00"))
        assert services.suggest_plan_lines(plan, by=keeper) == []
        assert plan.lines.get().quantity == 3

    def test_only_a_draft_plan_takes_suggestions(self, property_a, keeper):
        StockLevelFactory(storeroom=StoreroomFactory(property=property_a))
        plan = plan_with_lines(property_a, (ItemFactory(), 1, "1.00"))
        services.submit_plan(plan, by=keeper)
        with pytest.raises(ValidationError, match="draft"):
            services.suggest_plan_lines(plan, by=keeper)
        assert plan.lines.count() == 1

    def test_add_to_plan_creates_this_months_plan_once(self, property_a, keeper):
        room = StoreroomFactory(property=property_a)
        level = StockLevelFactory(storeroom=room, minimum=5, maximum=30)
        services.post_movement(level.item, room, 4, MovementKind.OPENING, by=keeper, unit_cost=1)
        with travel("2026-05-14 10:00 +0800"):
            line, created = services.add_to_plan(level, by=keeper)
            again, created_again = services.add_to_plan(level, by=keeper)
        assert created and not created_again and again == line
        plan = line.plan
        assert (plan.property, plan.year, plan.period, plan.number, plan.status) == (
            property_a,
            2026,
            "month",
            5,
            PlanStatus.DRAFT,
        )
        assert line.quantity == 26 and line.estimated_price == level.item.standard_price
        assert PurchasePlan.objects.count() == 1 and PurchasePlanLine.objects.count() == 1

        other = StockLevelFactory(storeroom=room, minimum=5, maximum=30)
        with travel("2026-05-31 23:00 +0800"):
            chosen, _created = services.add_to_plan(other, by=keeper, quantity="7")
        assert chosen.plan == plan and chosen.quantity == 7
        with travel("2026-06-01 08:00 +0800"):
            june, _created = services.add_to_plan(other, by=keeper)
        assert (june.plan.year, june.plan.number) == (2026, 6) and june.quantity == 30

    def test_add_to_plan_refusals(self, property_a, keeper):
        room = StoreroomFactory(property=property_a)
        level = StockLevelFactory(storeroom=room, minimum=5, maximum=30)
        with travel("2026-05-14 10:00 +0800"):
            services.add_to_plan(level, by=keeper)
            plan = PurchasePlan.objects.get()
            services.submit_plan(plan, by=keeper)
            with pytest.raises(ValidationError, match="submitted already"):
                services.add_to_plan(StockLevelFactory(storeroom=room), by=keeper)
        full = StockLevelFactory(storeroom=room, minimum=1, maximum=5)
        services.post_movement(full.item, room, 3, MovementKind.OPENING, by=keeper, unit_cost=1)
        with pytest.raises(ValidationError, match="no longer below"):
            services.add_to_plan(full, by=keeper)
        assert PurchasePlanLine.objects.count() == 1

    def test_submit_then_approve_makes_an_approved_requisition(self, property_a, keeper, director):
        first, second = ItemFactory(), ItemFactory()
        plan = plan_with_lines(property_a, (first, 3, "4.00"), (second, "2.5", "10.00"))
        with travel(MARCH):
            services.submit_plan(plan, by=keeper)
        with pytest.raises(ValidationError, match="other than the submitter"):
            services.approve_plan(plan, by=keeper)
        with travel("2026-03-12 09:00 +0800"):
            req = services.approve_plan(plan, by=director)
        plan.refresh_from_db()
        req.refresh_from_db()
        assert plan.status == PlanStatus.APPROVED and plan.approved_by == director
        assert (req.property, req.plan, req.status) == (
            property_a,
            plan,
            RequisitionStatus.APPROVED,
        )
        assert (req.requested_by, req.approved_by) == (keeper, director)
        assert req.submitted_at == plan.submitted_at and req.approved_at == plan.approved_at
        assert req.amount == Decimal("37.00")
        assert sorted(
            req.lines.values_list("item_id", "quantity", "estimated_price", "note")
        ) == sorted(plan.lines.values_list("item_id", "quantity", "estimated_price", "reason"))
        assert req.lines.count() == 2

    def test_an_empty_plan_is_not_submitted(self, property_a, keeper):
        plan = PurchasePlanFactory(property=property_a)
        with pytest.raises(ValidationError, match="at least one line"):
            services.submit_plan(plan, by=keeper)
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT

    def test_sending_a_plan_back_needs_a_reason(self, property_a, keeper, director):
        plan = plan_with_lines(property_a, (ItemFactory(), 1, "1.00"))
        with pytest.raises(ValidationError, match="“Draft” and cannot be sent back"):
            services.return_plan(plan, by=director, reason="太多")
        services.submit_plan(plan, by=keeper)
        for reason in ("", "   "):
            with pytest.raises(ValidationError, match="reason"):
                services.return_plan(plan, by=director, reason=reason)
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SUBMITTED and plan.return_reason == ""
        services.return_plan(plan, by=director, reason=" 数量太多 ")
        plan.refresh_from_db()
        assert (plan.status, plan.return_reason) == (PlanStatus.DRAFT, "数量太多")
        services.submit_plan(plan, by=keeper)
        plan.refresh_from_db()
        assert (plan.status, plan.return_reason) == (PlanStatus.SUBMITTED, "")

    def test_a_quarter_has_four(self, property_a):
        with pytest.raises(ValidationError, match="quarter 1–4"):
            PurchasePlan(property=property_a, period="quarter", year=2026, number=5).full_clean()
        PurchasePlan(property=property_a, period="quarter", year=2026, number=4).full_clean()

    def test_cancelling_a_requisition(self, property_a, supervisor, keeper):
        req = approved(property_a, (ItemFactory(), 1, "1.00"), by=supervisor, approver=keeper)
        with pytest.raises(ValidationError, match="reason"):
            services.cancel_requisition(req, by=keeper, reason=" ")
        # Once approved, only those who approve may drop it.
        with pytest.raises(ValidationError, match="those who approve"):
            services.cancel_requisition(req, by=supervisor, reason="不需要了")
        services.cancel_requisition(req, by=keeper, reason="不需要了")
        req.refresh_from_db()
        assert req.status == RequisitionStatus.CANCELLED
        with pytest.raises(ValidationError, match="“Cancelled” and cannot be cancelled"):
            services.cancel_requisition(req, by=keeper, reason="再取消")


# --- pages -----------------------------------------------------------------------------------

LINES_MANAGEMENT = {
    "lines-TOTAL_FORMS": "1",
    "lines-INITIAL_FORMS": "0",
    "lines-MIN_NUM_FORMS": "0",
    "lines-MAX_NUM_FORMS": "1000",
}


class TestBudgetViews(CrudViewTests):
    model = Budget
    factory = BudgetFactory

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "year": "2026",
            "category": ItemCategoryFactory().pk,
            "amount": "50000.00",
            "note": "年度维修预算",
        }

    def test_a_sub_category_is_not_offered(self, client, home):
        top = ItemCategoryFactory()
        sub = ItemCategoryFactory(parent=top)
        client.force_login(self.user("view", "add", properties=[home]))
        response = client.post(self.url("add"), {**self.form_data(home), "category": sub.pk})
        assert response.status_code == HTTPStatus.OK
        assert "category" in response.context["form"].errors
        assert not Budget.objects.exists()

    def test_detail_shows_the_use(self, client, home):
        top = ItemCategoryFactory()
        budget = BudgetFactory(property=home, year=2026, category=top, amount=1000)
        keeper = UserFactory(groups=["stores"], properties=[home])
        with travel(MARCH):
            order(
                StoreroomFactory(property=home), (ItemFactory(category=top), 4, "25.50"), by=keeper
            )
        client.force_login(self.user("view", properties=[home]))
        response = client.get(self.url("detail", budget))
        assert response.status_code == HTTPStatus.OK
        used = response.context["usage"]
        assert (used.committed, used.remaining) == (Decimal("102.00"), Decimal("898.00"))
        assert "¥898.00" in response.content.decode()

    def test_list_shows_the_use(self, client, home):
        top = ItemCategoryFactory()
        BudgetFactory(property=home, year=2026, category=top, amount=100)
        BudgetFactory(property=home, year=2025, category=top, amount=100)
        keeper = UserFactory(groups=["stores"], properties=[home])
        with travel(MARCH):
            order(
                StoreroomFactory(property=home), (ItemFactory(category=top), 9, "10.00"), by=keeper
            )
        client.force_login(self.user("view", properties=[home]))
        response = client.get(self.url("list"))
        rows = {row.record.year: row.record.usage for row in response.context["table"].page}
        assert rows[2026].percent == 90 and rows[2025].percent == 0


class TestPurchasePlanViews(CrudViewTests):
    model = PurchasePlan
    factory = PurchasePlanFactory

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "period": "month",
            "year": "2026",
            "number": "3",
            "note": "",
            **LINES_MANAGEMENT,
            "lines-0-item": ItemFactory(standard_price="6.60").pk,
            "lines-0-quantity": "5",
            "lines-0-estimated_price": "",
            "lines-0-reason": "补货",
        }

    def test_create_takes_the_standard_price(self, client, home):
        client.force_login(self.user("view", "add", properties=[home]))
        response = client.post(self.url("add"), self.form_data(home))
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        line = PurchasePlanLine.objects.get()
        assert line.estimated_price == Decimal("6.60") and line.plan.status == PlanStatus.DRAFT

    def test_only_a_draft_is_edited_or_deleted(self, client, home):
        plan = plan_with_lines(home, (ItemFactory(), 1, "1.00"))
        services.submit_plan(plan, by=UserFactory())
        client.force_login(self.user("view", "change", "delete", properties=[home]))
        assert client.get(self.url("edit", plan)).status_code == HTTPStatus.NOT_FOUND
        assert client.post(self.url("edit", plan), self.edit_data(plan)).status_code == 404
        assert client.post(self.url("delete", plan)).status_code == HTTPStatus.NOT_FOUND
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SUBMITTED and plan.lines.count() == 1

    def test_submit_return_and_approve_through_the_pages(self, client, home):
        keeper = UserFactory(groups=["stores"], properties=[home])
        director = UserFactory(groups=["director"])
        StockLevelFactory(storeroom=StoreroomFactory(property=home), minimum=5, maximum=8)
        plan = PurchasePlanFactory(property=home)
        client.force_login(keeper)
        page = client.get(self.url("detail", plan)).content.decode()
        assert reverse("procurement:purchaseplan_suggest", args=[plan.pk]) in page
        client.post(reverse("procurement:purchaseplan_suggest", args=[plan.pk]))
        assert plan.lines.get().quantity == 8
        client.post(reverse("procurement:purchaseplan_submit", args=[plan.pk]))
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SUBMITTED
        # The stores may not approve plans.
        approve_url = reverse("procurement:purchaseplan_approve", args=[plan.pk])
        assert approve_url not in client.get(self.url("detail", plan)).content.decode()
        assert client.post(approve_url).status_code == HTTPStatus.FORBIDDEN

        client.force_login(director)
        assert approve_url in client.get(self.url("detail", plan)).content.decode()
        return_url = reverse("procurement:purchaseplan_return", args=[plan.pk])
        client.post(return_url, {"reason": ""})
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SUBMITTED
        client.post(return_url, {"reason": "少买点"})
        plan.refresh_from_db()
        assert (plan.status, plan.return_reason) == (PlanStatus.DRAFT, "少买点")

        client.force_login(keeper)
        client.post(reverse("procurement:purchaseplan_submit", args=[plan.pk]))
        client.force_login(director)
        response = client.post(approve_url)
        assert response.status_code == HTTPStatus.FOUND
        client.post(approve_url)  # sent twice
        assert Requisition.objects.filter(plan=plan, status="approved").count() == 1
        page = client.get(self.url("detail", plan)).content.decode()
        assert Requisition.objects.get().get_absolute_url() in page


class TestRequisitionViews(CrudViewTests):
    model = Requisition
    factory = RequisitionFactory

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "department": "",
            "work_order_ref": "WO-1",
            "purpose": "更换灯具",
            "needed_by": "",
            **LINES_MANAGEMENT,
            "lines-0-item": ItemFactory().pk,
            "lines-0-quantity": "4",
            "lines-0-estimated_price": "12.50",
            "lines-0-note": "",
        }

    @pytest.fixture
    def people(self, home):
        return (
            UserFactory(groups=["facilities_supervisor"], properties=[home]),
            UserFactory(groups=["stores"], properties=[home]),
            UserFactory(groups=["director"]),
        )

    def submitted(self, home, requester, amount="10.00", category=None):
        item = ItemFactory(category=category) if category else ItemFactory()
        req = requisition(home, (item, 1, amount), by=requester)
        return services.submit_requisition(req, by=requester)

    def test_a_supervisor_creates_and_submits(self, client, home, people):
        supervisor, keeper, _director = people
        client.force_login(supervisor)
        response = client.post(self.url("add"), self.form_data(home))
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        req = Requisition.objects.get()
        assert req.requested_by == supervisor and req.status == RequisitionStatus.DRAFT
        client.post(reverse("procurement:requisition_submit", args=[req.pk]))
        req.refresh_from_db()
        assert req.status == RequisitionStatus.SUBMITTED and req.amount == Decimal("50.00")
        # Submitted: no longer edited, nor deleted by the stores (who delete drafts).
        assert client.get(self.url("edit", req)).status_code == HTTPStatus.NOT_FOUND
        assert client.post(self.url("edit", req), self.edit_data(req)).status_code == 404
        client.force_login(keeper)
        assert client.post(self.url("delete", req)).status_code == HTTPStatus.NOT_FOUND
        req.refresh_from_db()
        assert req.status == RequisitionStatus.SUBMITTED and req.lines.count() == 1

    def test_detail_shows_the_budget_table(self, client, home, people):
        supervisor, keeper, _director = people
        top = ItemCategoryFactory(name="照明")
        BudgetFactory(property=home, year=2026, category=top, amount=300)
        with travel(MARCH):
            req = self.submitted(home, supervisor, "120.00", category=top)
            approved(home, (ItemFactory(category=top), 1, "100.00"), by=supervisor, approver=keeper)
            client.force_login(keeper)
            response = client.get(self.url("detail", req))
        assert response.status_code == HTTPStatus.OK
        (check,) = response.context["budget_checks"]
        assert (check.category_name, check.need, check.usage.remaining, check.after) == (
            "照明",
            Decimal("120.00"),
            Decimal("200.00"),
            Decimal("80.00"),
        )
        assert response.context["budget_year"] == 2026
        page = response.content.decode()
        assert 'id="budget"' in page and "照明" in page
        assert "¥200.00" in page and "¥80.00" in page

    def test_the_approve_button_only_for_those_who_may(self, client, home, people):
        supervisor, keeper, director = people
        small = self.submitted(home, supervisor, "10.00")
        large = self.submitted(home, supervisor, "6000.00")
        own = self.submitted(home, keeper, "10.00")

        def shows_approve(user, req):
            client.force_login(user)
            response = client.get(self.url("detail", req))
            assert response.status_code == HTTPStatus.OK
            url = reverse("procurement:requisition_approve", args=[req.pk])
            shown = url in response.content.decode()
            assert shown == response.context["can_decide"]
            return shown

        assert shows_approve(keeper, small)
        assert not shows_approve(keeper, large)
        assert not shows_approve(keeper, own)
        assert not shows_approve(supervisor, small)
        assert shows_approve(director, large)
        client.force_login(keeper)
        assert "the director approves" in client.get(self.url("detail", large)).content.decode()

    def test_approve_by_post(self, client, home, people):
        supervisor, keeper, _director = people
        req = self.submitted(home, supervisor)
        url = reverse("procurement:requisition_approve", args=[req.pk])
        client.force_login(supervisor)  # may view and change, not approve
        assert client.post(url).status_code == HTTPStatus.FORBIDDEN
        req.refresh_from_db()
        assert req.status == RequisitionStatus.SUBMITTED
        client.force_login(keeper)
        assert client.post(url).status_code == HTTPStatus.FOUND
        req.refresh_from_db()
        assert req.status == RequisitionStatus.APPROVED and req.approved_by == keeper
        assert client.post(url).status_code == HTTPStatus.FOUND  # sent twice: refused politely
        req.refresh_from_db()
        assert req.approved_by == keeper

    def test_a_large_one_posted_by_the_stores_stays_submitted(self, client, home, people):
        supervisor, keeper, _director = people
        req = self.submitted(home, supervisor, "9999.00")
        client.force_login(keeper)
        response = client.post(
            reverse("procurement:requisition_approve", args=[req.pk]), follow=True
        )
        assert "director" in response.content.decode()
        req.refresh_from_db()
        assert req.status == RequisitionStatus.SUBMITTED

    def test_another_propertys_requisition_is_not_found(self, client, home, other, people):
        _supervisor, keeper, _director = people
        theirs = self.submitted(other, UserFactory(groups=["facilities_supervisor"]))
        client.force_login(keeper)
        assert client.get(self.url("detail", theirs)).status_code == HTTPStatus.NOT_FOUND
        for action in ("approve", "reject", "cancel", "submit"):
            url = reverse(f"procurement:requisition_{action}", args=[theirs.pk])
            assert client.post(url, {"reason": "x"}).status_code == HTTPStatus.NOT_FOUND
        theirs.refresh_from_db()
        assert theirs.status == RequisitionStatus.SUBMITTED

    def test_reject_through_the_page(self, client, home, people):
        supervisor, keeper, _director = people
        req = self.submitted(home, supervisor)
        url = reverse("procurement:requisition_reject", args=[req.pk])
        client.force_login(keeper)
        client.post(url, {"reason": ""})
        req.refresh_from_db()
        assert req.status == RequisitionStatus.SUBMITTED
        client.post(url, {"reason": "先用库存"})
        req.refresh_from_db()
        assert (req.status, req.decision_note) == (RequisitionStatus.REJECTED, "先用库存")

    def test_order_from_the_requisition(self, client, home, people):
        supervisor, keeper, _director = people
        first, second = ItemFactory(), ItemFactory()
        req = requisition(home, (first, 2, "15.00"), (second, 1, "3.00"), by=supervisor)
        services.submit_requisition(req, by=supervisor)
        url = reverse("procurement:requisition_order", args=[req.pk])
        client.force_login(keeper)
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND  # not approved yet
        services.approve_requisition(req, by=keeper)
        assert client.get(url).status_code == HTTPStatus.OK
        room = StoreroomFactory(property=home)
        supplier = SupplierFactory()
        with travel(MARCH):
            # A storeroom of another property is not offered.
            far = StoreroomFactory(property=PropertyFactory())
            refused = client.post(
                url, {"supplier": supplier.pk, "storeroom": far.pk, "promised_on": "2026-04-01"}
            )
            assert refused.status_code == HTTPStatus.OK and refused.context["form"].errors
            response = client.post(
                url, {"supplier": supplier.pk, "storeroom": room.pk, "promised_on": "2026-04-01"}
            )
        # Back from March, the session saved then has been idle for months.
        client.force_login(keeper)
        po = PurchaseOrder.objects.get()
        assert response.status_code == HTTPStatus.FOUND and response.url == po.get_absolute_url()
        assert (po.status, po.requisition, po.supplier, po.storeroom) == (
            OrderStatus.DRAFT,
            req,
            supplier,
            room,
        )
        assert sorted(po.lines.values_list("item_id", "quantity", "unit_price")) == sorted(
            [(first.pk, Decimal(2), Decimal("15.00")), (second.pk, Decimal(1), Decimal("3.00"))]
        )
        req.refresh_from_db()
        assert req.status == RequisitionStatus.ORDERED
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND  # ordered once
        assert PurchaseOrder.objects.count() == 1
        page = client.get(self.url("detail", req)).content.decode()
        assert po.get_absolute_url() in page

    def test_ordering_needs_the_permission(self, client, home, people):
        supervisor, keeper, _director = people
        req = approved(home, (ItemFactory(), 1, "1.00"), by=supervisor, approver=keeper)
        client.force_login(supervisor)
        url = reverse("procurement:requisition_order", args=[req.pk])
        assert client.get(url).status_code == HTTPStatus.FORBIDDEN
        assert client.get(self.url("detail", req)).context["can_order"] is False
        req.refresh_from_db()
        assert req.status == RequisitionStatus.APPROVED

    def test_a_drafts_header_amount_is_the_sum_of_its_lines(self, client, home, people):
        """Issue 12: the header showed 0.00 while the lines totalled ¥370.00."""
        supervisor, _keeper, _director = people
        client.force_login(supervisor)
        lamp, cable = ItemFactory(), ItemFactory()
        data = {
            **self.form_data(home),
            "lines-TOTAL_FORMS": "2",
            "lines-0-item": lamp.pk,
            "lines-0-quantity": "10",
            "lines-0-estimated_price": "35.00",
            "lines-1-item": cable.pk,
            "lines-1-quantity": "2",
            "lines-1-estimated_price": "10.00",
            "lines-1-note": "",
        }
        response = client.post(self.url("add"), data)
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        req = Requisition.objects.get()
        assert req.status == RequisitionStatus.DRAFT and req.amount == Decimal("370.00")
        page = client.get(self.url("detail", req))
        assert page.context["total"] == page.context["object"].amount == Decimal("370.00")
        assert "¥0.00" not in page.content.decode()
        # Editing the lines moves it too: one line removed.
        line = req.lines.get(item=cable)
        edit = {
            **data,
            "lines-INITIAL_FORMS": "2",
            "lines-0-id": req.lines.get(item=lamp).pk,
            "lines-1-id": line.pk,
            "lines-1-DELETE": "on",
        }
        response = client.post(self.url("edit", req), edit)
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        req.refresh_from_db()
        assert req.amount == Decimal("350.00")
        assert req.history.first().history_user == supervisor

    def test_the_list_amount_is_the_sum_of_the_lines_whatever_the_search(
        self, client, home, people
    ):
        supervisor, _keeper, _director = people
        lamp, cable = ItemFactory(name="灯管"), ItemFactory(name="灯线")
        req = requisition(
            home, (lamp, 10, "1.00"), (cable, 5, "2.00"), by=supervisor, purpose="灯具更换"
        )
        requisition(home, (ItemFactory(name="拖把"), 1, "9.00"), by=supervisor, purpose="保洁")
        client.force_login(supervisor)
        for query in ({"q": "灯"}, {"q": "灯管"}, {"q": "灯具 更换"}):
            response = client.get(self.url("list"), query)
            rows = [row.record for row in response.context["table"].page]
            assert [r.pk for r in rows] == [req.pk], query
            assert rows[0].lines_amount == Decimal("20.00"), query
        # Every column sorts, searching or not (DISTINCT and ORDER BY agree on PostgreSQL).
        for column in ("id", "property", "department", "purpose", "lines_amount", "status"):
            for sort in (column, f"-{column}"):
                response = client.get(self.url("list"), {"sort": sort, "q": "灯"})
                assert response.status_code == HTTPStatus.OK, sort
                assert len(response.context["table"].page.object_list) == 1, sort
        everything = client.get(self.url("list"), {"sort": "-lines_amount"})
        amounts = [row.record.lines_amount for row in everything.context["table"].page]
        assert amounts == [Decimal("20.00"), Decimal("9.00")]
        csv = (
            client.get(self.url("list"), {"_export": "csv", "q": "灯"})
            .getvalue()
            .decode("utf-8-sig")
        )
        assert len(csv.strip().splitlines()) == 2 and "20" in csv.splitlines()[1]

    def test_submitting_over_budget_through_the_page(self, client, home, people, settings):
        supervisor, _keeper, _director = people
        top = ItemCategoryFactory(name="照明")
        BudgetFactory(property=home, year=2026, category=top, amount=100)
        req = requisition(home, (ItemFactory(category=top), 2, "60.00"), by=supervisor)
        url = reverse("procurement:requisition_submit", args=[req.pk])
        client.force_login(supervisor)
        settings.PROCUREMENT_BUDGET_CHECK = "block"
        with travel(MARCH):
            page = client.post(url, follow=True).content.decode()
        assert "Over budget:" in page and "¥100.00 left" in page
        req.refresh_from_db()
        assert req.status == RequisitionStatus.DRAFT
        settings.PROCUREMENT_BUDGET_CHECK = "warn"
        with travel(MARCH):
            page = client.post(url, follow=True).content.decode()
        req.refresh_from_db()
        assert req.status == RequisitionStatus.SUBMITTED
        assert 'id="budget-warning"' in page and "needs ¥120.00" in page


@pytest.mark.django_db
class TestAddToPlanPage:
    @pytest.fixture
    def level(self, property_a):
        return StockLevelFactory(
            storeroom=StoreroomFactory(property=property_a), minimum=5, maximum=25
        )

    def url(self, level):
        return reverse("procurement:stocklevel_add_to_plan", args=[level.pk])

    def test_get_and_post(self, client, property_a, keeper, level):
        client.force_login(keeper)
        with travel("2026-05-14 10:00 +0800"):
            page = client.get(self.url(level))
            assert page.status_code == HTTPStatus.OK
            assert page.context["on_hand"] == 0
            assert page.context["period"] == f"{property_a.code} 2026-05"
            response = client.post(self.url(level), {"quantity": ""})
            again = client.post(self.url(level), {"quantity": "3"}, follow=True)
        plan = PurchasePlan.objects.get()
        assert response.status_code == HTTPStatus.FOUND and response.url == plan.get_absolute_url()
        assert (plan.property, plan.year, plan.number) == (property_a, 2026, 5)
        line = plan.lines.get()
        assert (line.item, line.quantity) == (level.item, 25)
        assert "already in the plan" in again.content.decode()

    def test_a_chosen_quantity(self, client, keeper, level):
        client.force_login(keeper)
        response = client.post(self.url(level), {"quantity": "7"})
        assert response.status_code == HTTPStatus.FOUND
        assert PurchasePlanLine.objects.get().quantity == 7
        bad = client.post(
            self.url(StockLevelFactory(storeroom=level.storeroom)), {"quantity": "-1"}
        )
        assert bad.status_code == HTTPStatus.OK and bad.context["form"].errors
        assert PurchasePlanLine.objects.count() == 1

    def test_no_longer_below_minimum(self, client, keeper, level):
        services.post_movement(
            level.item, level.storeroom, 6, MovementKind.OPENING, by=keeper, unit_cost=1
        )
        client.force_login(keeper)
        assert client.get(self.url(level)).context["on_hand"] is None
        response = client.post(self.url(level), {"quantity": ""})
        assert response.status_code == HTTPStatus.OK
        assert "no longer below" in str(response.context["form"].errors)
        assert not PurchasePlan.objects.exists()

    def test_permission_and_property(self, client, property_a, supervisor, keeper, level):
        client.force_login(supervisor)  # views procurement, plans nothing
        assert client.get(self.url(level)).status_code == HTTPStatus.FORBIDDEN
        assert client.post(self.url(level), {}).status_code == HTTPStatus.FORBIDDEN
        theirs = StockLevelFactory(storeroom=StoreroomFactory(property=PropertyFactory()))
        client.force_login(keeper)
        assert client.get(self.url(theirs)).status_code == HTTPStatus.NOT_FOUND
        assert client.post(self.url(theirs), {}).status_code == HTTPStatus.NOT_FOUND
        assert not PurchasePlan.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_do_not_overdraw_a_blocking_budget(settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (CI)")
    settings.PROCUREMENT_BUDGET_CHECK = "block"
    home = PropertyFactory()
    top = ItemCategoryFactory()
    BudgetFactory(property=home, year=2026, category=top, amount=1000)
    requester = UserFactory(groups=["facilities_supervisor"], properties=[home])
    keeper = UserFactory(groups=["stores"], properties=[home])
    barrier, outcomes = threading.Barrier(6), []

    def approve(req):
        try:
            barrier.wait()
            services.approve_requisition(req, by=keeper)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    with travel(MARCH):
        waiting = []
        for _ in range(6):
            req = requisition(home, (ItemFactory(category=top), 1, "300.00"), by=requester)
            waiting.append(services.submit_requisition(req, by=requester))
        threads = [threading.Thread(target=approve, args=(req,)) for req in waiting]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) == ["approved"] * 3 + ["refused"] * 3
    used = usage([home.pk], 2026)[(home.pk, top.pk)]
    assert used.reserved == Decimal("900.00") and used.remaining == Decimal("100.00")
