"""Staff operations that change several rows: the recruitment pipeline, hiring, onboarding.

Each is atomic, takes the acting user, and leaves history (who and when) on what it changes.
Views, admin actions, tasks and tests call these; none re-implements them.
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import shown_day
from core.numbers import join_list
from core.workflow import save_with_history

from .models import (
    APPLICATION,
    APPRAISAL,
    JOB_OPENING,
    Appraisal,
    AppraisalScore,
    Attendance,
    Certificate,
    Employee,
    EmployeeStatus,
    InterviewScore,
    OnboardingItem,
    OnboardingTask,
    OpeningStatus,
    Post,
    Shift,
    ShiftType,
    Stage,
    TrainingSession,
    rating_for,
)


@transaction.atomic
def move_application(application, stage, *, by, reason=""):
    """Move an application one step along the pipeline, or close it with a reason."""
    app = APPLICATION.lock(application)
    if stage == Stage.HIRED:
        raise ValidationError(
            _("Hiring is its own step: use Hire on an application with an offer.")
        )
    action = APPLICATION.action_to(stage)
    if action is None or not APPLICATION.allowed(app, action):
        raise ValidationError(
            _("An application at “%(current)s” cannot move to “%(target)s”.")
            % {"current": app.get_stage_display(), "target": Stage(stage).label}
        )
    reason = reason.strip()
    if stage in (Stage.REJECTED, Stage.WITHDRAWN) and not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting or withdrawing.")})
    return APPLICATION.step(
        app, action, by=by, text=reason, closed_reason=reason, stage_changed_at=timezone.now()
    )


@transaction.atomic
def hire(application, *, by, staff_no, hire_date, probation_end, supervisor=None):
    """Hire the candidate of an application at the offer stage: create the employee (on
    probation) with an onboarding checklist, and mark the opening filled when it is."""
    app = APPLICATION.lock(application, "candidate")
    if app.stage != Stage.OFFER:
        raise ValidationError(_("Only a candidate with an offer can be hired."))
    # Lock the opening: two people hiring at once must not pass the headcount.
    opening = JOB_OPENING.lock(app.opening_id, "position")
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
    save_with_history(employee, by)
    OnboardingItem.objects.bulk_create(
        OnboardingItem(employee=employee, task=task) for task in OnboardingTask.values
    )
    APPLICATION.step(
        app,
        "hire",
        by=by,
        text=employee.staff_no,
        employee=employee,
        stage_changed_at=timezone.now(),
    )
    if hired + 1 >= opening.headcount:
        JOB_OPENING.step(opening, "fill", by=by, text=str(app.candidate))
    return employee


@transaction.atomic
def record_interview(interview, *, by, scores, interviewers=None):
    """Save an interview with its per-criterion scores (``{criterion: 1..5 or None}``)."""
    save_with_history(interview, by)
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
    save_with_history(item, by, ["done_at", "done_by"])
    return item


# --- training ------------------------------------------------------------------------------


@transaction.atomic
def enrol(session, employees, *, by):
    """Enrol employees of the session's property, within its capacity; those already
    enrolled are left as they are. Returns the new attendance rows."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    enrolled = set(session.attendances.values_list("employee_id", flat=True))
    new = [e for e in employees if e.pk not in enrolled]
    strangers = [e.name for e in new if e.property_id != session.property_id]
    if strangers:
        raise ValidationError(
            _("These people work at another property: %(names)s.") % {"names": join_list(strangers)}
        )
    if len(enrolled) + len(new) > session.capacity:
        raise ValidationError(
            _("Only %(free)d places are left in this session.")
            % {"free": max(session.capacity - len(enrolled), 0)}
        )
    rows = []
    for employee in new:
        attendance = Attendance(session=session, employee=employee)
        save_with_history(attendance, by)
        rows.append(attendance)
    return rows


def _valid_until(session, course):
    if not course.validity_months:
        return None
    return timezone.localtime(session.starts_at).date() + relativedelta(
        months=course.validity_months
    )


@transaction.atomic
def record_results(session, results, *, by):
    """Record who came and their scores: ``results`` maps attendance ids to
    ``(attended, score)``. A pass needs attendance and, where scored, the course's pass mark;
    it is then valid for the course's validity."""
    session = TrainingSession.objects.select_related("course").get(pk=session.pk)
    if session.starts_at > timezone.now():
        raise ValidationError(_("Results can be recorded once the session has started."))
    course = session.course
    for attendance in session.attendances.select_for_update().filter(pk__in=results):
        attended, score = results[attendance.pk]
        score = None if score is None else Decimal(score)
        if score is not None and not score.is_finite():
            raise ValidationError(_("Scores are numbers from 0 to 100."))
        if score is not None and not attended:
            raise ValidationError(
                _("%(name)s has a score but did not attend.") % {"name": attendance.employee.name}
            )
        passed = bool(attended) and (score is None or score >= course.pass_score)
        attendance.attended, attendance.score, attendance.passed = attended, score, passed
        attendance.valid_until = _valid_until(session, course) if passed else None
        attendance.full_clean(exclude=["session", "employee"])
        save_with_history(attendance, by)


