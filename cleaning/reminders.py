"""What the cleaning area reminds its supervisors (and the director) of."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Severity
from core.reminders import Reminder, ReminderKind
from core.roles import CLEANING_SUPERVISOR, DIRECTOR
from core.scoping import Audience

from .models import CleaningArea, CleaningInspection, CleaningTask, Rectification

MISSED_TASKS = ReminderKind("cleaning.missed_tasks", _("Cleaning tasks missed yesterday"))
RECTIFICATION_DUE = ReminderKind("cleaning.rectification_due", _("Rectifications due tomorrow"))
RECTIFICATION_OVERDUE = ReminderKind(
    "cleaning.rectification_overdue", _("Rectifications past their deadline")
)
RECTIFICATION_ESCALATED = ReminderKind(
    "cleaning.rectification_escalated", _("Rectifications that failed their re-inspection")
)
NOT_INSPECTED = ReminderKind("cleaning.not_inspected", _("Cleaning areas not inspected this month"))


def _start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _moment(day):
    """Now for today's run; the start of ``day`` for another day's."""
    return timezone.now() if day == timezone.localdate() else _start(day)


def missed_tasks(day):
    """Yesterday's tasks not done in their time, one reminder per area (how many missed)."""
    audience = Audience(CLEANING_SUPERVISOR)
    yesterday = day - timedelta(days=1)
    tasks = (
        CleaningTask.objects.missed(_start(day))
        .filter(due_on=yesterday)
        .select_related("area")
        .order_by("area_id", "window_start")
    )
    by_area = {}
    for task in tasks:
        by_area.setdefault(task.area_id, []).append(task)
    for missed in by_area.values():
        area = missed[0].area
        note = _("%(count)d missed") % {"count": len(missed)}
        for user in audience.for_property(area.property_id):
            yield Reminder(user, MISSED_TASKS, area, yesterday, Severity.DANGER, note)


def _rectification_recipients(rectification, audience):
    users = list(audience.for_property(rectification.area.property_id))
    responsible = rectification.responsible
    user = getattr(responsible, "user", None) if responsible is not None else None
    if user is not None and user.is_active and user.email and user not in users:
        users.append(user)
    return users


def _rectifications():
    return Rectification.objects.unresolved().select_related("area", "responsible__user")


def rectifications_due(day):
    """Rectifications whose deadline falls tomorrow, to the supervisor and the responsible."""
    audience = Audience(CLEANING_SUPERVISOR)
    tomorrow = day + timedelta(days=1)
    found = _rectifications().filter(
        deadline__gte=_start(tomorrow), deadline__lt=_start(tomorrow + timedelta(days=1))
    )
    for rectification in found:
        for user in _rectification_recipients(rectification, audience):
            yield Reminder(
                user,
                RECTIFICATION_DUE,
                rectification,
                tomorrow,
                Severity.WARNING,
                rectification.area.name,
            )


def rectifications_overdue(day):
    audience = Audience(CLEANING_SUPERVISOR)
    for rectification in _rectifications().filter(deadline__lt=_moment(day)):
        due = timezone.localtime(rectification.deadline).date()
        for user in _rectification_recipients(rectification, audience):
            yield Reminder(
                user,
                RECTIFICATION_OVERDUE,
                rectification,
                due,
                Severity.DANGER,
                rectification.area.name,
            )


def rectifications_escalated(day):
    """A rectification whose re-inspection failed goes up to the director until closed."""
    audience = Audience(DIRECTOR)
    for rectification in _rectifications().filter(escalations__gt=0):
        due = timezone.localtime(rectification.deadline).date()
        note = _("%(area)s: %(count)d failed re-inspections") % {
            "area": rectification.area.name,
            "count": rectification.escalations,
        }
        for user in audience.for_property(rectification.area.property_id):
            yield Reminder(user, RECTIFICATION_ESCALATED, rectification, due, Severity.DANGER, note)


def not_inspected_this_month(day):
    """Active areas with no inspection this month, in the last week of the month (a warning,
    while there is still time), to the cleaning supervisor."""
    month_start = day.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    if (next_month - day).days > 7:
        return
    audience = Audience(CLEANING_SUPERVISOR)
    inspected = CleaningInspection.objects.filter(
        inspected_at__gte=_start(month_start), inspected_at__lt=_start(next_month)
    ).values("area")
    areas = CleaningArea.objects.filter(active=True).exclude(pk__in=inspected)
    last_day = next_month - timedelta(days=1)
    for area in areas:
        for user in audience.for_property(area.property_id):
            yield Reminder(user, NOT_INSPECTED, area, last_day, Severity.WARNING, area.name)
