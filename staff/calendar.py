"""What the staff area puts on the calendar (and the iCal feed): training sessions,
interviews, appraisal deadlines, certificate expiries and reviews, and probation ends. Who may
see which person's record is :func:`staff.visible.people_visible_to`. A few queries per call,
whatever the number of entries."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import day_bounds
from core.registry import CalendarEvent
from core.scoping import scope_queryset, visible_property_ids

from .models import (
    Appraisal,
    AppraisalCycle,
    AppraisalStatus,
    Attendance,
    Certificate,
    Employee,
    EmployeeStatus,
    Interview,
    TrainingSession,
)
from .visible import people_visible_to

AREA = "staff"


def _link(user, record):
    """The record's page for those whose role opens it; one's own certificate (say) shows
    in one's calendar without a link when one may not open the staff pages."""
    opts = record._meta
    return (
        record.get_absolute_url()
        if user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        else ""
    )


def training(user, start, end):
    """The sessions of the user's properties (for those who run training) and those the user
    attends."""
    first, last = day_bounds(start, end)
    window = TrainingSession.objects.filter(starts_at__gte=first, starts_at__lt=last)
    may_view = user.has_perm("staff.view_trainingsession")
    visible = scope_queryset(window, user) if may_view else window.none()
    attending = people_visible_to(user, Attendance.objects.filter(employee__user=user))
    sessions = (
        (visible | window.filter(pk__in=attending.values("session")))
        .distinct()
        .select_related("course", "property")
    )
    ids = visible_property_ids(user)
    return [
        CalendarEvent(
            uid=f"staff.trainingsession.{session.pk}",
            area=AREA,
            kind=_("Training"),
            title=session.course.title,
            start=session.starts_at,
            end=session.starts_at + timedelta(hours=float(session.course.hours)),
            url=session.get_absolute_url()
            if may_view and (ids is None or session.property_id in ids)
            else "",
            group="training",
            property_code=session.property.code,
            detail=" · ".join(part for part in (session.place, session.trainer) if part),
        )
        for session in sessions
    ]


def interviews(user, start, end):
    if not user.has_perm("staff.view_interview"):
        return []
    first, last = day_bounds(start, end)
    found = people_visible_to(
        user, Interview.objects.filter(scheduled_at__gte=first, scheduled_at__lt=last)
    ).select_related(
        "application__candidate",
        "application__opening__position",
        "application__opening__property",
    )
    return [
        CalendarEvent(
            uid=f"staff.interview.{interview.pk}",
            area=AREA,
            kind=_("Interview"),
            title=interview.application.candidate.name,
            start=interview.scheduled_at,
            url=interview.get_absolute_url(),
            group="recruitment",
            property_code=interview.application.opening.property.code,
            detail=" · ".join(
                part
                for part in (interview.application.opening.position.name, interview.place)
                if part
            ),
            done=bool(interview.recommendation),
        )
        for interview in found
    ]


def appraisal_deadlines(user, start, end):
    """The deadline of each appraisal cycle (for those who run appraisals), and the user's own
    appraisal while it waits for them or their reviewer."""
    events = []
    if user.has_perm("staff.view_appraisalcycle"):
        cycles = scope_queryset(
            AppraisalCycle.objects.filter(deadline__gte=start, deadline__lt=end).select_related(
                "property"
            ),
            user,
        )
        events += [
            CalendarEvent(
                uid=f"staff.appraisalcycle.{cycle.pk}.deadline",
                area=AREA,
                kind=_("Appraisal deadline"),
                title=cycle.name,
                start=cycle.deadline,
                url=cycle.get_absolute_url(),
                group="appraisals",
                property_code=cycle.property.code,
            )
            for cycle in cycles
        ]
    own = people_visible_to(
        user,
        Appraisal.objects.filter(
            employee__user=user,
            cycle__deadline__gte=start,
            cycle__deadline__lt=end,
            status__in=[AppraisalStatus.PENDING, AppraisalStatus.SELF_ASSESSED],
        ),
    ).select_related("cycle__property")
    events += [
        CalendarEvent(
            uid=f"staff.appraisal.{appraisal.pk}.deadline",
            area=AREA,
            kind=_("Your appraisal is due"),
            title=appraisal.cycle.name,
            start=appraisal.cycle.deadline,
            url=appraisal.get_absolute_url(),
            group="appraisals",
            property_code=appraisal.cycle.property.code,
            detail=appraisal.get_status_display(),
        )
        for appraisal in own
    ]
    return events


def certificates(user, start, end):
    """Certificates of people still employed expiring, or due for their periodic review."""
    found = people_visible_to(
        user,
        Certificate.objects.filter(employee__in=Employee.objects.current()).filter(
            Q(expires_on__gte=start, expires_on__lt=end)
            | Q(next_review_on__gte=start, next_review_on__lt=end)
        ),
    ).select_related("type", "employee__property")
    events = []
    for certificate in found:
        for day, suffix, kind, severity in (
            (certificate.expires_on, "expiry", _("Certificate expires"), "danger"),
            (certificate.next_review_on, "review", _("Certificate review due"), "warning"),
        ):
            if day is not None and start <= day < end:
                events.append(
                    CalendarEvent(
                        uid=f"staff.certificate.{certificate.pk}.{suffix}",
                        area=AREA,
                        kind=kind,
                        title=f"{certificate.type.name} · {certificate.employee.name}",
                        start=day,
                        url=_link(user, certificate),
                        group="certificates",
                        property_code=certificate.employee.property.code,
                        severity=severity,
                    )
                )
    return events


def probation_ends(user, start, end):
    found = people_visible_to(
        user,
        Employee.objects.filter(
            status=EmployeeStatus.PROBATION, probation_end__gte=start, probation_end__lt=end
        ),
    ).select_related("property", "position")
    today = timezone.localdate()
    return [
        CalendarEvent(
            uid=f"staff.employee.{employee.pk}.probation",
            area=AREA,
            kind=_("Probation ends"),
            title=employee.name,
            start=employee.probation_end,
            url=_link(user, employee),
            group="probation",
            property_code=employee.property.code,
            severity="danger" if employee.probation_end < today else "warning",
            detail=employee.position.name,
        )
        for employee in found
    ]
