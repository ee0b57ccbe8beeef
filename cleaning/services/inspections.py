"""Scored inspections (保洁质检) and the rectification loop (整改).

An inspection copies its standard's weighted items, is scored on a phone, and is submitted:
the total is the points given (the weights add up to 100), it passes at the pass mark. A
failed item needs a photo and a note, and says what it needs: a rectification by the cleaner,
or a repair, opened in one step as a facilities work order (through facilities' service).
A failed inspection opens a rectification (deadline 24 hours by default, the area's cleaner
responsible); the cleaner marks it done; a re-inspection that passes closes it, one that
fails keeps it open, gives it a new deadline and escalates it to the director."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core.checklists import ChecklistKind, apply_answers, check_weights, open_follow_up, total_score
from core.workflow import save_with_history, step, transition

from ..models import (
    RECTIFICATION,
    CleaningArea,
    CleaningInspection,
    CleaningStandard,
    FollowUp,
    InspectionAnswer,
    InspectionStatus,
    Rectification,
    RectificationStatus,
    weighted_running_score,
)
from .tasks import rate

RECTIFICATION_HOURS = 24


def rectification_hours():
    return getattr(settings, "CLEANING_RECTIFICATION_HOURS", RECTIFICATION_HOURS)


def standard_for(area):
    """The active standard of the area's kind at its property that has inspection items
    (the first such, by id), or None."""
    return (
        CleaningStandard.objects.filter(
            property_id=area.property_id, kind=area.kind, active=True, items__isnull=False
        )
        .order_by("pk")
        .distinct()
        .first()
    )


def check_inspector(area, inspector):
    """The inspector works at the area's property and is not its responsible cleaner."""
    if inspector is None:
        raise ValidationError({"inspector": _("Choose the inspector.")})
    if area.cleaner_id and area.cleaner_id == inspector.pk:
        raise ValidationError({"inspector": _("The area's own cleaner cannot inspect it.")})
    if inspector.property_id != area.property_id:
        raise ValidationError({"inspector": _("This person works at another property.")})


@transaction.atomic
def start_inspection(*, area, inspector, inspected_at, by, reinspects=None, note=""):
    """A new inspection of ``area`` with its standard's items to score (a re-inspection of
    ``reinspects``, an unresolved rectification of the same area, when given)."""
    area = CleaningArea.objects.select_for_update(of=("self",)).get(pk=area.pk)
    check_inspector(area, inspector)
    standard = standard_for(area)
    if standard is None:
        raise ValidationError(
            _("No active standard with inspection items covers this kind of area.")
        )
    items = list(standard.items.all())
    check_weights(items)
    if not any(item.kind == ChecklistKind.SCORE for item in items):
        raise ValidationError(_("The standard has no scored items."))
    if reinspects is not None:
        if reinspects.area_id != area.pk:
            raise ValidationError(_("A re-inspection is of the rectification's own area."))
        if reinspects.status == RectificationStatus.CLOSED:
            raise ValidationError(_("This rectification is already closed."))
    inspection = CleaningInspection(
        area=area,
        standard=standard,
        inspector=inspector,
        cleaner=area.cleaner,
        inspected_at=inspected_at,
        pass_mark=standard.pass_mark,
        reinspects=reinspects,
        note=(note or "").strip()[:500],
    )
    inspection.full_clean(exclude=["photo"])
    save_with_history(inspection, by)
    InspectionAnswer.objects.bulk_create(
        InspectionAnswer(inspection=inspection, **item.step()) for item in items
    )
    return inspection


@transaction.atomic
def update_inspection(inspection, *, by, fields):
    """Change the time, note or photo of an inspection still being scored."""
    locked = CleaningInspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)
    if locked.status != InspectionStatus.OPEN:
        raise ValidationError(_("This inspection is submitted and cannot be changed."))
    return save_with_history(inspection, by, fields)


def _locked(inspection):
    return (
        CleaningInspection.objects.select_for_update(of=("self",))
        .select_related("area")
        .get(pk=inspection.pk)
    )


@transaction.atomic
def record_scores(inspection, answers, details, *, by):
    """Save the points given (``answers``: answer id → {"score": …}) and, per item,
    ``details`` (answer id → {"note", "needs", "photo"}) on an inspection being scored.
    Returns the failed items."""
    inspection = _locked(inspection)
    if inspection.status != InspectionStatus.OPEN:
        raise ValidationError(_("This inspection is submitted and cannot be changed."))
    rows = list(inspection.answers.all())
    apply_answers(rows, answers, exclude=["inspection", "work_order", "photo"])
    changed = []
    for row in rows:
        extra = details.get(row.pk)
        if not extra:
            continue
        if "note" in extra:
            row.note = (extra["note"] or "").strip()[:300]
        if extra.get("needs") in FollowUp.values:
            row.needs = extra["needs"]
        if extra.get("photo"):
            row.photo = extra["photo"]
            row.full_clean(exclude=["inspection", "work_order"])
            row.save()
        changed.append(row)
    if changed:
        InspectionAnswer.objects.bulk_update(changed, ["note", "needs"])
    return [row for row in rows if row.passed is False]


def running_score(area):
    """The area's last three submitted inspections weighted 60/30/10 (one query)."""
    scores = list(
        area.inspections.done().order_by("-inspected_at", "-pk").values_list("total", flat=True)[:3]
    )
    return weighted_running_score(scores)


