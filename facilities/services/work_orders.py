"""Work orders: open, move through their statuses, record what was done and used.

Every function is atomic and takes the acting user as ``by``. Status changes go through the
declared workflow (``facilities.models.WORK_ORDER``, on ``core.workflow``): the order is
locked, the step checked against the table and written on the order's timeline.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import checklists
from core.checklists import apply_answers
from core.workflow import save_with_history

from .. import texts
from ..models import (
    TITLE_PREFIX,
    WORK_ORDER,
    ChecklistKind,
    ChecklistResult,
    DowntimeReason,
    EventKind,
    GeneratedTitle,
    Priority,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderKind,
    WorkOrderPart,
    WorkOrderPhoto,
    WorkOrderSequence,
    WorkOrderSource,
    WorkOrderStatus,
)
from .downtime import end_downtime, start_downtime

S = WorkOrderStatus
# While work can still be recorded on the order (parts, checks, photos, notes).
WORKING = (S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD)
MAX_HOURS = Decimal("10000")
MAX_COST = Decimal("1000000000")


def next_numbers(year, count=1):
    """WO-2026-000123, …: the next ``count`` numbers of the year. The year's sequence row
    stays locked until the transaction ends, so numbers are never given twice."""
    try:
        with transaction.atomic():
            WorkOrderSequence.objects.get_or_create(year=year)
    except IntegrityError:  # created meanwhile by another transaction
        pass
    sequence = WorkOrderSequence.objects.select_for_update().get(year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return [f"WO-{year}-{n:06d}" for n in range(first, sequence.last + 1)]


def targets(priority, opened_at):
    """When a new order of ``priority`` must be answered and resolved."""
    respond, resolve = settings.FACILITIES_TARGET_HOURS[priority]
    return opened_at + timedelta(hours=respond), opened_at + timedelta(hours=resolve)


def end_of(day):
    """The first moment after ``day`` (local time): a job due on a day is late after it."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@transaction.atomic
def open_work_order(
    *,
    title,
    by,
    property=None,
    equipment=None,
    location=None,
    kind=WorkOrderKind.REPAIR,
    source=WorkOrderSource.MANUAL,
    priority=Priority.NORMAL,
    description="",
    assignee=None,
    contractor=None,
    due_on=None,
    plan=None,
    parent=None,
    source_object=None,
    reported_by=None,
    contact="",
    opened_at=None,
    title_key="",
    title_params=None,
):
    """Open a work order with its number, targets and (from a plan) its checklist. A
    generated title comes as its ``title_key`` and facts (``title_params``), with ``title``
    the facts as search should find them."""
    opened_at = opened_at or timezone.now()
    if property is None:
        property = equipment.property if equipment is not None else location.property
    if location is None and equipment is not None:
        location = equipment.location
    order = WorkOrder(
        property=property,
        equipment=equipment,
        location=location,
        kind=kind,
        source=source,
        priority=priority,
        title=title.strip()[:160],
        title_key=title_key,
        title_params=title_params or {},
        description=description,
        assignee=assignee,
        contractor=contractor,
        due_on=due_on,
        plan=plan,
        parent=parent,
        reported_by=reported_by,
        contact=contact,
    )
    if source_object is not None:
        order.source_type = ContentType.objects.get_for_model(source_object)
        order.source_id = source_object.pk
    if due_on is not None and kind == WorkOrderKind.PREVENTIVE:
        order.resolve_by = end_of(due_on)
    else:
        order.respond_by, order.resolve_by = targets(priority, opened_at)
        if due_on is not None:
            order.resolve_by = min(order.resolve_by, end_of(due_on))
    if assignee is not None or contractor is not None:
        order.status, order.assigned_at = S.ASSIGNED, opened_at
    # The fields and the cross-record rules; the table's constraints are checked by the
    # database itself (validating them here costs a query each, per order generated).
    order.clean_fields(exclude=["number"])
    order.clean()
    order.number = next_numbers(timezone.localtime(opened_at).year)[0]
    try:
        with transaction.atomic():
            save_with_history(order, by)
    except IntegrityError as exc:
        raise ValidationError(
            _("This work order could not be opened: it conflicts with another record.")
        ) from exc
    # created_at is the moment the job was opened (the demo writes history in the past).
    WorkOrder.objects.filter(pk=order.pk).update(created_at=opened_at)
    order.created_at = opened_at
    WorkOrderEvent.objects.record(
        order, EventKind.CREATED, by=by, status_to=order.status, at=opened_at
    )
    if plan is not None:
        ChecklistResult.objects.bulk_create(
            ChecklistResult(work_order=order, **item.step()) for item in plan.items.all()
        )
    return order


EDITABLE = ("title", "equipment", "location", "priority", "due_on", "description", "contact")


