"""The calendar as an iCalendar file (RFC 5545), for calendar apps subscribed to a user's
secret address (``core.models.CalendarFeed``).

Timed entries carry ``TZID`` = ``settings.TIME_ZONE`` with a matching ``VTIMEZONE`` (Outlook
and Google misplace events without one); all-day entries are ``VALUE=DATE`` ending the next
day (``DTEND`` is exclusive). UIDs are the entries' own stable ids, so a client updates an
event rather than duplicating it when the feed is read again.
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from .navigation import AREAS_BY_APP

PRODID = "-//Houqin//Houqin logistics calendar//EN"


def _absolute(url):
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def to_ical(events, *, name, start, end, now=None):
    """The events (``core.registry.CalendarEvent``) as the bytes of a VCALENDAR; ``start``
    and ``end`` are the window's dates (the time zone definition covers them)."""
    from icalendar import Calendar, Event, Timezone

    now = now or timezone.now()
    zone = ZoneInfo(settings.TIME_ZONE)
    host = urlsplit(settings.SITE_URL).hostname or "houqin"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add_component(
        Timezone.from_tzinfo(
            zone,
            tzid=settings.TIME_ZONE,
            first_date=start - timedelta(days=366),
            last_date=end + timedelta(days=366),
        )
    )
    stamp = now.astimezone(ZoneInfo("UTC"))
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", stamp)
        if isinstance(item.start, datetime):
            event.add("dtstart", item.start.astimezone(zone))
            if isinstance(item.end, datetime) and item.end > item.start:
                event.add("dtend", item.end.astimezone(zone))
        else:
            last = item.end if item.end and not isinstance(item.end, datetime) else item.start
            event.add("dtstart", item.start)
            event.add("dtend", max(last, item.start) + timedelta(days=1))
        event.add("summary", f"{'✓ ' if item.done else ''}{item.kind}: {item.title}")
        lines = [
            str(part)
            for part in (item.detail, item.property_code, _absolute(item.url) if item.url else "")
            if part
        ]
        if lines:
            event.add("description", "\n".join(lines))
        if item.url:
            event.add("url", _absolute(item.url))
        area = AREAS_BY_APP.get(item.area)
        event.add("categories", [str(area.label) if area else item.area])
        # A session with an end keeps the time busy; a due date or a deadline does not.
        busy = isinstance(item.start, datetime) and isinstance(item.end, datetime)
        event.add("transp", "OPAQUE" if busy else "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
