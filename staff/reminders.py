"""What the staff area reminds people of: certificates, reviews, probation.

Recipients: HR users of the employee's property and the employee's supervisor (if they have
a login). Pure queries; core.digests does the sending.
"""

from collections import Counter
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.models import Severity
from core.numbers import join_list
from core.reminders import Reminder, ReminderKind
from core.roles import HR
from core.scoping import Audience

from .models import (
    Appraisal,
    AppraisalStatus,
    Attendance,
    Certificate,
    Employee,
    EmployeeStatus,
    Post,
    Shift,
)

CERTIFICATE_EXPIRING = ReminderKind("staff.certificate_expiring", _("Certificates expiring"))
CERTIFICATE_EXPIRED = ReminderKind("staff.certificate_expired", _("Expired certificates"))
CERTIFICATE_REVIEW = ReminderKind("staff.certificate_review", _("Certificate reviews due"))
PROBATION_ENDING = ReminderKind("staff.probation_ending", _("Probation ending"))

EARLY_NOTICES = (90, 30)  # days before expiry: one reminder on each of these days
DAILY_FROM = 7  # then every day from a week before


def _recipients(employee, hr):
    users = list(hr.for_property(employee.property_id))
    supervisor = employee.supervisor
    if (
        supervisor is not None
        and supervisor.status != EmployeeStatus.RESIGNED
        and supervisor.user is not None
        and supervisor.user.is_active
        and supervisor.user.email
    ):
        users.append(supervisor.user)
    return {user.pk: user for user in users}.values()


def _certificates(day):
    return Certificate.objects.filter(employee__in=Employee.objects.current()).select_related(
        "type", "employee__supervisor__user", "employee__property"
    )


def _severity_before(days_left):
    return Severity.WARNING if days_left <= DAILY_FROM else Severity.INFO


def certificates_expiring(day):
    notice_days = [day + timedelta(days=n) for n in EARLY_NOTICES]
    renewed = Certificate.objects.filter(
        employee=OuterRef("employee"), type=OuterRef("type")
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    due = (
        _certificates(day)
        .filter(
            Q(expires_on__in=notice_days)
            | Q(expires_on__gte=day, expires_on__lte=day + timedelta(days=DAILY_FROM))
        )
        .filter(~Exists(renewed))
    )
    hr = Audience(HR)
    for certificate in due:
        days_left = (certificate.expires_on - day).days
        note = format_lazy(
            _("{holder}: expires in {days} days"), holder=certificate.employee, days=days_left
        )
        for user in _recipients(certificate.employee, hr):
            yield Reminder(
                user,
                CERTIFICATE_EXPIRING,
                certificate,
                certificate.expires_on,
                _severity_before(days_left),
                note,
            )


def certificates_expired(day):
    hr = Audience(HR)
    for certificate in _certificates(day).unreplaced(day):
        note = format_lazy(
            _("{holder}: expired, no valid replacement"), holder=certificate.employee
        )
        for user in _recipients(certificate.employee, hr):
            yield Reminder(
                user,
                CERTIFICATE_EXPIRED,
                certificate,
                certificate.expires_on,
                Severity.DANGER,
                note,
            )


def certificate_reviews(day):
    due = (
        _certificates(day)
        .valid_on(day)
        .filter(
            Q(next_review_on__in=[day + timedelta(days=n) for n in EARLY_NOTICES])
            | Q(next_review_on__lte=day + timedelta(days=DAILY_FROM))
        )
    )
    hr = Audience(HR)
    for certificate in due:
        days_left = (certificate.next_review_on - day).days
        severity = Severity.DANGER if days_left < 0 else _severity_before(days_left)
        for user in _recipients(certificate.employee, hr):
            yield Reminder(
                user,
                CERTIFICATE_REVIEW,
                certificate,
                certificate.next_review_on,
                severity,
                format_lazy("{}", certificate.employee),
            )


def probation_ending(day):
    ending = Employee.objects.filter(
        status=EmployeeStatus.PROBATION, probation_end__lte=day + timedelta(days=14)
    ).select_related("supervisor__user", "property")
    hr = Audience(HR)
    for employee in ending:
        severity = Severity.DANGER if employee.probation_end < day else Severity.WARNING
        for user in _recipients(employee, hr):
            yield Reminder(
                user,
                PROBATION_ENDING,
                employee,
                employee.probation_end,
                severity,
                _("Confirm, extend or end the probation."),
            )


TRAINING_TOMORROW = ReminderKind("staff.training_tomorrow", _("Training tomorrow"))


def training_tomorrow(day):
    """Each enrolled employee with a login, the day before their session."""
    tomorrow = day + timedelta(days=1)
    attendances = (
        Attendance.objects.filter(
            session__starts_at__date=tomorrow,
            employee__user__isnull=False,
            employee__user__is_active=True,
        )
        .exclude(employee__user__email="")
        .select_related("session__course", "employee__user")
    )
    for attendance in attendances:
        session = attendance.session
        yield Reminder(
            attendance.employee.user,
            TRAINING_TOMORROW,
            session,
            tomorrow,
            Severity.INFO,
            format_lazy("{} · {}", session.place, session.trainer),
        )


APPRAISAL_OVERDUE = ReminderKind("staff.appraisal_overdue", _("Appraisals past their deadline"))


def appraisals_overdue(day):
    """After a cycle's deadline, every appraisal not yet reviewed: to HR, to the reviewer, and
    (while the self-assessment is missing) to the employee."""
    late = Appraisal.objects.filter(
        employee__in=Employee.objects.current(),
        cycle__deadline__lt=day,
        status__in=[AppraisalStatus.PENDING, AppraisalStatus.SELF_ASSESSED],
    ).select_related("cycle", "employee__user", "reviewer")
    hr = Audience(HR)
    for appraisal in late:
        users = {u.pk: u for u in hr.for_property(appraisal.cycle.property_id)}
        if appraisal.reviewer and appraisal.reviewer.email:
            users[appraisal.reviewer.pk] = appraisal.reviewer
        own = appraisal.employee.user
        if appraisal.status == AppraisalStatus.PENDING and own and own.email and own.is_active:
            users[own.pk] = own
        for user in users.values():
            yield Reminder(
                user,
                APPRAISAL_OVERDUE,
                appraisal,
                appraisal.cycle.deadline,
                Severity.DANGER,
                appraisal.get_status_display(),
            )


ROSTER_GAP = ReminderKind("staff.roster_gap", _("Roster gaps tomorrow"))


def roster_gaps(day):
    """Tomorrow's posts and shifts with fewer people rostered than the post needs: to the
    post's responsible supervisor and HR."""
    tomorrow = day + timedelta(days=1)
    covered = Counter(Shift.objects.filter(date=tomorrow).values_list("post_id", "shift_type_id"))
    posts = (
        Post.objects.filter(active=True, shift_types__isnull=False)
        .distinct()
        .select_related("supervisor__user")
        .prefetch_related("shift_types")
    )
    hr = Audience(HR)
    for post in posts:
        missing = [t for t in post.shift_types.all() if covered[post.pk, t.pk] < post.headcount]
        if not missing:
            continue
        users = {u.pk: u for u in hr.for_property(post.property_id)}
        boss = post.supervisor.user if post.supervisor else None
        if boss is not None and boss.email and boss.is_active:
            users[boss.pk] = boss
        note = format_lazy(
            _("Nobody on: {shifts}"), shifts=lazy(join_list, str)([t.name for t in missing])
        )
        for user in users.values():
            yield Reminder(user, ROSTER_GAP, post, tomorrow, Severity.WARNING, note)