# --- appraisals ----------------------------------------------------------------------------


@transaction.atomic
def open_cycle(cycle, *, by):
    """Create an appraisal (with one score line per KPI criterion) for every current employee
    of the cycle's property whose position has a template. Safe to run again."""
    employees = (
        Employee.objects.current()
        .filter(property=cycle.property_id, position__kpi_template__isnull=False)
        .select_related("supervisor__user")
        .prefetch_related("position__kpi_template__criteria")
    )
    existing = set(cycle.appraisals.values_list("employee_id", flat=True))
    created = 0
    for employee in employees:
        criteria = list(employee.position.kpi_template.criteria.all())
        if employee.pk in existing or not criteria:
            continue
        if sum(c.weight for c in criteria) != 100:
            raise ValidationError(
                _("The KPI template of %(position)s does not add up to 100; fix it first.")
                % {"position": employee.position}
            )
        supervisor = employee.supervisor
        appraisal = Appraisal(
            cycle=cycle, employee=employee, reviewer=supervisor.user if supervisor else None
        )
        save_with_history(appraisal, by)
        AppraisalScore.objects.bulk_create(
            AppraisalScore(appraisal=appraisal, criterion=c, weight=c.weight) for c in criteria
        )
        created += 1
    return created


def _may_act_for(user, employee):
    return user.has_perm("staff.change_appraisal") or (
        employee.user_id is not None and employee.user_id == user.pk
    )


def _check_scores(appraisal, scores):
    lines = list(appraisal.scores.select_for_update().select_related("criterion"))
    missing = [line.criterion.name for line in lines if scores.get(line.criterion_id) is None]
    if missing:
        raise ValidationError(
            _("Score every criterion: %(names)s.") % {"names": join_list(missing)}
        )
    if any(not 0 <= scores[line.criterion_id] <= 100 for line in lines):
        raise ValidationError(_("Scores run from 0 to 100."))
    return lines


@transaction.atomic
def submit_self_assessment(appraisal, scores, comment, *, by):
    appraisal = APPRAISAL.lock(appraisal, "employee")
    APPRAISAL.check(appraisal, "self_assess")
    if not _may_act_for(by, appraisal.employee):
        raise ValidationError(_("Only the employee (or HR for them) submits a self-assessment."))
    for line in _check_scores(appraisal, scores):
        line.self_score = scores[line.criterion_id]
        line.save(update_fields=["self_score"])
    return APPRAISAL.step(appraisal, "self_assess", by=by, self_comment=comment)


@transaction.atomic
def submit_review(appraisal, scores, comment, *, by):
    """The reviewer's scores; the final score is their weighted sum, which sets the rating."""
    appraisal = APPRAISAL.lock(appraisal, "employee")
    APPRAISAL.check(appraisal, "review")
    if appraisal.employee.user_id == by.pk:
        raise ValidationError(_("Nobody reviews their own appraisal."))
    if appraisal.reviewer_id != by.pk and not by.has_perm("staff.change_appraisal"):
        raise ValidationError(_("Only the reviewer (or HR) reviews this appraisal."))
    total = Decimal(0)
    for line in _check_scores(appraisal, scores):
        line.reviewer_score = scores[line.criterion_id]
        line.save(update_fields=["reviewer_score"])
        total += Decimal(line.weight * line.reviewer_score) / 100
    final_score = total.quantize(Decimal("0.01"))
    return APPRAISAL.step(
        appraisal,
        "review",
        by=by,
        final_score=final_score,
        rating=rating_for(final_score),
        reviewer_comment=comment,
    )


@transaction.atomic
def acknowledge(appraisal, *, by):
    appraisal = APPRAISAL.lock(appraisal, "employee")
    APPRAISAL.check(appraisal, "acknowledge")
    if appraisal.employee.user_id != by.pk:
        raise ValidationError(_("Only the employee acknowledges their appraisal."))
    return APPRAISAL.step(appraisal, "acknowledge", by=by, acknowledged_at=timezone.now())


# --- rosters -------------------------------------------------------------------------------


def _on_leave(employee, day):
    """Leave counts by its dates, booked ahead or under way, whatever the status says."""
    return (
        employee.leave_start is not None
        and employee.leave_start <= day
        and (employee.leave_end is None or day <= employee.leave_end)
    )


