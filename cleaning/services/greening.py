"""Greening: the tasks each plan opens (core's generator, in batches, within the plan's
season), and recording a task done with the materials issued from stores and, for pest
control, the pesticide applied."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.recurrence import MAX_LEAD_DAYS, Generator

from ..models import (
    GREENING_TASK,
    GreeningKind,
    GreeningMaterial,
    GreeningPlan,
    GreeningTask,
    PesticideApplication,
)
from .consumables import issue_to_ledger

MAX_CATCH_UP = 60


class GreeningTasks(Generator):
    """Each active plan of an active zone opens its tasks its lead days ahead: one per plan
    and day (a unique constraint backs it), catching up missed days, 200 plans per
    transaction. A date out of the plan's season is passed over (no task). Plans are fixed
    series."""

    name = "greening tasks"
    max_catch_up = MAX_CATCH_UP
    batch_size = 200

    def due_sources(self, day):
        candidates = (
            GreeningPlan.objects.filter(
                active=True,
                zone__active=True,
                next_due__lte=day + timedelta(days=MAX_LEAD_DAYS),
            )
            .order_by("pk")
            .values_list("pk", "next_due", "lead_days")
        )
        return [pk for pk, due, lead in candidates if due - timedelta(days=lead) <= day]

    def locked(self):
        return GreeningPlan.objects.select_for_update(of=("self",)).select_related(
            "zone", "assignee"
        )

    def lock(self, pk):
        return self.locked().get(pk=pk)

    def lock_many(self, pks):
        return list(self.locked().filter(pk__in=pks).order_by("pk"))

    def skip(self, plan):
        return not (plan.active and plan.zone.active)

    def floating(self, plan):
        return False

    def existing(self, plan, dates):
        return self.existing_many([(plan, dates)]).get(plan.pk, set())

    def existing_many(self, wanted):
        have = {}
        rows = GreeningTask.objects.filter(
            plan__in=[plan.pk for plan, _dates in wanted],
            due_on__in={day for _plan, dates in wanted for day in dates},
        ).values_list("plan_id", "due_on")
        for plan_id, due_on in rows:
            have.setdefault(plan_id, set()).add(due_on)
        return have

    def create(self, plan, dates):
        return self.create_many([(plan, dates)])

    def create_many(self, todo):
        tasks = []
        for plan, dates in todo:
            assignee = plan.assignee
            if assignee is not None and (
                assignee.status == "resigned" or assignee.property_id != plan.zone.property_id
            ):
                assignee = None
            tasks.extend(
                GreeningTask(
                    plan=plan,
                    zone_id=plan.zone_id,
                    kind=plan.kind,
                    due_on=day,
                    assignee=assignee,
                    note=plan.instructions,
                )
                for day in dates
                if plan.in_season(day)
            )
        return bulk_create_with_history(tasks, GreeningTask) if tasks else []


def generate_greening_tasks(day=None):
    """The daily task: open every greening task due by ``day`` plus its plan's lead days.
    Running it twice opens nothing more; days without a run are caught up."""
    return GreeningTasks().run(day or timezone.localdate())


def _check_storeroom(storeroom, task):
    if storeroom.property_id != task.zone.property_id:
        raise ValidationError(_("This storeroom is at another property."))


def issue_materials(task, storeroom, lines, *, by):
    """Issue ``lines`` (item → quantity) from ``storeroom`` to the task through procurement's
    stock ledger: stock goes down, all lines or none. Returns the materials recorded."""
    if not lines:
        return []
    _check_storeroom(storeroom, task)
    movements = issue_to_ledger(
        storeroom,
        lines,
        by=by,
        employee=task.done_by or task.assignee,
        reference=_("Greening task %(id)d") % {"id": task.pk},
        note=str(task),
    )
    return GreeningMaterial.objects.bulk_create(
        GreeningMaterial(
            task=task,
            movement=movement,
            item=movement.item,
            storeroom=storeroom,
            quantity=-movement.quantity,
            value=-movement.value,
            issued_by=by,
        )
        for movement in movements
    )


@transaction.atomic
def complete_task(
    task,
    *,
    by,
    done_by,
    done_at=None,
    note="",
    storeroom=None,
    materials=None,
    pesticide=None,
):
    """Record ``task`` done by ``done_by`` (an employee of its property), with the materials
    used (``materials``: item → quantity, issued from ``storeroom``) and, for pest control,
    the pesticide applied (``pesticide``: the fields of a :class:`PesticideApplication`),
    all or nothing. A pest-control task is not done without its pesticide entry."""
    locked = GREENING_TASK.lock(task, "zone")
    GREENING_TASK.check(locked, "complete")
    if done_by is None or done_by.property_id != locked.zone.property_id:
        raise ValidationError(_("Choose who did the work, at this property."))
    done_at = done_at or timezone.now()
    if done_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError(_("The work cannot be done in the future."))
    if pesticide:
        application = PesticideApplication(
            zone=locked.zone,
            task=locked,
            applied_by=pesticide.get("applied_by") or done_by,
            applied_at=pesticide.get("applied_at") or done_at,
            **{k: v for k, v in pesticide.items() if k not in ("applied_by", "applied_at")},
        )
        application.full_clean()
        application._history_user = by
        application.save()
    if locked.kind == GreeningKind.PEST_CONTROL and not locked.pesticides.exists():
        raise ValidationError(
            _("Pest control needs its pesticide entry: product, dose, who applied it and when.")
        )
    locked.done_by = done_by
    if materials:
        if storeroom is None:
            raise ValidationError(_("Choose the storeroom the materials come from."))
        issue_materials(locked, storeroom, materials, by=by)
    text = note or ""
    return GREENING_TASK.step(
        locked,
        "complete",
        by=by,
        text=text,
        fields=["done_by"],
        done_at=done_at,
        note="\n".join(part for part in (locked.note, note) if part),
    )
