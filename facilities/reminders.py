"""What the facilities area reminds its supervisors of."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.models import Severity
from core.reminders import Reminder, ReminderKind
from core.roles import DIRECTOR, FACILITIES_SUPERVISOR
from core.scoping import Audience

from .models import Equipment, InspectionRound, Priority, Reading, WorkOrder, WorkOrderKind

WARRANTY_ENDING = ReminderKind("facilities.warranty_ending", _("Warranties ending within 30 days"))
CERTIFICATE_EXPIRING = ReminderKind(
    "facilities.certificate_expiring", _("Statutory inspection certificates expiring")
)


def _expiring(day, field, kind, *, passed):
    audience = Audience(FACILITIES_SUPERVISOR)
    equipment_list = Equipment.objects.expiring(field, day, passed=passed)
    for equipment in equipment_list.select_related("category"):
        due = getattr(equipment, field)
        severity = Severity.DANGER if due < day else Severity.WARNING
        for user in audience.for_property(equipment.property_id):
            yield Reminder(user, kind, equipment, due, severity, equipment.category.name)


def warranties_ending(day):
    """Warranties ending in the next 30 days: claim what is due before they end (an ended
    warranty is no longer reminded)."""
    yield from _expiring(day, "warranty_ends_on", WARRANTY_ENDING, passed=False)


def certificates_expiring(day):
    """Special equipment (elevators, pressure vessels) must not run on an expired
    certificate: within 30 days it is a warning, past it a danger."""
    yield from _expiring(day, "certificate_expires_on", CERTIFICATE_EXPIRING, passed=True)


PREVENTIVE_DUE = ReminderKind(
    "facilities.preventive_due", _("Preventive maintenance due within 3 days or overdue")
)
PAST_TARGET = ReminderKind(
    "facilities.past_resolution_target", _("Work orders past their resolution target")
)
LONG_OVERDUE = ReminderKind("facilities.overdue_week", _("Work orders overdue by more than 7 days"))
DUE_SOON_DAYS = 3
ESCALATE_AFTER_DAYS = 7


def _moment(day):
    """The moment a run for ``day`` looks at: now for today, else the start of that day."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time.min))


def _recipients(order, audience):
    users = list(audience.for_property(order.property_id))
    user = getattr(order.assignee, "user", None) if order.assignee_id else None
    if user is not None and user.is_active and user.email:
        users.append(user)
    return users


# Lazy: a generated title is worded in each recipient's language.
_title = lazy(lambda order: order.display_title, str)


def preventive_due(day):
    """Preventive orders due within 3 days (a warning) or overdue (a danger), to the
    supervisor and to whoever does the work."""
    audience = Audience(FACILITIES_SUPERVISOR)
    orders = (
        WorkOrder.objects.open()
        .filter(kind=WorkOrderKind.PREVENTIVE, due_on__lte=day + timedelta(days=DUE_SOON_DAYS))
        .select_related("assignee__user")
    )
    for order in orders:
        severity = Severity.DANGER if order.due_on < day else Severity.WARNING
        for user in _recipients(order, audience):
            yield Reminder(user, PREVENTIVE_DUE, order, order.due_on, severity, _title(order))


def past_resolution_target(day):
    """Repairs and inspections still open past the time their priority allows."""
    audience = Audience(FACILITIES_SUPERVISOR)
    orders = (
        WorkOrder.objects.overdue(_moment(day))
        .exclude(kind=WorkOrderKind.PREVENTIVE)
        .select_related("assignee__user")
    )
    for order in orders:
        due = timezone.localtime(order.resolve_by).date()
        # Lazy: the priority is rendered in each recipient's language.
        note = format_lazy("{} · {}", Priority(order.priority).label, _title(order))
        for user in _recipients(order, audience):
            yield Reminder(user, PAST_TARGET, order, due, Severity.DANGER, note)


def long_overdue(day):
    """Anything overdue by more than a week goes up to the director as well."""
    audience = Audience(DIRECTOR)
    limit = _moment(day) - timedelta(days=ESCALATE_AFTER_DAYS)
    orders = WorkOrder.objects.open().filter(resolve_by__lt=limit)
    for order in orders:
        due = timezone.localtime(order.resolve_by).date()
        for user in audience.for_property(order.property_id):
            yield Reminder(user, LONG_OVERDUE, order, due, Severity.DANGER, _title(order))


READING_OUT_OF_RANGE = ReminderKind(
    "facilities.reading_out_of_range", _("Readings out of range with no work order")
)
ROUND_NOT_DONE = ReminderKind("facilities.round_not_done", _("Inspection rounds not done"))
READINGS_LOOKBACK_DAYS = 7


def readings_out_of_range(day):
    """Readings out of range in the last week that nobody has turned into a work order."""
    audience = Audience(FACILITIES_SUPERVISOR)
    since = _moment(day) - timedelta(days=READINGS_LOOKBACK_DAYS)
    readings = Reading.objects.filter(
        passed=False, follow_up__isnull=True, recorded_at__gte=since, recorded_at__lt=_moment(day)
    ).select_related("round__route", "point")
    for reading in readings:
        note = f"{reading.point.name} · {reading.text}: {reading.describe_answer()}"
        for user in audience.for_property(reading.round.route.property_id):
            yield Reminder(
                user,
                READING_OUT_OF_RANGE,
                reading.round,
                timezone.localtime(reading.recorded_at).date(),
                Severity.DANGER,
                note,
            )


def rounds_not_done(day):
    """Rounds of the last week whose day has passed without them being walked."""
    audience = Audience(FACILITIES_SUPERVISOR)
    rounds = (
        InspectionRound.objects.missed(day)
        .filter(due_on__gte=day - timedelta(days=READINGS_LOOKBACK_DAYS))
        .select_related("route")
    )
    for round_ in rounds:
        for user in audience.for_property(round_.route.property_id):
            yield Reminder(
                user, ROUND_NOT_DONE, round_, round_.due_on, Severity.DANGER, round_.route.name
            )