def _shift_problems(shift, others, certificates, rest, required_types):
    """Why ``shift`` cannot be rostered, given the employee's ``others`` shifts and
    ``certificates``; an empty list if it can."""
    employee, post, day = shift.employee, shift.post, shift.date
    where = _("%(name)s on %(day)s") % {"name": employee.name, "day": shown_day(day)}
    problems = []
    if employee.property_id != post.property_id:
        problems.append(_("%(who)s: works at another property.") % {"who": where})
    if employee.status == EmployeeStatus.RESIGNED or (
        employee.resigned_on and day > employee.resigned_on
    ):
        problems.append(_("%(who)s: has left.") % {"who": where})
    elif day < employee.hire_date:
        problems.append(_("%(who)s: not yet hired.") % {"who": where})
    elif _on_leave(employee, day):
        problems.append(_("%(who)s: is on leave.") % {"who": where})
    for other in others:
        if other is shift or (other.pk is not None and other.pk == shift.pk):
            continue  # itself (a saved shift being edited, or one of the batch)
        if other.starts_at < shift.ends_at and shift.starts_at < other.ends_at:
            problems.append(
                _("%(who)s: already on %(post)s (%(shift)s) at that time.")
                % {"who": where, "post": other.post, "shift": other.shift_type.name}
            )
        elif other.starts_at < shift.ends_at + rest and shift.starts_at < other.ends_at + rest:
            problems.append(
                _(
                    "%(who)s: less than %(hours)d hours of rest after or before "
                    "%(post)s (%(shift)s)."
                )
                % {
                    "who": where,
                    "hours": rest.total_seconds() // 3600,
                    "post": other.post,
                    "shift": other.shift_type.name,
                }
            )
    end_day = timezone.localtime(shift.ends_at).date()
    for required in required_types[post.pk]:
        if not any(
            c.type_id == required.pk
            and c.issued_on <= day
            and (c.expires_on is None or c.expires_on >= end_day)
            for c in certificates
        ):
            problems.append(
                _("%(who)s: %(post)s requires a valid %(certificate)s.")
                % {"who": where, "post": post, "certificate": required}
            )
    return problems


@transaction.atomic
def assign_shifts(shifts, *, by):
    """Roster every shift in ``shifts`` (unsaved Shift objects) or none of them.

    Refused, with one message per problem: double booking, less than ROSTER_MIN_REST_HOURS
    between shifts, someone on leave or of another property, and the qualification gate (a
    certificate the post requires, missing or expired on the day)."""
    from django.conf import settings

    rest = timedelta(hours=settings.ROSTER_MIN_REST_HOURS)
    for shift in shifts:
        shift.set_span()
    people = {s.employee_id for s in shifts}
    # One lock per person: two supervisors rostering the same guard wait for each other.
    list(Employee.objects.select_for_update().filter(pk__in=people).order_by("pk"))
    window_start = min(s.starts_at for s in shifts) - rest
    window_end = max(s.ends_at for s in shifts) + rest
    existing = defaultdict(list)
    for other in Shift.objects.filter(
        employee_id__in=people, starts_at__lt=window_end, ends_at__gt=window_start
    ).select_related("post", "shift_type"):
        existing[other.employee_id].append(other)
    certificates = defaultdict(list)
    for certificate in Certificate.objects.filter(employee_id__in=people):
        certificates[certificate.employee_id].append(certificate)
    required_types = defaultdict(list)
    through = Post.required_certificate_types.through
    for link in through.objects.filter(post_id__in={s.post_id for s in shifts}).select_related(
        "certificatetype"
    ):
        required_types[link.post_id].append(link.certificatetype)
    problems = []
    for shift in shifts:
        others = existing[shift.employee_id]
        problems += _shift_problems(
            shift, others, certificates[shift.employee_id], rest, required_types
        )
        others.append(shift)  # the batch must not clash with itself either
    if problems:
        raise ValidationError(problems)
    for shift in shifts:
        save_with_history(shift, by)
    return shifts


def plan_shifts(employees, post, shift_type, days):
    return [
        Shift(employee=e, post=post, shift_type=shift_type, date=d) for e in employees for d in days
    ]


def rotation_shifts(employee, post, pattern, start, count):
    """The shifts of ``pattern`` for ``employee`` over ``count`` days from ``start``."""
    types = {t.code: t for t in ShiftType.objects.all()}
    codes = pattern.codes()
    unknown = sorted({code for code in codes if code != "-" and code not in types})
    if unknown:
        raise ValidationError(
            _("The pattern uses shift codes that no longer exist: %(codes)s.")
            % {"codes": ", ".join(unknown)}
        )
    shifts = []
    for offset in range(count):
        code = codes[offset % len(codes)]
        if code != "-":
            shifts.append(
                Shift(
                    employee=employee,
                    post=post,
                    shift_type=types[code],
                    date=start + timedelta(days=offset),
                )
            )
    return shifts