@transaction.atomic
def update_work_order(work_order, changes, *, by):
    """Correct an open order's description, place, priority or due date (``changes``: field →
    value), under a lock so a step taken meanwhile is not undone; a new priority or due date
    moves the targets."""
    order = _locked(work_order)
    if not order.is_open:
        raise ValidationError(_("A finished or cancelled work order is not edited."))
    changes = {name: value for name, value in changes.items() if name in EDITABLE}
    shown = order.display_title
    if "title" in changes and changes["title"] in (shown, shown[: WorkOrder.TITLE_LENGTH]):
        del changes["title"]  # the generated title shown in the form, sent back unchanged
    for name, value in changes.items():
        setattr(order, name, value)
    fields = list(changes)
    if "title" in changes and order.title_key:
        order.title_key, order.title_params = "", {}  # now a title someone typed
        fields += ["title_key", "title_params"]
    if {"priority", "due_on"} & set(changes):
        if order.kind == WorkOrderKind.PREVENTIVE and order.due_on is not None:
            order.resolve_by = end_of(order.due_on)
        else:
            order.respond_by, order.resolve_by = targets(order.priority, order.created_at)
            if order.due_on is not None:
                order.resolve_by = min(order.resolve_by, end_of(order.due_on))
        fields += ["respond_by", "resolve_by"]
    order.clean()
    if fields:
        save_with_history(order, by, fields)
        WorkOrderEvent.objects.record(
            order, EventKind.NOTE, by=by, text_key=texts.DETAILS_CORRECTED
        )
    return order


def _locked(work_order):
    return WORK_ORDER.lock(work_order, "equipment", "plan", "assignee")


def _check_assignee(work_order, assignee):
    if assignee is not None and assignee.property_id != work_order.property_id:
        raise ValidationError(_("This person works at another property."))


@transaction.atomic
def assign(work_order, *, by, assignee=None, contractor=None):
    if assignee is None and contractor is None:
        raise ValidationError(_("Choose who does the work: an employee or a contractor."))
    order = _locked(work_order)
    _check_assignee(order, assignee)
    return WORK_ORDER.step(
        order,
        "assign",
        by=by,
        text=str(assignee or contractor),
        assignee=assignee,
        contractor=contractor,
        assigned_at=timezone.now(),
    )


@transaction.atomic
def start(work_order, *, by):
    """Work begins. An order nobody was given goes to whoever starts it, when that person
    is an employee of the property."""
    order = _locked(work_order)
    now = timezone.now()
    values = {"started_at": order.started_at or now}
    if order.assignee_id is None and order.contractor_id is None:
        employee = getattr(by, "employee", None)
        if employee is not None and employee.property_id == order.property_id:
            values.update(assignee=employee, assigned_at=now)
    return WORK_ORDER.step(order, "start", by=by, **values)


@transaction.atomic
def hold(work_order, *, reason, by):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the work is on hold."))
    order = _locked(work_order)
    return WORK_ORDER.step(order, "hold", by=by, text=reason, hold_reason=reason[:200])


@transaction.atomic
def resume(work_order, *, by):
    order = _locked(work_order)
    return WORK_ORDER.step(order, "resume", by=by, hold_reason="")


def _clean_amount(value, limit, message):
    value = Decimal(value if value is not None else 0)
    if not value.is_finite() or value < 0 or value >= limit:
        raise ValidationError(message)
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def complete(work_order, *, resolution, labour_hours, by, external_cost=None, back_in_service=True):
    """The work is done: what was done, the hours, every checklist step answered. The
    equipment's downtime opened for this order ends, and a floating plan counts its next
    date from today."""
    from .planning import plan_completed  # planning opens orders through this module

    order = _locked(work_order)
    WORK_ORDER.check(order, "complete")
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError(_("Describe the work done."))
    unanswered = [r.text for r in order.results.all() if not r.answered]
    if unanswered:
        raise ValidationError(
            _("Answer every checklist step first: %(steps)s") % {"steps": "; ".join(unanswered)}
        )
    order.labour_hours = _clean_amount(
        labour_hours, MAX_HOURS, _("Labour hours are zero or more, below 10,000.")
    )
    if external_cost is not None:
        order.external_cost = _clean_amount(
            external_cost, MAX_COST, _("The contractor cost is zero or more.")
        )
    now = timezone.now()
    WORK_ORDER.step(
        order,
        "complete",
        by=by,
        fields=["labour_hours", "external_cost"],
        resolution=resolution,
        completed_at=now,
        completed_by=by,
    )
    if back_in_service:
        for downtime in order.downtimes.open():
            end_downtime(downtime, by=by, ended_at=now)
    if order.plan_id:
        plan_completed(order.plan, timezone.localdate(now))
    return order


