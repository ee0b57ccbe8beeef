"""Numbers and lists as people read them, in the active language: quantities without trailing
zeros, money as ¥ with two decimals, both grouped by thousands; lists joined the way the
language joins them."""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import pgettext

EMPTY = "—"


def _decimal(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = str(value)  # 2.5, not 2.5000000000000000001
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return amount if amount.is_finite() else None


def format_quantity(value, empty=EMPTY):
    """``Decimal("16.000")`` → "16", ``Decimal("2.500")`` → "2.5", 12345.5 → "12,345.5";
    ``None`` or "" → ``empty``; anything that is not a number comes back as it is."""
    if value is None or value == "":
        return empty
    amount = _decimal(value)
    if amount is None:
        return value
    places = max(-amount.normalize().as_tuple().exponent, 0)
    return number_format(amount, places, use_l10n=True, force_grouping=True)


def format_money(value, empty=EMPTY):
    """CNY with two decimals, grouped by thousands: ``Decimal("115470")`` → "¥115,470.00"."""
    if value is None or value == "":
        return empty
    amount = _decimal(value)
    if amount is None:
        return value
    text = number_format(abs(amount), 2, use_l10n=True, force_grouping=True)
    return f"-¥{text}" if amount < 0 and text.strip("0.,") else f"¥{text}"


def join_list(items):
    """Items joined as the active language lists them: "a, b, c" in English, "甲、乙、丙" in
    Chinese."""
    # Translators: what separates the items of a list in a sentence ("、" in Chinese).
    return pgettext("list separator", ", ").join(str(item) for item in items)
