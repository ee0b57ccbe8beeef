"""Purchase plans and requisitions: submit, approve by amount, the budget check."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core import texts
from core.workflow import save_with_history

from ..budgets import AMOUNT, CENT, check_requisition
from ..dashboard import levels_below_minimum
from ..models import (
    PURCHASE_PLAN,
    REQUISITION,
    Budget,
    PlanPeriod,
    PlanStatus,
    PurchasePlan,
    PurchasePlanLine,
    Requisition,
    RequisitionLine,
    RequisitionStatus,
    StockLevel,
)
from ..texts import BELOW_MINIMUM, OVER_BUDGET, PLAN_REQUISITION
from .stock import MAX_VALUE


def _money(value):
    return "¥" + number_format(value, 2, force_grouping=True)


# --- plans ------------------------------------------------------------------------------------


def _suggestion(level):
    """The quantity to plan for a level below its minimum, and the line's reason as fields
    (a message worded for each reader, ``core.texts``; ``reason`` keeps its facts)."""
    quantity = max(level.maximum - level.on_hand, level.minimum - level.on_hand)
    key, params = texts.stored(BELOW_MINIMUM, {"on_hand": level.on_hand, "minimum": level.minimum})
    reason = {"reason": texts.facts_text(params), "reason_key": key, "reason_params": params}
    return quantity, reason


@transaction.atomic
def suggest_plan_lines(plan, *, by):
    """Add a line for every item below its minimum in the plan's property (up to its
    maximum), unless the plan already has it. Returns the lines added."""
    plan = PURCHASE_PLAN.lock(plan, "property")
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("Only a draft plan can be changed."))
    present = set(plan.lines.values_list("item_id", flat=True))
    wanted = {}
    low = levels_below_minimum(
        StockLevel.objects.filter(
            storeroom__property_id=plan.property_id, storeroom__active=True, item__active=True
        )
    ).select_related("item")
    for level in low:
        if level.item_id in present:
            continue
        quantity, reason = _suggestion(level)
        if level.item_id in wanted:  # the same item low in two storerooms of the property
            line = wanted[level.item_id]
            line.quantity += quantity
            continue
        wanted[level.item_id] = PurchasePlanLine(
            plan=plan,
            item=level.item,
            quantity=quantity,
            estimated_price=level.item.standard_price,
            **reason,
        )
    return PurchasePlanLine.objects.bulk_create(list(wanted.values()))


def _current_plan(property_id, day):
    plan, _created = PurchasePlan.objects.get_or_create(
        property_id=property_id,
        year=day.year,
        period=PlanPeriod.MONTH,
        number=day.month,
    )
    return plan


@transaction.atomic
def add_to_plan(level, *, by, quantity=None, day=None):
    """The reminder's one click: put an item below its minimum on this month's plan of its
    property (created if need be). Returns (line, created)."""
    day = day or timezone.localdate()
    level = (
        levels_below_minimum(StockLevel.objects.filter(pk=level.pk))
        .select_related("item", "storeroom")
        .first()
    )
    if level is None:
        raise ValidationError(_("This item is no longer below its minimum."))
    plan = PURCHASE_PLAN.lock(_current_plan(level.storeroom.property_id, day), "property")
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            _("The plan %(plan)s has been submitted already; add the item to a requisition.")
            % {"plan": plan}
        )
    suggested, reason = _suggestion(level)
    quantity = Decimal(quantity) if quantity else suggested
    if quantity <= 0:
        raise ValidationError(_("Give a quantity above zero."))
    line = plan.lines.filter(item=level.item).first()
    if line is not None:
        return line, False
    line = PurchasePlanLine.objects.create(
        plan=plan,
        item=level.item,
        quantity=quantity,
        estimated_price=level.item.standard_price,
        **reason,
    )
    return line, True


@transaction.atomic
def submit_plan(plan, *, by):
    plan = PURCHASE_PLAN.lock(plan, "property")
    PURCHASE_PLAN.check(plan, "submit")
    if not plan.lines.exists():
        raise ValidationError(_("Add at least one line before submitting."))
    return PURCHASE_PLAN.step(
        plan, "submit", by=by, submitted_by=by, submitted_at=timezone.now(), return_reason=""
    )


@transaction.atomic
def return_plan(plan, *, by, reason):
    plan = PURCHASE_PLAN.lock(plan, "property")
    PURCHASE_PLAN.check(plan, "send_back")
    if not reason.strip():
        raise ValidationError(_("Give the reason for sending it back."))
    return PURCHASE_PLAN.step(
        plan, "send_back", by=by, text=reason.strip(), return_reason=reason.strip()
    )


@transaction.atomic
def approve_plan(plan, *, by):
    """The director's yes: the plan's lines become one approved requisition of its property,
    ready to be ordered or put out to quotation. A second approval changes nothing."""
    plan = PURCHASE_PLAN.lock(plan, "property")
    PURCHASE_PLAN.check(plan, "approve")
    if plan.submitted_by_id == by.pk and not by.is_superuser:
        raise ValidationError(_("Someone other than the submitter approves a plan."))
    now = timezone.now()
    requisition = Requisition(
        property=plan.property,
        # "Purchase plan JLG 2026-12" in each reader's language; the plan's name for search.
        purpose=str(plan),
        purpose_key=PLAN_REQUISITION,
        purpose_params=texts.facts({"plan": plan}),
        plan=plan,
        status=RequisitionStatus.APPROVED,
        requested_by=plan.submitted_by,
        submitted_at=plan.submitted_at,
        approved_by=by,
        approved_at=now,
    )
    save_with_history(requisition, by)
    RequisitionLine.objects.bulk_create(
        RequisitionLine(
            requisition=requisition,
            item_id=line.item_id,
            quantity=line.quantity,
            estimated_price=line.estimated_price,
            note=line.reason,
            note_key=line.reason_key,
            note_params=line.reason_params,
        )
        for line in plan.lines.all()
    )
    requisition.amount = _amount(requisition)
    # The director's approval of the plan is a requisition's approval: block mode refuses it
    # the same way (the plan then stays submitted).
    _set_budget_warning(requisition, _check_budget(requisition, now))
    save_with_history(requisition, by, ["amount", *WARNING_FIELDS])
    REQUISITION.record(
        requisition, "approve", by=by, status_to=requisition.status, text=str(plan), at=now
    )
    PURCHASE_PLAN.step(plan, "approve", by=by, at=now, approved_by=by, approved_at=now)
    return requisition


# --- requisitions -----------------------------------------------------------------------------


def _amount(requisition):
    total = requisition.lines.aggregate(
        total=Sum(F("quantity") * F("estimated_price"), output_field=AMOUNT)
    )["total"]
    total = (total or Decimal(0)).quantize(CENT)
    if total >= MAX_VALUE:
        raise ValidationError(_("The amount is beyond what can be recorded: check the lines."))
    return total


@transaction.atomic
def refresh_requisition_amount(requisition, *, by=None):
    """Store the sum of the lines as the requisition's amount, so the header never shows
    0.00 over lines that add up to more. Called whenever a draft's lines change (the edit
    page, admin, the demo); lines freeze once it is submitted, and submitting takes the sum
    once more, the amount the approval threshold is judged on."""
    requisition = REQUISITION.lock(requisition, "property")
    if requisition.status != RequisitionStatus.DRAFT:
        return requisition
    amount = _amount(requisition)
    if requisition.amount != amount:
        requisition.amount = amount
        save_with_history(requisition, by, ["amount"])
    return requisition


def _budget_problems(requisition, when):
    """The facts of each category the requisition takes beyond its budget."""
    year = timezone.localtime(when).year
    return [
        {
            "category": check.category_name,
            "left": check.usage.remaining,
            "year": year,
            "need": check.need,
        }
        for check in check_requisition(requisition, year)
        if check.exceeded
    ]


WARNING_FIELDS = ["budget_warning", "budget_warning_key", "budget_warning_params"]


def _set_budget_warning(requisition, problems):
    """Keep the warning on the record as facts, one line per category, worded for each
    reader (``core.texts``); none when nothing is over budget."""
    key, params = texts.stored(OVER_BUDGET, problems) if problems else ("", {})
    requisition.budget_warning = texts.facts_text(params) if problems else ""
    requisition.budget_warning_key, requisition.budget_warning_params = key, params


def _check_budget(requisition, when):
    """Block or warn, as configured; returns the facts of the warning to keep on the record
    (:func:`_set_budget_warning`). The property's budgets for the year are locked first: two
    approvals at the same moment cannot both take the last of the money."""
    list(
        Budget.objects.select_for_update()
        .filter(property_id=requisition.property_id, year=timezone.localtime(when).year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    problems = _budget_problems(requisition, when)
    if problems and settings.PROCUREMENT_BUDGET_CHECK == "block":
        lines = texts.worded(OVER_BUDGET, texts.facts(problems)).splitlines()
        raise ValidationError([_("Over budget:"), *lines])
    return problems


@transaction.atomic
def submit_requisition(requisition, *, by):
    requisition = REQUISITION.lock(requisition, "property")
    REQUISITION.check(requisition, "submit")
    if not requisition.lines.exists():
        raise ValidationError(_("Add at least one line before submitting."))
    if requisition.requested_by_id not in (None, by.pk) and not by.is_superuser:
        # Whoever submits is the requester: nobody submits (and then approves) another's.
        raise ValidationError(_("Only the requester submits a requisition."))
    now = timezone.now()
    requisition.amount = _amount(requisition)
    _set_budget_warning(requisition, _check_budget(requisition, now))
    return REQUISITION.step(
        requisition,
        "submit",
        by=by,
        at=now,
        fields=["amount", *WARNING_FIELDS],
        submitted_at=now,
        requested_by=requisition.requested_by or by,
    )


def approval_limit():
    return Decimal(settings.PROCUREMENT_SUPERVISOR_LIMIT)


def can_approve(user, requisition):
    """Supervisors approve up to the limit, the director above it; nobody their own."""
    if not user.has_perm("procurement.approve_requisition"):
        return False
    if requisition.requested_by_id == user.pk and not user.is_superuser:
        return False
    return requisition.amount <= approval_limit() or user.has_perm(
        "procurement.approve_large_requisition"
    )


@transaction.atomic
def approve_requisition(requisition, *, by):
    """Approve a submitted requisition, if the approver's limit covers its amount; the budget
    is checked again (it may have been used meanwhile). A second approval changes nothing."""
    requisition = REQUISITION.lock(requisition, "property")
    REQUISITION.check(requisition, "approve")
    if requisition.requested_by_id == by.pk and not by.is_superuser:
        raise ValidationError(_("Someone other than the requester approves a requisition."))
    if not can_approve(by, requisition):
        raise ValidationError(
            _("Requisitions above %(limit)s are approved by the director.")
            % {"limit": _money(approval_limit())}
        )
    now = timezone.now()
    _set_budget_warning(requisition, _check_budget(requisition, now))
    return REQUISITION.step(
        requisition,
        "approve",
        by=by,
        at=now,
        fields=WARNING_FIELDS,
        approved_by=by,
        approved_at=now,
    )


@transaction.atomic
def reject_requisition(requisition, *, by, reason):
    requisition = REQUISITION.lock(requisition, "property")
    REQUISITION.check(requisition, "reject")
    if not reason.strip():
        raise ValidationError(_("Give the reason for rejecting."))
    if not can_approve(by, requisition):
        raise ValidationError(_("You cannot decide on this requisition."))
    now = timezone.now()
    return REQUISITION.step(
        requisition,
        "reject",
        by=by,
        at=now,
        text=reason.strip(),
        decision_note=reason.strip(),
        approved_by=by,
        approved_at=now,
    )


@transaction.atomic
def cancel_requisition(requisition, *, by, reason):
    requisition = REQUISITION.lock(requisition, "property")
    REQUISITION.check(requisition, "cancel")
    if requisition.rfqs.exclude(status="cancelled").exists():
        raise ValidationError(_("Cancel its request for quotation first."))
    if requisition.status == RequisitionStatus.APPROVED and not by.has_perm(
        "procurement.approve_requisition"
    ):
        raise ValidationError(_("An approved requisition is cancelled by those who approve."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for cancelling."))
    return REQUISITION.step(
        requisition, "cancel", by=by, text=reason.strip(), decision_note=reason.strip()
    )