@transaction.atomic
def verify(work_order, *, rating, by, note=""):
    """A supervisor's sign-off, with a quality rating from 1 to 5; not one's own work."""
    order = _locked(work_order)
    WORK_ORDER.check(order, "verify")
    if rating is None or not 1 <= int(rating) <= 5:
        raise ValidationError(_("Rate the quality from 1 to 5."))
    if order.completed_by_id and order.completed_by_id == by.pk:
        raise ValidationError(_("Someone other than who completed the work verifies it."))
    return WORK_ORDER.step(
        order,
        "verify",
        by=by,
        text=note.strip(),
        rating=int(rating),
        verified_at=timezone.now(),
        verified_by=by,
    )


@transaction.atomic
def send_back(work_order, *, reason, by):
    """Rework: the job was not done right. It goes back to the assignee and is counted."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say what is still wrong."))
    order = _locked(work_order)
    WORK_ORDER.check(order, "send_back")
    return WORK_ORDER.step(
        order,
        "send_back",
        by=by,
        text=reason,
        rework_count=order.rework_count + 1,
        completed_at=None,
        completed_by=None,
        verified_at=None,
        verified_by=None,
        rating=None,
    )


@transaction.atomic
def close(work_order, *, by):
    order = _locked(work_order)
    return WORK_ORDER.step(order, "close", by=by, closed_at=timezone.now())


@transaction.atomic
def cancel(work_order, *, reason, by):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the work order is cancelled."))
    order = _locked(work_order)
    WORK_ORDER.check(order, "cancel")
    if order.parts.filter(returned__lt=F("quantity")).exists():
        raise ValidationError(
            _(
                "Parts were used on this order: return them to stock, or complete it "
                "instead of cancelling it."
            )
        )
    WORK_ORDER.step(
        order,
        "cancel",
        by=by,
        text=reason,
        cancel_reason=reason[:200],
        cancelled_at=timezone.now(),
    )
    # A duplicate fault report must not keep its equipment out of service.
    for downtime in order.downtimes.open():
        end_downtime(downtime, by=by, ended_at=order.cancelled_at)
    return order


def _check_working(order):
    if order.status not in WORKING:
        raise ValidationError(
            _("Work is recorded while the order is assigned, in progress or on hold.")
        )


@transaction.atomic
def add_note(work_order, *, text, by):
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note first."))
    return WorkOrderEvent.objects.record(work_order, EventKind.NOTE, by=by, text=text[:2000])


@transaction.atomic
def record_checklist(work_order, answers, *, by):
    """Record checklist answers: ``answers`` maps result ids to dicts of ``checked_ok``,
    ``number``, ``answer`` and ``photo``. Returns the results that failed."""
    order = _locked(work_order)
    if order.status != S.IN_PROGRESS:
        raise ValidationError(_("Start the work before recording the checklist."))
    changed, failed = apply_answers(
        order.results.all(), answers, exclude=["work_order", "follow_up"]
    )
    if changed:
        WorkOrderEvent.objects.record(
            order,
            EventKind.CHECK,
            by=by,
            text_key=texts.CHECKLIST_RECORDED,
            text_params={"count": len(changed), "failed": len(failed)},
        )
    return failed


@transaction.atomic
def open_follow_up(result, *, by, priority=Priority.NORMAL, assignee=None):
    """A failed checklist step becomes a repair order, linked both ways, in one step."""

    def make(result):
        parent = result.work_order
        detail = result.text
        if result.kind in (ChecklistKind.NUMBER, ChecklistKind.SCORE) and result.answered:
            detail = f"{result.text}: {result.describe_answer()} ({result.describe_range()})"
        return open_work_order(
            title=result.text,
            title_key=GeneratedTitle.FAILED_CHECK,
            title_params={"check": result.text},
            description=detail,
            by=by,
            property=parent.property,
            equipment=parent.equipment,
            location=parent.location,
            kind=WorkOrderKind.REPAIR,
            source=WorkOrderSource.FOLLOW_UP,
            priority=priority,
            parent=parent,
            assignee=assignee,
        )

    follow_up = checklists.open_follow_up(
        result,
        make,
        related=("work_order__equipment", "work_order__location", "work_order__property"),
        not_failed=_("Only a failed step opens a follow-up order."),
        already=_("This step already has its follow-up order."),
    )
    WorkOrderEvent.objects.record(
        follow_up.parent,
        EventKind.NOTE,
        by=by,
        text_key=texts.FOLLOW_UP_OPENED,
        text_params={"number": follow_up.number, "check": result.text},
    )
    return follow_up


@transaction.atomic
def use_parts(work_order, storeroom, lines, *, by):
    """Issue parts to the order from ``storeroom`` (``lines``: item → quantity) through the
    stock ledger: stock goes down and the order's cost goes up in the same transaction, all
    lines or none."""
    from procurement.services import issue_items

    order = _locked(work_order)
    _check_working(order)
    if storeroom.property_id != order.property_id:
        raise ValidationError(_("This storeroom is at another property."))
    if not lines:
        raise ValidationError(_("Add at least one part."))
    employee = order.assignee
    movements = issue_items(
        storeroom,
        lines,
        by=by,
        department=employee.department if employee is not None else None,
        employee=employee,
        work_order_ref=order.number,
        reference=order.number,
        # The order's title; a generated one worded for each reader of the ledger.
        note=order.title[:200],
        note_key=f"{TITLE_PREFIX}{order.title_key}" if order.title_key else "",
        note_params=order.title_params if order.title_key else None,
    )
    parts = WorkOrderPart.objects.bulk_create(
        WorkOrderPart(
            work_order=order,
            movement=movement,
            item=movement.item,
            storeroom=storeroom,
            quantity=-movement.quantity,
            value=-movement.value,
            issued_by=by,
        )
        for movement in movements
    )
    total = sum((part.value for part in parts), Decimal(0))
    order.parts_cost += total
    save_with_history(order, by, ["parts_cost"])
    WorkOrderEvent.objects.record(
        order,
        EventKind.PART,
        by=by,
        text_key=texts.PART_USED,
        text_params=[{"item": part.item, "quantity": part.quantity} for part in parts],
    )
    return parts


@transaction.atomic
def return_part(part, quantity, *, by):
    """Unused parts go back to their storeroom at the cost they were issued at: the stock
    comes back up and the order's cost goes down by the same value, in one transaction."""
    from procurement.models import MovementKind
    from procurement.services import post_movement

    part = (
        WorkOrderPart.objects.select_for_update(of=("self",))
        .select_related("item", "storeroom")
        .get(pk=part.pk)
    )
    order = _locked(part.work_order)
    _check_working(order)
    quantity = Decimal(quantity)
    if not quantity.is_finite() or quantity <= 0 or quantity > part.used:
        raise ValidationError(
            _("Between 0 and %(used)s %(unit)s can come back.")
            % {"used": f"{part.used.normalize():f}", "unit": part.item.unit}
        )
    remaining = part.used
    value = (
        part.used_value
        if quantity == remaining
        else (part.used_value * quantity / remaining).quantize(Decimal("0.01"))
    )
    post_movement(
        part.item,
        part.storeroom,
        quantity,
        MovementKind.RETURN,
        by=by,
        value=value,
        reference=order.number,
        work_order_ref=order.number,
        note=order.number,
        note_key=texts.BACK_FROM_ORDER,
        note_params={"order": order.number},
    )
    part.returned += quantity
    part.returned_value += value
    part.save(update_fields=["returned", "returned_value"])
    order.parts_cost -= value
    save_with_history(order, by, ["parts_cost"])
    WorkOrderEvent.objects.record(
        order,
        EventKind.PART,
        by=by,
        text_key=texts.PART_RETURNED,
        text_params={"item": part.item, "quantity": quantity},
    )
    return part


