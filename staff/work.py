"""What the staff area puts on My work: interviews the person scores, appraisals they fill in,
review or acknowledge, and the training sessions they attend today or tomorrow. One query per
source (``core.work``); who may see which record is :func:`staff.visible.people_visible_to`."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.registry import WorkItem
from core.scoping import visible_property_ids
from core.work import WorkSource

from .models import CLOSED_STAGES, Appraisal, AppraisalStatus, Attendance, Interview
from .visible import people_visible_to

AREA = "staff"


def _interviews(user, day):
    if not user.has_perm("staff.change_interview"):
        return None
    panels = Interview.objects.filter(interviewers__user=user, recommendation="").exclude(
        application__stage__in=CLOSED_STAGES
    )
    return (
        people_visible_to(user, panels)
        .select_related(
            "application__candidate",
            "application__opening__position",
            "application__opening__property",
        )
        .order_by("scheduled_at", "pk")
    )


def _interview_item(interview, user):
    opening = interview.application.opening
    return WorkItem(
        area=AREA,
        kind=_("Interview to score"),
        title=interview.application.candidate.name,
        url=interview.get_absolute_url(),
        due=interview.scheduled_at,
        detail=" · ".join(part for part in (opening.position.name, interview.place) if part),
        property_code=opening.property.code,
        group="interviews",
        group_label=_("Interviews"),
    )


def _appraisals(user, day):
    """One's own appraisal to self-assess or acknowledge, and those one reviews."""
    mine = Appraisal.objects.filter(
        employee__user=user, status__in=[AppraisalStatus.PENDING, AppraisalStatus.REVIEWED]
    )
    to_review = Appraisal.objects.filter(
        reviewer=user, status=AppraisalStatus.SELF_ASSESSED
    ).exclude(employee__user=user)
    return (
        people_visible_to(user, mine | to_review)
        .select_related("cycle__property", "employee")
        .order_by("cycle__deadline", "pk")
    )


def _appraisal_item(appraisal, user):
    own = appraisal.employee.user_id == user.pk
    if own and appraisal.status == AppraisalStatus.REVIEWED:
        kind, due = _("Appraisal to acknowledge"), None
    elif own:
        kind, due = _("Self-assessment to fill in"), appraisal.cycle.deadline
    else:
        kind, due = _("Appraisal to review"), appraisal.cycle.deadline
    return WorkItem(
        area=AREA,
        kind=kind,
        title=appraisal.cycle.name if own else appraisal.employee.name,
        url=appraisal.get_absolute_url(),
        due=due,
        detail=appraisal.cycle.name if not own else appraisal.get_status_display(),
        property_code=appraisal.cycle.property.code,
        group="appraisals",
        group_label=_("Appraisals"),
    )


def _training(user, day):
    """The sessions the person attends from now to the end of tomorrow."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    if day == timezone.localdate():
        start = timezone.now()
    end = timezone.make_aware(datetime.combine(day + timedelta(days=2), time.min))
    attending = Attendance.objects.filter(
        employee__user=user, session__starts_at__gte=start, session__starts_at__lt=end
    )
    return (
        people_visible_to(user, attending)
        .select_related("session__course", "session__property")
        .order_by("session__starts_at", "pk")
    )


def _training_item(attendance, user):
    session = attendance.session
    ids = visible_property_ids(user)
    # The session's page is for those who run training; the person attending still sees
    # when and where.
    may_open = user.has_perm("staff.view_trainingsession") and (
        ids is None or session.property_id in ids
    )
    return WorkItem(
        area=AREA,
        kind=_("Training session"),
        title=session.course.title,
        url=session.get_absolute_url() if may_open else "",
        due=session.starts_at,
        detail=" · ".join(part for part in (session.place, session.trainer) if part),
        property_code=session.property.code,
        group="training",
        group_label=_("Training"),
    )


interviews_to_score = WorkSource(_interviews, _interview_item, list_url="staff:interview_list")
appraisals_to_do = WorkSource(_appraisals, _appraisal_item)
training_soon = WorkSource(_training, _training_item)
