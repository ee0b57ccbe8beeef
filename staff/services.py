"""Staff operations that change several rows: the recruitment pipeline, hiring, onboarding.

Each is atomic, takes the acting user, and leaves history (who and when) on what it changes.
Views, admin actions, tasks and tests call these; none re-implements them.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Application,
    Employee,
    EmployeeStatus,
    InterviewScore,
    JobOpening,
    OnboardingItem,
    OnboardingTask,
    OpeningStatus,
    Stage,
)

# Where an open application may go next. Hired is reached only through hire().
TRANSITIONS = {
    Stage.APPLIED: (Stage.SCREENING, Stage.REJECTED, Stage.WITHDRAWN),
    Stage.SCREENING: (Stage.INTERVIEW, Stage.REJECTED, Stage.WITHDRAWN),
    Stage.INTERVIEW: (Stage.OFFER, Stage.REJECTED, Stage.WITHDRAWN),
    Stage.OFFER: (Stage.REJECTED, Stage.WITHDRAWN),
}


def _by(instance, user):
    instance._history_user = user  # django-simple-history records who made the change
    return instance


@transaction.atomic
def move_application(application, stage, *, by, reason=""):
    """Move an application one step along the pipeline, or close it with a reason."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    if stage == Stage.HIRED:
        raise ValidationError(
            _("Hiring is its own step: use Hire on an application with an offer.")
        )
    if stage not in TRANSITIONS.get(app.stage, ()):
        raise ValidationError(
            _("An application at “%(current)s” cannot move to “%(target)s”.")
            % {"current": app.get_stage_display(), "target": Stage(stage).label}
        )
    reason = reason.strip()
    if stage in (Stage.REJECTED, Stage.WITHDRAWN) and not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting or withdrawing.")})
    app.stage, app.closed_reason, app.stage_changed_at = stage, reason, timezone.now()
    _by(app, by).save(update_fields=["stage", "closed_reason", "stage_changed_at", "updated_at"])
    return app


@transaction.atomic
def hire(application, *, by, staff_no, hire_date, probation_end, supervisor=None):
    """Hire the candidate of an application at the offer stage: create the employee (on
    probation) with an onboarding checklist, and mark the opening filled when it is."""
    app = Application.objects.select_for_update().select_related("candidate").get(pk=application.pk)
    if app.stage != Stage.OFFER:
        raise ValidationError(_("Only a candidate with an offer can be hired."))
    # Lock the opening: two people hiring at once must not pass the headcount.
    opening = (
        JobOpening.objects.select_for_update().select_related("position").get(pk=app.opening_id)
    )
    if opening.status != OpeningStatus.OPEN:
        raise ValidationError(_("This opening is not open."))
    hired = opening.applications.filter(stage=Stage.HIRED).count()
    if hired >= opening.headcount:
        raise ValidationError(_("This opening's headcount is already filled."))
    employee = Employee(
        staff_no=staff_no,
        name=app.candidate.name,
        phone=app.candidate.phone,
        property_id=opening.property_id,
        department_id=opening.position.department_id,
        position=opening.position,
        supervisor=supervisor,
        hire_date=hire_date,
        status=EmployeeStatus.PROBATION,
        probation_end=probation_end,
    )
    employee.full_clean()
    _by(employee, by).save()
    OnboardingItem.objects.bulk_create(
        OnboardingItem(employee=employee, task=task) for task in OnboardingTask.values
    )
    app.stage, app.employee, app.stage_changed_at = Stage.HIRED, employee, timezone.now()
    _by(app, by).save(update_fields=["stage", "employee", "stage_changed_at", "updated_at"])
    if hired + 1 >= opening.headcount:
        opening.status = OpeningStatus.FILLED
        _by(opening, by).save(update_fields=["status", "updated_at"])
    return employee


@transaction.atomic
def record_interview(interview, *, by, scores, interviewers=None):
    """Save an interview with its per-criterion scores (``{criterion: 1..5 or None}``)."""
    _by(interview, by).save()
    if interviewers is not None:
        interview.interviewers.set(interviewers)
    interview.scores.exclude(criterion__in=[c for c, s in scores.items() if s]).delete()
    for criterion, score in scores.items():
        if score:
            InterviewScore.objects.update_or_create(
                interview=interview, criterion=criterion, defaults={"score": score}
            )
    return interview


@transaction.atomic
def tick_onboarding(item, *, by, done=True):
    """Tick (or untick) a step of a new hire's onboarding checklist."""
    item = OnboardingItem.objects.select_for_update().get(pk=item.pk)
    item.done_at, item.done_by = (timezone.now(), by) if done else (None, None)
    _by(item, by).save(update_fields=["done_at", "done_by", "updated_at"])
    return item
