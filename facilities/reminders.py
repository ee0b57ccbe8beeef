"""What the facilities area reminds its supervisors of."""

from django.utils.translation import gettext_lazy as _

from core.models import Severity
from core.reminders import Reminder, ReminderKind, reminder_source
from core.scoping import Audience

from .models import Equipment

WARRANTY_ENDING = ReminderKind("facilities.warranty_ending", _("Warranties ending within 30 days"))
CERTIFICATE_EXPIRING = ReminderKind(
    "facilities.certificate_expiring", _("Statutory inspection certificates expiring")
)


def _expiring(day, field, kind, *, passed):
    audience = Audience("facilities_supervisor")
    equipment_list = Equipment.objects.expiring(field, day, passed=passed)
    for equipment in equipment_list.select_related("category"):
        due = getattr(equipment, field)
        severity = Severity.DANGER if due < day else Severity.WARNING
        for user in audience.for_property(equipment.property_id):
            yield Reminder(user, kind, equipment, due, severity, equipment.category.name)


@reminder_source
def warranties_ending(day):
    """Warranties ending in the next 30 days: claim what is due before they end (an ended
    warranty is no longer reminded)."""
    yield from _expiring(day, "warranty_ends_on", WARRANTY_ENDING, passed=False)


@reminder_source
def certificates_expiring(day):
    """Special equipment (elevators, pressure vessels) must not run on an expired
    certificate: within 30 days it is a warning, past it a danger."""
    yield from _expiring(day, "certificate_expires_on", CERTIFICATE_EXPIRING, passed=True)
