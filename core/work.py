"""My work (我的待办): what each app says is open for a person, gathered, sorted and counted.

Apps declare ``work_items=[…]`` in their ``hooks.py``. Most providers are a
:class:`WorkSource`: one scoped queryset per kind of item and a function that turns a record
into a :class:`~core.registry.WorkItem`. My work lists the items (one query per source,
whatever the number of items); the sidebar only counts them, with a single query over the
sources' querysets.
"""

import logging
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from .navigation import AREAS_BY_APP
from .registry import WORK_ITEMS, WorkItem, call_each, providers

logger = logging.getLogger(__name__)

SEVERITY_RANK = {"danger": 0, "warning": 1}
# The badge counts up to this many items, then shows 99+: counting stops reading there.
COUNT_CAP = 100


class WorkSource:
    """A work-item provider made of one queryset.

    ``queryset(user, day)`` returns the open records for ``user`` (scoped to their properties,
    with what the items show already joined), or ``None`` when the source is not for them
    (no permission, no employee record). ``item(record, user)`` builds one item; it must not
    query. At most ``limit`` items are listed, the most urgent first (the queryset's order);
    ``list_url`` (a URL name) is the page with all of them.
    """

    def __init__(self, queryset, item, *, limit=50, list_url=""):
        self.queryset = queryset
        self.item = item
        self.limit = limit
        self.list_url = list_url
        # The registry names and checks a provider by where it is defined: the app's module.
        self.__module__ = queryset.__module__
        self.__qualname__ = self.__name__ = queryset.__name__.lstrip("_")

    def __call__(self, user, day):
        return self.listed(user, day)[: self.limit]

    def listed(self, user, day):
        """Up to ``limit`` + 1 items: one more than are shown tells that there are more."""
        records = self.queryset(user, day)
        if records is None:
            return []
        return [self.item(record, user) for record in records[: self.limit + 1]]

    def count(self, user, day):
        records = self.queryset(user, day)
        return 0 if records is None else records.count()

    def __repr__(self):
        return f"<WorkSource {self.__module__}.{self.__qualname__}>"


def sort_key(item: WorkItem, now):
    """Overdue first, then by due date (undated last), the more severe first."""
    due = item.due_date
    return (
        not item.is_overdue(now),
        due is None,
        due or date.max,
        SEVERITY_RANK.get(item.severity, 9),
        str(item.title),
    )


@dataclass
class Group:
    """The items of one area on the page, and how many of them are overdue."""

    area: object  # core.navigation.Area, or None for an app with no area
    app_label: str
    items: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (item, overdue), sorted
    overdue: int = 0
    more_urls: list = field(default_factory=list)  # lists of sources with more than shown

    @property
    def label(self):
        return self.area.label if self.area else self.app_label


@dataclass
class MyWork:
    groups: list
    filters: list  # (area, group, label, count, more) of everything listed, for the filters
    total: int  # everything open, whatever the filter, counted
    errors: list


def _listing(func):
    return func.listed if isinstance(func, WorkSource) else func


def gather(user, day=None, now=None, *, area="", group=""):
    """Everything open for ``user``: every provider isolated, items sorted overdue first and
    grouped by area; ``area`` and ``group`` narrow what is shown (not the total). One query
    per source and one to count them all, whatever the number of items."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    errors = []
    found = []  # (items, more_url or None) per provider
    for provider, items in call_each(WORK_ITEMS, user, day, errors=errors, via=_listing):
        source = provider.func
        more = None
        if isinstance(source, WorkSource) and len(items) > source.limit:
            items = items[: source.limit]
            more = reverse(source.list_url) if source.list_url else ""
        found.append((items, more))
    filters, groups = {}, {}
    for items, more in found:
        for item in items:
            key = (item.area, item.group)
            entry = filters.setdefault(key, [item.area, item.group, item.group_label, 0, False])
            entry[2] = entry[2] or item.kind
            entry[3] += 1
            entry[4] = entry[4] or more is not None
        for item in items:
            if (area and item.area != area) or (group and item.group != group):
                continue
            entry = groups.setdefault(item.area, Group(AREAS_BY_APP.get(item.area), item.area))
            entry.items.append(item)
            if more is not None and more not in entry.more_urls:
                entry.more_urls.append(more)
    for entry in groups.values():
        entry.items.sort(key=lambda item: sort_key(item, now))
        entry.rows = [(item, item.is_overdue(now)) for item in entry.items]
        entry.overdue = sum(1 for _item, overdue in entry.rows if overdue)
    order = {label: n for n, label in enumerate(AREAS_BY_APP)}
    return MyWork(
        groups=sorted(groups.values(), key=lambda g: (not g.overdue, order.get(g.app_label, 99))),
        filters=[tuple(f) for f in filters.values()],
        total=count_open(user, day),
        errors=errors,
    )


def count_open(user, day=None, cap=COUNT_CAP):
    """How many items are open for ``user`` (the sidebar's badge), up to ``cap``: one query
    over the querysets of every ``WorkSource``, which stops reading at ``cap`` rows however
    many are open; other providers are called."""
    day = day or timezone.localdate()
    querysets, total = [], 0
    for provider in providers(WORK_ITEMS):
        func = provider.func
        try:
            if isinstance(func, WorkSource):
                records = func.queryset(user, day)
                if records is not None:
                    querysets.append(records.order_by().values("pk"))
            else:
                total += len(list(func(user, day)))
        except Exception:
            logger.exception("Work items of %s failed: %s", provider.app_label, provider.name)
    if not querysets or total >= cap:
        return min(total, cap)
    try:
        with _isolated():
            together = querysets[0].union(*querysets[1:], all=True)
            return min(total + together[: cap - total].count(), cap)
    except DatabaseError:
        # One source's query is broken: count the others one by one.
        logger.exception("Counting the open work items together failed; counting each")
    for records in querysets:
        try:
            with _isolated():
                total += records[: max(cap - total, 0)].count()
        except DatabaseError:
            logger.exception("Counting open work items failed: %s", records.model.__name__)
    return min(total, cap)


def shown_count(count, cap=COUNT_CAP):
    """99+ once the count reaches the cap."""
    return f"{cap - 1}+" if count >= cap else str(count)


def _isolated():
    """A savepoint inside a transaction, so a failed count does not spoil it; outside one
    (autocommit) a failed statement spoils nothing and needs none."""
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def _count_key(user):
    return f"houqin:open-work:{user.pk}:{timezone.localdate():%Y%m%d}"


def cached_count(request):
    """The count of ``request.user``'s open items for the sidebar's badge: once per request,
    and kept ``OPEN_WORK_CACHE_SECONDS`` in the cache (the union over every app's sources
    cost a third of a simple page). The user's own changes (any POST) forget it at once, and
    My work always counts afresh; what others assign shows within that time."""
    count = getattr(request, "_houqin_open_work", None)
    if count is None:
        key = _count_key(request.user)
        count = cache.get(key)
        if count is None:
            count = count_open(request.user)
            cache.set(key, count, settings.OPEN_WORK_CACHE_SECONDS)
        request._houqin_open_work = count
    return count


def remember_count(request, count):
    """My work has just counted: the badge shows the same number."""
    request._houqin_open_work = count
    cache.set(_count_key(request.user), count, settings.OPEN_WORK_CACHE_SECONDS)


def forget_count(user):
    cache.delete(_count_key(user))
