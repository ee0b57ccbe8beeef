"""Sane bounds for the dates people type, in forms and in the database.

A mistyped year (0001, 9999, 20266) is a form error in the user's language, never a 500 or a
row that sorts before everything else. Two windows:

- work that is planned, scheduled or documented now (plans, due dates, orders, counts,
  appraisal periods, shifts, training sessions): 2000–2099;
- records of the past kept on people and plant (hire dates, certificates, commissioning,
  warranties): from 1950, since a lift commissioned in 1996 or a licence issued in 1988 is real.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)
RECORDS_FROM = datetime.date(1950, 1, 1)

WINDOW_MESSAGES = {
    EARLIEST: _("Choose a date between 2000 and 2099."),
    RECORDS_FROM: _("Choose a date between 1950 and 2099."),
}


def _moment(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def _check(value, earliest):
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        # Compared as moments (aware comparison converts nothing, so nothing near year 1 or
        # 9999 overflows), with the same bounds as the database constraint.
        moment = value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
        within = _moment(earliest) <= moment < _moment(LATEST + datetime.timedelta(days=1))
    else:
        within = earliest <= value <= LATEST
    if not within:
        raise ValidationError(
            _("Choose a date between %(start)s and %(end)s."),
            code="date_range",
            params={"start": earliest.isoformat(), "end": LATEST.isoformat()},
        )


def within(value, since=EARLIEST):
    """Whether ``value`` (a date) is in the window: code that computes from a typed date
    (aligning a schedule, the day after) asks first, since model ``clean()`` runs even when
    the field's own validation has failed."""
    return value is not None and since <= value <= LATEST


def validate_sane_date(value):
    """A date (or date and time) of current work: 2000–2099."""
    _check(value, EARLIEST)


def validate_record_date(value):
    """A date of a record of the past (hire, certificate, commissioning): 1950–2099."""
    _check(value, RECORDS_FROM)


def date_window(*fields, since=EARLIEST):
    """Check constraints keeping the date ``fields`` within ``since``–2099 (or empty)."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__isnull": True})
            | Q(**{f"{name}__gte": since, f"{name}__lte": LATEST}),
            name=f"%(app_label)s_%(class)s_{name}_in_window",
            violation_error_message=WINDOW_MESSAGES[since],
        )
        for name in fields
    ]


def datetime_window(*fields):
    """Check constraints keeping the date-and-time ``fields`` within 2000–2099 (or empty)."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__isnull": True})
            | Q(
                **{
                    f"{name}__gte": _moment(EARLIEST),
                    f"{name}__lt": _moment(LATEST + datetime.timedelta(days=1)),
                }
            ),
            name=f"%(app_label)s_%(class)s_{name}_in_window",
            violation_error_message=WINDOW_MESSAGES[EARLIEST],
        )
        for name in fields
    ]


# --- dates as people read them -----------------------------------------------------------------


def shown_day(value):
    """A date in the active language's format ("7 Dec 2026", "2026年12月7日"), for names
    and messages; ISO stays for file names and typed export cells."""
    from django.utils.formats import date_format

    return date_format(value, "SHORT_DATE_FORMAT")


def shown_moment(value):
    """A moment in the current time zone, in the active language's date-and-time format."""
    from django.utils import timezone
    from django.utils.formats import date_format

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "SHORT_DATETIME_FORMAT")
