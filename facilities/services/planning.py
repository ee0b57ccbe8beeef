"""Maintenance plans: created from templates, and the daily generation of their orders.

Generation is core's (``core.recurrence.Generator``): idempotent (one order per plan and due
date, a unique constraint, under a lock on the plan), catching up (every missed date of a
fixed plan gets its order, dated on the day it was due), each plan in its own transaction.
A plan's orders are made in one batch, so a run's cost per order does not grow.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.recurrence import MAX_LEAD_DAYS, Generator
from core.workflow import save_with_history

from ..models import (
    OPEN_STATUSES,
    ChecklistItem,
    ChecklistResult,
    EquipmentStatus,
    EventKind,
    MaintenancePlan,
    Priority,
    ScheduleMode,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderKind,
    WorkOrderSource,
    WorkOrderStatus,
)
from .work_orders import end_of, next_numbers

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


class PreventiveOrders(Generator):
    """Each plan due within its lead days opens its preventive orders (core's generator:
    one per plan and date, catching up missed dates, one plan's failure logged)."""

    name = "preventive work orders"
    max_catch_up = MAX_CATCH_UP

    def due_sources(self, day):
        candidates = (
            MaintenancePlan.objects.active()
            .filter(next_due__lte=day + timedelta(days=MAX_LEAD_DAYS))
            .order_by("pk")
            .values_list("pk", "next_due", "lead_days")
        )
        return [pk for pk, due, lead in candidates if due - timedelta(days=lead) <= day]

    # A catch-up over thousands of plans is a few transactions of a few queries each.
    batch_size = 200

    def locked(self):
        return (
            MaintenancePlan.objects.select_for_update(of=("self",))
            .select_related("equipment__property", "equipment__location", "assignee", "contractor")
            .prefetch_related("items")
            .annotate(
                has_open_order=Exists(
                    WorkOrder.objects.filter(plan=OuterRef("pk"), status__in=OPEN_STATUSES)
                )
            )
        )

    def lock(self, pk):
        return self.locked().get(pk=pk)

    def lock_many(self, pks):
        return list(self.locked().filter(pk__in=pks).order_by("pk"))

    def skip(self, plan):
        if not plan.active or plan.equipment.status == EquipmentStatus.RETIRED:
            return True
        # A floating plan counts from the last completion: it waits for its open order.
        return plan.floating and plan.has_open_order

    def existing(self, plan, dates):
        return self.existing_many([(plan, dates)]).get(plan.pk, set())

    def existing_many(self, wanted):
        have = {}
        rows = WorkOrder.objects.filter(
            plan__in=[plan.pk for plan, _dates in wanted],
            due_on__in={day for _plan, dates in wanted for day in dates},
        ).values_list("plan_id", "due_on")
        for plan_id, due_on in rows:
            have.setdefault(plan_id, set()).add(due_on)
        return have

    def create(self, plan, dates):
        return open_preventive_orders(plan, dates)

    def create_many(self, todo):
        return open_preventive_orders_many(todo)


def generate_due_work_orders(day=None):
    """The daily task: open the preventive orders of every plan due within its lead days."""
    return PreventiveOrders().run(day or timezone.localdate())


def open_preventive_orders(plan, dates, *, opened_at=None):
    """The orders of ``plan`` for ``dates`` in one batch."""
    return open_preventive_orders_many([(plan, dates)], opened_at=opened_at)


def open_preventive_orders_many(todo, *, opened_at=None):
    """The orders of each (plan, dates) of ``todo`` in one batch: numbers from one lock of
    the year's sequence, one insert each for the orders, their history, their timeline and
    their checklists, whatever the number of plans and dates."""
    opened_at = opened_at or timezone.now()
    total = sum(len(dates) for _plan, dates in todo)
    if not total:
        return []
    numbers = iter(next_numbers(timezone.localtime(opened_at).year, total))
    orders = []
    steps = {}
    for plan, dates in todo:
        made = _plan_orders(plan, dates, numbers, opened_at)
        orders.extend(made)
        steps[plan.pk] = [item.step() for item in plan.items.all()]
    orders = bulk_create_with_history(orders, WorkOrder, default_date=opened_at)
    if not all(order.pk for order in orders):  # a database that returns no ids on insert
        by_number = dict(
            WorkOrder.objects.filter(number__in=[o.number for o in orders]).values_list(
                "number", "pk"
            )
        )
        for order in orders:
            order.pk = order.id = by_number[order.number]
    WorkOrderEvent.objects.bulk_create(
        WorkOrderEvent(
            work_order=order, kind=EventKind.CREATED, by=None, status_to=order.status, at=opened_at
        )
        for order in orders
    )
    ChecklistResult.objects.bulk_create(
        ChecklistResult(work_order=order, **step)
        for order in orders
        for step in steps[order.plan_id]
    )
    return orders


def _plan_orders(plan, dates, numbers, opened_at):
    """The unsaved orders of one plan for ``dates``, numbered from ``numbers``."""
    equipment = plan.equipment
    assignee = plan.assignee
    if assignee is not None and (
        assignee.status == "resigned" or assignee.property_id != equipment.property_id
    ):
        assignee = None
    contractor = plan.contractor if assignee is None else None
    status = WorkOrderStatus.ASSIGNED if assignee or contractor else WorkOrderStatus.NEW
    orders = [
        WorkOrder(
            number=next(numbers),
            property=equipment.property,
            equipment=equipment,
            location=equipment.location,
            kind=WorkOrderKind.PREVENTIVE,
            source=WorkOrderSource.PLAN,
            priority=Priority.NORMAL,
            title=plan.title.strip()[:160],
            description=plan.instructions,
            assignee=assignee,
            contractor=contractor,
            due_on=due,
            plan=plan,
            status=status,
            assigned_at=opened_at if status == WorkOrderStatus.ASSIGNED else None,
            resolve_by=end_of(due),
        )
        for due in dates
    ]
    # Every order of a plan has the same fields but its date: checking one checks all (the
    # table's constraints are checked by the database itself). Its relations come from the
    # plan's locked row and its joins, so they exist: asking the database again for each
    # (four queries a plan) is left out.
    orders[0].clean_fields(
        exclude=["number", "property", "equipment", "location", "plan", "assignee", "contractor"]
    )
    orders[0].clean()
    return orders


@transaction.atomic
def plan_completed(plan, completed_on):
    """A floating plan's next date counts from the day its order was completed (unless a
    later order of the plan is already open)."""
    if plan.mode != ScheduleMode.FLOATING:
        return
    plan = MaintenancePlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    if plan.work_orders.filter(status__in=OPEN_STATUSES).exists():
        return
    plan.next_due = max(plan.recurrence.after_completion(completed_on), plan.starts_on)
    plan.save(update_fields=["next_due", "updated_at"])
