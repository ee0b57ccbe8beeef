"""Inspection rounds: generated per route schedule (idempotent, catching up like the plans),
walked on a phone, out-of-range readings flagged and turned into work orders."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workflow import save_with_history

from ..models import (
    INSPECTION_ROUND,
    InspectionRound,
    InspectionRoute,
    Priority,
    Reading,
    RoundStatus,
    WorkOrderKind,
    WorkOrderSource,
)
from .planning import MAX_CATCH_UP
from .work_orders import apply_answers, open_work_order

logger = logging.getLogger(__name__)


def open_round(route, due_on):
    """The round of ``route`` for ``due_on``, with a reading to take per check of each
    point (as the route is today)."""
    assignee = route.assignee
    if assignee is not None and (
        assignee.status == "resigned" or assignee.property_id != route.property_id
    ):
        assignee = None
    round_ = InspectionRound.objects.create(route=route, due_on=due_on, assignee=assignee)
    Reading.objects.bulk_create(
        Reading(round=round_, point=point, **check.step())
        for point in route.points.all()
        for check in point.checks.all()
    )
    return round_


def generate_due_rounds(day=None):
    """The daily task: open every round due by ``day``; running it twice opens nothing
    more, and days without a run are caught up (each missed round is opened, dated on its
    day, and shows as not done)."""
    day = day or timezone.localdate()
    made = []
    due = InspectionRoute.objects.filter(active=True, next_due__lte=day).order_by("pk")
    for pk in due.values_list("pk", flat=True):
        try:
            made.extend(_generate_for_route(pk, day))
        except Exception:  # one route's bad data must not stop the others
            logger.exception("Could not generate the rounds of route %s", pk)
    return made


@transaction.atomic
def _generate_for_route(pk, day):
    route = (
        InspectionRoute.objects.select_for_update(of=("self",))
        .select_related("assignee")
        .prefetch_related("points__checks")
        .get(pk=pk)
    )
    made = []
    route.next_due = route.aligned(route.starts_on, route.next_due)
    while route.active and route.next_due <= day and len(made) < MAX_CATCH_UP:
        if not InspectionRound.objects.filter(route=route, due_on=route.next_due).exists():
            made.append(open_round(route, route.next_due))
        route.next_due = route.following(route.starts_on, route.next_due)
    route.save(update_fields=["next_due", "updated_at"])
    return made


def generate_route_rounds(route, day):
    """One route's rounds due by ``day`` (the "open today's round" button)."""
    return _generate_for_route(route.pk, day)


def _locked(round_):
    return INSPECTION_ROUND.lock(round_, "route")


@transaction.atomic
def record_readings(round_, answers, *, by):
    """Save what was read (``answers``: reading id → values) on a round still to do;
    returns the readings out of range."""
    round_ = _locked(round_)
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(_("This round is done."))
    _changed, failed = apply_answers(
        round_.readings.all(), answers, exclude=["round", "point", "follow_up"]
    )
    if round_.started_at is None:
        round_.started_at = timezone.now()
        save_with_history(round_, by, ["started_at"])
    return failed


@transaction.atomic
def complete_round(round_, *, by, note=""):
    """The round is walked: every reading taken."""
    round_ = _locked(round_)
    INSPECTION_ROUND.check(round_, "complete")
    missing = [str(r.point.name) for r in round_.readings.select_related("point") if not r.answered]
    if missing:
        raise ValidationError(
            _("Take every reading first: %(points)s")
            % {"points": "; ".join(dict.fromkeys(missing))}
        )
    now = timezone.now()
    note = (note or "").strip()[:500]
    return INSPECTION_ROUND.step(
        round_,
        "complete",
        by=by,
        text=note,
        completed_at=now,
        completed_by=by,
        started_at=round_.started_at or now,
        note=note,
    )


@transaction.atomic
def open_work_order_from_reading(reading, *, by, priority=Priority.HIGH):
    """An out-of-range reading opens a repair order on the point's equipment (or place),
    linked both ways."""
    reading = (
        Reading.objects.select_for_update(of=("self",))
        .select_related("point__equipment", "point__location", "round__route__property")
        .get(pk=reading.pk)
    )
    if reading.passed is not False:
        raise ValidationError(_("Only a reading out of range opens a work order."))
    if reading.follow_up_id:
        raise ValidationError(_("This reading already has its work order."))
    point = reading.point
    if point.equipment is None and point.location is None:
        raise ValidationError(_("This point names no equipment or place for the work order."))
    order = open_work_order(
        title=_("Out of range: %(point)s, %(reading)s")
        % {"point": point.name, "reading": reading.text},
        description=f"{reading.text}: {reading.describe_answer()} ({reading.describe_range()})",
        by=by,
        property=reading.round.route.property,
        equipment=point.equipment,
        location=point.location,
        kind=WorkOrderKind.REPAIR,
        source=WorkOrderSource.READING,
        priority=priority,
        source_object=reading,
    )
    reading.follow_up = order
    reading.save(update_fields=["follow_up"])
    return order


def completion_rates(routes, start, end):
    """Per route id: (rounds done, rounds due) among rounds due in [start, end]; one query."""
    rows = InspectionRoute.objects.filter(pk__in=[r.pk for r in routes]).with_completion(start, end)
    return {route.pk: (route.rounds_done, route.rounds_due) for route in rows}
