"""What the stores area reminds people of (stores & procurement role and the director)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.models import Severity
from core.reminders import Reminder, ReminderKind, reminder_source
from core.scoping import Audience

from .dashboard import below_minimum
from .models import StockBalance

BELOW_MINIMUM = ReminderKind("procurement.below_minimum", _("Items below their minimum"))


@reminder_source
def items_below_minimum(day):
    """Every balance under its storeroom minimum, to the storekeepers and the director."""
    low = below_minimum(StockBalance.objects.filter(storeroom__active=True)).select_related(
        "item", "storeroom"
    )
    audience = Audience("stores", "director")
    for balance in low:
        note = format_lazy(
            _("{quantity} {unit} left, minimum {minimum}"),
            quantity=balance.quantity.normalize(),
            unit=balance.item.unit,
            minimum=balance.minimum.normalize(),
        )
        for user in audience.for_property(balance.storeroom.property_id):
            yield Reminder(user, BELOW_MINIMUM, balance, day, Severity.WARNING, note)
