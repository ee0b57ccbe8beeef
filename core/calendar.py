"""The calendar: the dated entries every app declares (``calendar=[…]`` in its ``hooks.py``),
gathered for a window of days, filtered, and laid out as a month or a week. The iCalendar
feed (``core.ical``) reads the same entries."""

import calendar as stdlib_calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .registry import CALENDAR, CalendarEvent, collect

# The calendar pages stay within these days (as the apps' own dates do).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")


def parse_month(value):
    """The first day of a month written YYYY-MM (as ``<input type=month>`` sends it), or None."""
    match = MONTH.match(value or "")
    if not match:
        return None
    try:
        first = date(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
    return first if FIRST_DAY <= first <= LAST_DAY else None


def parse_week(value):
    """The Monday of an ISO week written YYYY-Www (as ``<input type=week>`` sends it), or
    None."""
    match = WEEK.match(value or "")
    if not match:
        return None
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
    return monday if FIRST_DAY <= monday <= LAST_DAY - timedelta(days=6) else None


def iso_week(day):
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def day_bounds(start, end):
    """Aware datetimes of [start 00:00, end 00:00) in the current time zone, for providers
    that filter a datetime field on a window of dates."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end, time.min)),
    )


def sort_key(event: CalendarEvent):
    start = event.start
    moment = timezone.localtime(start).time() if isinstance(start, datetime) else time.min
    return (event.start_date, not event.all_day, moment, event.area, str(event.title))


def gather(user, start, end, *, property_code="", area="", group="", errors=None):
    """Every entry dated in [start, end) that ``user`` may see, sorted; each provider
    isolated. ``property_code`` keeps that property's entries (and those of no property,
    such as a supplier's documents); ``area`` and ``group`` keep one area or one kind."""
    found = collect(CALENDAR, user, start, end, errors=errors)
    events = [
        event
        for event in found
        if start <= event.start_date < end
        and (not property_code or event.property_code in ("", property_code))
        and (not area or event.area == area)
        and (not group or event.group == group)
    ]
    return sorted(events, key=sort_key)


@dataclass
class Day:
    day: date
    events: list
    in_month: bool = True
    today: bool = False
    more: int = 0
    more_url: str = ""  # where the entries not shown are (the week of this day)

    @property
    def shown(self):
        return self.events[: len(self.events) - self.more] if self.more else self.events


def by_day(events):
    days = {}
    for event in events:
        days.setdefault(event.start_date, []).append(event)
    return days


def month_grid(first, events, today, per_day):
    """The weeks (Monday first) covering the month of ``first``, each day with its entries
    (at most ``per_day`` shown, the rest counted)."""
    days = by_day(events)
    weeks = []
    for week in stdlib_calendar.Calendar().monthdatescalendar(first.year, first.month):
        row = []
        for day in week:
            entries = days.get(day, [])
            row.append(
                Day(
                    day=day,
                    events=entries,
                    in_month=day.month == first.month,
                    today=day == today,
                    more=max(len(entries) - per_day, 0),
                )
            )
        weeks.append(row)
    return weeks


def month_window(first):
    """The days the month's grid shows: from the Monday before the 1st to the Sunday after
    the last day."""
    weeks = stdlib_calendar.Calendar().monthdatescalendar(first.year, first.month)
    return weeks[0][0], weeks[-1][-1] + timedelta(days=1)


def week_days(monday, events, today):
    days = by_day(events)
    return [
        Day(day=day, events=days.get(day, []), today=day == today)
        for day in (monday + timedelta(days=n) for n in range(7))
    ]