@transaction.atomic
def add_photo(work_order, *, stage, image, by, caption=""):
    order = _locked(work_order)
    if order.status in (S.CLOSED, S.CANCELLED):
        raise ValidationError(_("This work order is closed."))
    photo = WorkOrderPhoto(
        work_order=order, stage=stage, image=image, caption=caption.strip(), uploaded_by=by
    )
    photo.full_clean()
    photo.save()
    WorkOrderEvent.objects.record(
        order, EventKind.PHOTO, by=by, text=photo.caption, text_key=texts.PHOTO[photo.stage]
    )
    return photo


@transaction.atomic
def report_fault(
    *,
    by,
    description,
    equipment=None,
    location=None,
    priority=Priority.NORMAL,
    out_of_service=False,
    contact="",
    photo=None,
):
    """A fault reported on the floor (from the equipment's QR label or the menu) opens a
    repair order; equipment out of service starts its downtime at once."""
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("Describe the fault."))
    if equipment is None and location is None:
        raise ValidationError(_("Say which equipment or which place the work is on."))
    title = description.splitlines()[0][:80]
    order = open_work_order(
        title=title,
        title_key=GeneratedTitle.FAULT,
        title_params={"what": title},
        description=description,
        by=by,
        equipment=equipment,
        location=location,
        kind=WorkOrderKind.REPAIR,
        source=WorkOrderSource.FAULT_REPORT,
        priority=priority,
        reported_by=by,
        contact=contact.strip(),
    )
    if photo:
        add_photo(order, stage="before", image=photo, by=by)
    if out_of_service and equipment is not None and not equipment.downtimes.open().exists():
        start_downtime(equipment, reason=DowntimeReason.FAILURE, work_order=order, by=by)
    return order
