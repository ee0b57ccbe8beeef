"""Incidents: the response timeline (each moment after the one before), the review with its
root cause, and corrective actions done by their owner and verified by someone else."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workflow import save_with_history, step

from ..models import CORRECTIVE_ACTION, INCIDENT, CorrectiveAction
from .hazards import check_verifier


def report_incident(incident, *, by):
    incident.full_clean()
    return save_with_history(incident, by)


def _moment(locked, field, at, previous):
    at = at or timezone.now()
    before = [getattr(locked, name) for name in previous if getattr(locked, name) is not None]
    if before and at < max(before):
        raise ValidationError(
            _("%(this)s cannot be before the step before it.")
            % {"this": locked._meta.get_field(field).verbose_name}
        )
    return at


@transaction.atomic
def respond(incident, *, by, at=None, note=""):
    locked = INCIDENT.lock(incident)
    INCIDENT.check(locked, "respond")
    at = _moment(locked, "responded_at", at, ("occurred_at", "reported_at"))
    step(locked, "respond", by=by, text=(note or "").strip()[:500], responded_at=at)
    return locked


@transaction.atomic
def arrive(incident, *, by, at=None, note=""):
    locked = INCIDENT.lock(incident)
    INCIDENT.check(locked, "on_scene")
    if locked.on_scene_at is not None:
        raise ValidationError(_("The arrival on scene is already recorded."))
    at = _moment(locked, "on_scene_at", at, ("reported_at", "responded_at"))
    step(locked, "on_scene", by=by, text=(note or "").strip()[:500], on_scene_at=at)
    return locked


@transaction.atomic
def resolve(incident, *, by, at=None, actions_taken=""):
    locked = INCIDENT.lock(incident)
    INCIDENT.check(locked, "resolve")
    at = _moment(locked, "resolved_at", at, ("reported_at", "responded_at", "on_scene_at"))
    values = {"resolved_at": at}
    actions_taken = (actions_taken or "").strip()[:4000]
    if actions_taken:
        values["actions_taken"] = actions_taken
    step(locked, "resolve", by=by, text=actions_taken[:500], **values)
    return locked


@transaction.atomic
def review(incident, *, by, root_cause, now=None):
    locked = INCIDENT.lock(incident)
    INCIDENT.check(locked, "review")
    root_cause = (root_cause or "").strip()[:2000]
    if not root_cause:
        raise ValidationError(_("Name the root cause."))
    step(
        locked,
        "review",
        by=by,
        text=root_cause[:500],
        root_cause=root_cause,
        reviewed_by=by,
        reviewed_at=now or timezone.now(),
    )
    return locked


def save_action(action, *, by):
    if action.status == "verified":
        raise ValidationError(_("This corrective action is verified and cannot be changed."))
    action.full_clean()
    return save_with_history(action, by)


@transaction.atomic
def mark_action_done(action, *, by, note="", now=None):
    locked = CORRECTIVE_ACTION.lock(action)
    CORRECTIVE_ACTION.check(locked, "done")
    note = (note or "").strip()[:500]
    step(locked, "done", by=by, text=note, done_at=now or timezone.now(), done_note=note)
    return locked


@transaction.atomic
def verify_action(action, *, by, passed=True, note="", now=None):
    """Someone other than the owner checks what was done; not accepted sends it back."""
    locked = CorrectiveAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    CORRECTIVE_ACTION.check(locked, "verify" if passed else "reopen")
    verifier = check_verifier(locked, by, owner_message=_("The action's owner cannot verify it."))
    note = (note or "").strip()[:500]
    if passed:
        step(
            locked,
            "verify",
            by=by,
            text=note,
            verified_by=by,
            verifier=verifier,
            verified_at=now or timezone.now(),
        )
    else:
        step(locked, "reopen", by=by, text=note, done_at=None)
    return locked