@transaction.atomic
def submit_inspection(inspection, *, by, now=None):
    """Every item scored, each failed one with a photo and a note: the total is worked out,
    the inspection passes or fails, a failed one opens its rectification, a re-inspection
    closes or escalates the rectification it was for, and the area's running score moves."""
    inspection = _locked(inspection)
    now = now or timezone.now()
    if inspection.status != InspectionStatus.OPEN:
        raise ValidationError(_("This inspection is already submitted."))
    rows = list(inspection.answers.all())
    missing = [row.text for row in rows if row.kind == ChecklistKind.SCORE and row.score is None]
    if missing:
        raise ValidationError(
            _("Score every item first: %(items)s") % {"items": "; ".join(missing)}
        )
    incomplete = [row.text for row in rows if row.passed is False and not (row.photo and row.note)]
    if incomplete:
        raise ValidationError(
            _("A failed item needs a photo and a note: %(items)s")
            % {"items": "; ".join(incomplete)}
        )
    total = total_score(rows) or Decimal(0)
    passed = total >= inspection.pass_mark
    inspection.total = total
    inspection.status = InspectionStatus.PASSED if passed else InspectionStatus.FAILED
    inspection.submitted_at = now
    save_with_history(inspection, by, ["total", "status", "submitted_at"])
    area = inspection.area
    area.running_score = running_score(area)
    area.save(update_fields=["running_score", "updated_at"])
    if inspection.reinspects_id:
        _after_reinspection(inspection, passed, by=by, now=now)
    elif not passed:
        open_rectification(inspection, by=by, now=now)
    return inspection


def responsible_for(area):
    """Who answers for a rectification: the area's cleaner, else its team's supervisor."""
    if area.cleaner_id and area.cleaner.status != "resigned":
        return area.cleaner
    if area.team_id and area.team.supervisor_id:
        return area.team.supervisor
    return None


def open_rectification(inspection, *, by, now=None):
    """The rectification a failed inspection opens (one per inspection)."""
    now = now or timezone.now()
    area = CleaningArea.objects.select_related("cleaner", "team__supervisor").get(
        pk=inspection.area_id
    )
    rectification = Rectification(
        area=area,
        inspection=inspection,
        responsible=responsible_for(area),
        deadline=now + timedelta(hours=rectification_hours()),
    )
    return save_with_history(rectification, by)


def _after_reinspection(inspection, passed, *, by, now):
    rectification = RECTIFICATION.lock(inspection.reinspects_id)
    if rectification.status == RectificationStatus.CLOSED:
        raise ValidationError(_("This rectification is already closed."))
    if passed:
        step(rectification, "close", by=by, text=str(inspection), closed_at=now)
        return
    step(
        rectification,
        "escalate",
        by=by,
        text=str(inspection),
        escalations=rectification.escalations + 1,
        escalated_at=now,
        deadline=now + timedelta(hours=rectification_hours()),
    )


def mark_done(rectification, *, by, note="", now=None):
    """The responsible cleaner (or the supervisor) says the rectification is done."""
    return transition(
        rectification,
        "done",
        by=by,
        text=(note or "").strip()[:500],
        done_at=now or timezone.now(),
        done_note=(note or "").strip()[:500],
    )


def open_repair(answer, *, by):
    """A failed item that needs a repair opens a facilities work order in one step (the
    area's place, the item and the inspector's note), linked to the item."""
    from facilities.models import GeneratedTitle, Priority, WorkOrderKind, WorkOrderSource
    from facilities.services import open_work_order

    def make(answer):
        if answer.needs != FollowUp.REPAIR:
            raise ValidationError(_("This item asks for a rectification, not a repair."))
        area = answer.inspection.area
        return open_work_order(
            title=f"{area.name}, {answer.text}",
            title_key=GeneratedTitle.FAILED_CHECK,
            title_params={"check": f"{area.name}, {answer.text}"},
            description=answer.note,
            by=by,
            property=area.property,
            location=area.location,
            kind=WorkOrderKind.REPAIR,
            source=WorkOrderSource.FOLLOW_UP,
            priority=Priority.NORMAL,
            source_object=answer,
            reported_by=by,
        )

    return open_follow_up(
        answer,
        make,
        field="work_order",
        related=("inspection__area__property", "inspection__area__location"),
        not_failed=_("Only a failed item opens a work order."),
        already=_("This item already has its work order."),
    )


# --- figures --------------------------------------------------------------------------------


def pass_rate(inspections):
    figures = inspections.done().aggregate(
        done=Count("pk"), passed=Count("pk", filter=Q(status=InspectionStatus.PASSED))
    )
    return figures | {"rate": rate(figures["passed"], figures["done"])}


def pass_rate_by(inspections, group):
    """Pass rate (清洁区域达标率) grouped by "area", "team" or "month"; one grouped query."""
    keys = {
        "area": ("area_id", "area__name"),
        "team": ("area__team_id", "area__team__name"),
        "month": ("month", "month"),
    }[group]
    inspections = inspections.done()
    if group == "month":
        inspections = inspections.annotate(month=TruncMonth("inspected_at"))
    rows = (
        inspections.order_by()
        .values(*dict.fromkeys(keys))
        .annotate(done=Count("pk"), passed=Count("pk", filter=Q(status=InspectionStatus.PASSED)))
        .order_by(keys[1])
    )
    return [
        {
            "key": row[keys[0]],
            "label": row[keys[1]],
            "done": row["done"],
            "passed": row["passed"],
            "rate": rate(row["passed"], row["done"]),
        }
        for row in rows
    ]


def closed_on_time(rectifications):
    """Rectifications closed within their deadline, of those closed."""
    from django.db.models import F

    figures = rectifications.filter(status=RectificationStatus.CLOSED).aggregate(
        closed=Count("pk"), on_time=Count("pk", filter=Q(closed_at__lte=F("deadline")))
    )
    return figures | {"rate": rate(figures["on_time"], figures["closed"])}
