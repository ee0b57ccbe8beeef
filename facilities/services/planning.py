"""Maintenance plans: created from templates, and the daily generation of their orders.

Generation is idempotent (one order per plan and due date, a unique constraint, under a lock
on the plan) and catches up: after days without a run, every missed date of a fixed plan gets
its order, dated on the day it was due.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.workflow import save_with_history

from ..models import (
    OPEN_STATUSES,
    ChecklistItem,
    EquipmentStatus,
    MaintenancePlan,
    ScheduleMode,
    WorkOrder,
    WorkOrderKind,
    WorkOrderSource,
)
from ..models.plans import MAX_LEAD_DAYS

logger = logging.getLogger(__name__)
# Orders one plan may get in one run; a plan far behind continues in the next run.
MAX_CATCH_UP = 60


@transaction.atomic
def plan_from_template(template, equipment, *, starts_on, by, assignee=None, contractor=None):
    """A plan for ``equipment`` with the template's schedule and checklist."""
    plan = MaintenancePlan(
        equipment=equipment,
        template=template,
        title=template.title,
        unit=template.unit,
        interval=template.interval,
        weekdays=template.weekdays,
        mode=template.mode,
        lead_days=template.lead_days,
        starts_on=starts_on,
        next_due=starts_on,
        assignee=assignee,
        contractor=contractor if assignee is None else None,
    )
    plan.full_clean()
    save_with_history(plan, by)
    copy_checklist(template, plan)
    return plan


def copy_checklist(template, plan):
    ChecklistItem.objects.bulk_create(
        ChecklistItem(plan=plan, **item.step()) for item in template.items.all()
    )


@transaction.atomic
def apply_template(template, equipment, *, starts_on, by):
    """Plans from ``template`` for each piece of ``equipment`` that has none from it yet."""
    have = set(
        MaintenancePlan.objects.filter(template=template, equipment__in=equipment).values_list(
            "equipment_id", flat=True
        )
    )
    made = []
    for item in equipment:
        if item.pk in have or item.status == EquipmentStatus.RETIRED:
            continue
        try:
            with transaction.atomic():
                made.append(
                    plan_from_template(
                        template,
                        item,
                        starts_on=starts_on,
                        by=by,
                        contractor=item.contractor if item.contractor_id else None,
                    )
                )
        except IntegrityError:  # made meanwhile by someone applying the same template
            continue
    return made


def generate_due_work_orders(day=None):
    """The daily task: open the preventive orders of every plan due within its lead days.
    Each plan is its own transaction: one that fails is logged and the others go on."""
    day = day or timezone.localdate()
    made = []
    candidates = (
        MaintenancePlan.objects.active()
        .filter(next_due__lte=day + timedelta(days=MAX_LEAD_DAYS))
        .order_by("pk")
        .values_list("pk", "next_due", "lead_days")
    )
    for pk, next_due, lead_days in candidates:
        try:
            if next_due - timedelta(days=lead_days) > day:
                continue
            made.extend(_generate_for_plan(pk, day))
        except Exception:  # one plan's bad data must not stop every other plan's orders
            logger.exception("Could not generate the work orders of plan %s", pk)
    return made


@transaction.atomic
def _generate_for_plan(pk, day):
    from .work_orders import open_work_order

    plan = (
        MaintenancePlan.objects.select_for_update(of=("self",))
        .select_related("equipment__property", "equipment__location", "assignee")
        .get(pk=pk)
    )
    if not plan.active or plan.equipment.status == EquipmentStatus.RETIRED:
        return []
    floating = plan.mode == ScheduleMode.FLOATING
    if floating and plan.work_orders.filter(status__in=OPEN_STATUSES).exists():
        return []  # a floating plan counts from the last completion: it waits for it
    assignee = plan.assignee
    if assignee is not None and (
        assignee.status == "resigned" or assignee.property_id != plan.equipment.property_id
    ):
        assignee = None
    items = list(plan.items.all())
    made = []
    plan.next_due = plan.aligned(plan.starts_on if not floating else plan.next_due, plan.next_due)
    while plan.next_due - timedelta(days=plan.lead_days) <= day and len(made) < MAX_CATCH_UP:
        due = plan.next_due
        if not WorkOrder.objects.filter(plan=plan, due_on=due).exists():
            plan._prefetched_objects_cache = {"items": items}
            made.append(
                open_work_order(
                    title=plan.title,
                    description=plan.instructions,
                    by=None,
                    property=plan.equipment.property,
                    equipment=plan.equipment,
                    kind=WorkOrderKind.PREVENTIVE,
                    source=WorkOrderSource.PLAN,
                    plan=plan,
                    assignee=assignee,
                    contractor=plan.contractor if assignee is None else None,
                    due_on=due,
                )
            )
        # A floating plan counts on from this date until a completion moves it.
        plan.next_due = plan.following(due if floating else plan.starts_on, due)
        if floating:
            break
    plan.save(update_fields=["next_due", "updated_at"])
    return made


@transaction.atomic
def plan_completed(plan, completed_on):
    """A floating plan's next date counts from the day its order was completed (unless a
    later order of the plan is already open)."""
    if plan.mode != ScheduleMode.FLOATING:
        return
    plan = MaintenancePlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    if plan.work_orders.filter(status__in=OPEN_STATUSES).exists():
        return
    if plan.unit == "weekdays":
        plan.next_due = plan.following(completed_on, completed_on)
    else:
        plan.next_due = plan.occurrence(completed_on, 1)
    plan.next_due = max(plan.next_due, plan.starts_on)
    plan.save(update_fields=["next_due", "updated_at"])
