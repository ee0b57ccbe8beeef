from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def money(value):
    """CNY with two decimals, grouped in the active locale: ¥1,234.50."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    return f"¥{number_format(amount, 2, use_l10n=True, force_grouping=True)}"


@register.filter
def is_bool(value):
    return isinstance(value, bool)


@register.filter
def hours(value):
    """A duration (timedelta) in hours with one decimal, in the active locale: 26.5 h."""
    if value is None or not hasattr(value, "total_seconds"):
        return "—"
    amount = Decimal(value.total_seconds()) / 3600
    return _("%(hours)s h") % {"hours": number_format(amount, 1, use_l10n=True)}
