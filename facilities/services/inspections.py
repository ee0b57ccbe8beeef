"""Inspection rounds: generated per route schedule (idempotent, catching up like the plans),
walked on a phone, out-of-range readings flagged and turned into work orders."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.checklists import apply_answers, open_follow_up
from core.recurrence import Generator
from core.workflow import save_with_history

from ..models import (
    INSPECTION_ROUND,
    GeneratedTitle,
    InspectionRound,
    InspectionRoute,
    Priority,
    Reading,
    RoundStatus,
    WorkOrderKind,
    WorkOrderSource,
)
from .planning import MAX_CATCH_UP
from .work_orders import open_work_order

logger = logging.getLogger(__name__)


def open_round(route, due_on):
    """The round of ``route`` for ``due_on`` (the route's points and checks prefetched)."""
    [round_] = open_rounds(route, [due_on])
    return round_


def open_rounds(route, dates):
    """The rounds of ``route`` for ``dates`` in one batch, with a reading to take per check
    of each point (as the route is today)."""
    return open_rounds_many([(route, dates)])


def open_rounds_many(todo):
    """The rounds of each (route, dates) of ``todo`` in one batch (one insert for the
    rounds, one for their history, one for their readings)."""
    rounds = []
    for route, dates in todo:
        assignee = route.assignee
        if assignee is not None and (
            assignee.status == "resigned" or assignee.property_id != route.property_id
        ):
            assignee = None
        rounds.extend(InspectionRound(route=route, due_on=due, assignee=assignee) for due in dates)
    if not rounds:
        return []
    rounds = bulk_create_with_history(rounds, InspectionRound)
    if not all(round_.pk for round_ in rounds):  # a database that returns no ids on insert
        by_day = {
            (route_id, due_on): pk
            for route_id, due_on, pk in InspectionRound.objects.filter(
                route__in=[route.pk for route, _dates in todo],
                due_on__in={day for _route, dates in todo for day in dates},
            ).values_list("route_id", "due_on", "pk")
        }
        for round_ in rounds:
            round_.pk = round_.id = by_day[round_.route_id, round_.due_on]
    steps = {
        route.pk: [
            (point, check.step()) for point in route.points.all() for check in point.checks.all()
        ]
        for route, _dates in todo
    }
    Reading.objects.bulk_create(
        Reading(round=round_, point=point, **step)
        for round_ in rounds
        for point, step in steps[round_.route_id]
    )
    return rounds


class DueRounds(Generator):
    """Each active route opens its rounds on their days (core's generator: one per route and
    day, catching up, one route's failure logged). Rounds have no lead days and a route's
    series is always fixed."""

    name = "inspection rounds"
    max_catch_up = MAX_CATCH_UP

    def due_sources(self, day):
        due = InspectionRoute.objects.filter(active=True, next_due__lte=day).order_by("pk")
        return list(due.values_list("pk", flat=True))

    batch_size = 200

    def locked(self):
        return (
            InspectionRoute.objects.select_for_update(of=("self",))
            .select_related("assignee")
            .prefetch_related("points__checks")
        )

    def lock(self, pk):
        return self.locked().get(pk=pk)

    def lock_many(self, pks):
        return list(self.locked().filter(pk__in=pks).order_by("pk"))

    def skip(self, route):
        return not route.active

    def floating(self, route):
        return False

    def lead_days_of(self, route):
        return 0

    def existing(self, route, dates):
        return self.existing_many([(route, dates)]).get(route.pk, set())

    def existing_many(self, wanted):
        have = {}
        rows = InspectionRound.objects.filter(
            route__in=[route.pk for route, _dates in wanted],
            due_on__in={day for _route, dates in wanted for day in dates},
        ).values_list("route_id", "due_on")
        for route_id, due_on in rows:
            have.setdefault(route_id, set()).add(due_on)
        return have

    def create(self, route, dates):
        return open_rounds(route, dates)

    def create_many(self, todo):
        return open_rounds_many(todo)


def generate_due_rounds(day=None):
    """The daily task: open every round due by ``day``; running it twice opens nothing
    more, and days without a run are caught up (each missed round is opened, dated on its
    day, and shows as not done)."""
    return DueRounds().run(day or timezone.localdate())


def generate_route_rounds(route, day):
    """One route's rounds due by ``day`` (the "open today's round" button)."""
    return DueRounds().generate(route.pk, day)


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


def open_work_order_from_reading(reading, *, by, priority=Priority.HIGH):
    """An out-of-range reading opens a repair order on the point's equipment (or place),
    linked both ways."""

    def make(reading):
        point = reading.point
        if point.equipment is None and point.location is None:
            raise ValidationError(_("This point names no equipment or place for the work order."))
        return open_work_order(
            title=f"{point.name}, {reading.text}",
            title_key=GeneratedTitle.READING,
            title_params={"point": point.name, "reading": reading.text},
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

    return open_follow_up(
        reading,
        make,
        related=("point__equipment", "point__location", "round__route__property"),
        not_failed=_("Only a reading out of range opens a work order."),
        already=_("This reading already has its work order."),
    )


def completion_rates(routes, start, end):
    """Per route id: (rounds done, rounds due) among rounds due in [start, end]; one query."""
    rows = InspectionRoute.objects.filter(pk__in=[r.pk for r in routes]).with_completion(start, end)
    return {route.pk: (route.rounds_done, route.rounds_due) for route in rows}
