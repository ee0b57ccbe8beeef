"""The hook registry: what each app offers the rest of the site, declared in its ``hooks.py``.

Every app lists its providers in one module, ``<app>/hooks.py``, with :func:`declare`;
``CoreConfig.ready`` imports those modules (``autodiscover_modules("hooks")``), and that is
the only way a provider is found. Consumers call :func:`collect` (or :func:`call_each`),
which runs every provider of a kind in isolation: one that raises is logged and left out,
and the others are still shown.

The kinds and their protocols (each provider scopes what it returns to the user's
properties and permissions itself):

- ``reminders``: ``func(day)`` → ``core.reminders.Reminder`` s
- ``dashboard``: ``func(request)`` → ``core.dashboard.Stat`` s (per area)
- ``work_items``: ``func(user, day)`` → :class:`WorkItem` s (My work); a provider built as a
  ``core.work.WorkSource`` also answers ``func.queryset(user, day)``, which the sidebar's
  count of open items reads without building the items
- ``calendar``: ``func(user, start, end)`` → :class:`CalendarEvent` s dated from ``start`` up
  to but not including ``end`` (two dates) (calendar, iCal feed)
- ``search``: ``func(user, query)`` → :class:`SearchResult` s, ``query`` a
  ``core.search.Query`` (the words, already checked for length)
- ``period_figures``: ``func(property, month)`` → :class:`Figure` s (monthly report)
- ``measures``: ``func(employee, start, end)`` → :class:`Measure` s (beside an appraisal)
- ``nav_links``: not called; the providers are ``core.navigation.NavLink`` s
- ``demo``: ``func(scale=…, stdout=…)``, run by ``seed_demo`` in INSTALLED_APPS order
- ``autocomplete``: not called; the providers are ``core.autocomplete.Source`` s, the
  tables that grow, offered through the autocomplete endpoint instead of full pick lists
- ``scan``: ``func(user, code)`` → :class:`ScanMatch` es, the records whose label code
  (an equipment's asset code, a checkpoint's code) is ``code``: the scanner's typed-code
  fallback (``core:scan``) opens the one found
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

logger = logging.getLogger(__name__)

REMINDERS = "reminders"
DASHBOARD = "dashboard"
WORK_ITEMS = "work_items"
CALENDAR = "calendar"
SEARCH = "search"
PERIOD_FIGURES = "period_figures"
MEASURES = "measures"
NAV_LINKS = "nav_links"
DEMO = "demo"
AUTOCOMPLETE = "autocomplete"
SCAN = "scan"
KINDS = (
    REMINDERS,
    DASHBOARD,
    WORK_ITEMS,
    CALENDAR,
    SEARCH,
    PERIOD_FIGURES,
    MEASURES,
    NAV_LINKS,
    DEMO,
    AUTOCOMPLETE,
    SCAN,
)


# --- what providers return --------------------------------------------------------------------


@dataclass(frozen=True)
class WorkAction:
    """A one-click POST beside a work item ("Start", "Take"): a site path and its label."""

    label: str
    url: str
    style: str = "btn-outline-primary"
    icon: str = ""


@dataclass(frozen=True)
class WorkItem:
    """Something open for a person: assigned to them, or waiting for their decision."""

    area: str  # the app label ("facilities"), for grouping and colour
    kind: str  # lazy label of what kind of item it is ("Work order to do")
    title: str
    url: str
    due: date | datetime | None = None
    severity: str = ""  # "", "warning" or "danger" (from core.models.Severity)
    detail: str = ""  # one line under the title (number, place, amount …)
    property_code: str = ""  # shown when the user works at several properties
    # A filter key the area offers on My work ("work_orders", "rounds" …) and its label:
    # facilities' "my work orders" is My work filtered on its area.
    group: str = ""
    group_label: str = ""
    actions: tuple[WorkAction, ...] = ()

    @property
    def due_date(self):
        if isinstance(self.due, datetime):
            from django.utils import timezone

            return timezone.localdate(self.due) if timezone.is_aware(self.due) else self.due.date()
        return self.due

    def is_overdue(self, now):
        """Past its due moment (a datetime) or its due day (a date) at ``now``."""
        from django.utils import timezone

        if self.due is None:
            return False
        if isinstance(self.due, datetime):
            return self.due < now
        return self.due < timezone.localdate(now)


@dataclass(frozen=True)
class CalendarEvent:
    """A dated entry of the calendar and of the iCal feed."""

    uid: str  # stable across feeds, e.g. "facilities.workorder.12.due"
    area: str
    kind: str  # lazy label ("Maintenance due")
    title: str
    start: date | datetime
    url: str
    end: date | datetime | None = None
    group: str = ""  # a filter key ("maintenance"): the facilities calendar filters on it
    property_code: str = ""
    severity: str = ""
    detail: str = ""  # one line under the title (number, place …), the feed's description
    done: bool = False  # an order already completed, a count posted: shown as done

    @property
    def all_day(self):
        return not isinstance(self.start, datetime)

    @property
    def start_date(self):
        if isinstance(self.start, datetime):
            from django.utils import timezone

            return timezone.localdate(self.start)
        return self.start


@dataclass(frozen=True)
class SearchResult:
    area: str
    type_label: str  # lazy, the heading results are grouped under ("Equipment")
    title: str
    url: str
    detail: str = ""
    rank: int = 0  # lower first within a type (an exact code match before a substring)
    more_url: str = ""  # the list page that searches this type further (``?q=…``)


@dataclass(frozen=True)
class ScanMatch:
    """A record whose label carries the code a person typed (or scanned)."""

    area: str
    type_label: str  # lazy ("Equipment")
    title: str
    url: str


@dataclass(frozen=True)
class Figure:
    """A named number of a property's month (for the monthly report)."""

    key: str  # stable, e.g. "facilities.pm_on_time"
    label: str
    value: object
    unit: str = ""


@dataclass(frozen=True)
class Measure:
    """What an app knows about an employee's appraisal period (shown beside the form)."""

    label: str
    value: object
    unit: str = ""
    source: str = ""  # the app it comes from, e.g. "staff"


# --- the registry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    kind: str
    app_label: str
    func: object  # a callable, or for nav_links the NavLink itself

    @property
    def name(self):
        func = self.func
        return getattr(func, "__qualname__", None) or repr(func)


@dataclass
class Registry:
    providers: list[Provider] = field(default_factory=list)

    def add(self, kind, app_label, func):
        if kind not in KINDS:
            raise ValueError(f"Unknown hook kind {kind!r}; the kinds are {', '.join(KINDS)}.")
        provider = Provider(kind, app_label, func)
        if provider not in self.providers:
            self.providers.append(provider)
        return provider

    def of(self, kind, app_label=None):
        return [
            p
            for p in self.providers
            if p.kind == kind and (app_label is None or p.app_label == app_label)
        ]


registry = Registry()


def declare(app_label: str, **hooks: Iterable | Callable):
    """An app's ``hooks.py`` declares everything it offers in one call:

    ``declare("facilities", reminders=[…], dashboard=[…], work_items=[…], demo=seed, …)``
    """
    for kind, funcs in hooks.items():
        if callable(funcs):
            funcs = [funcs]
        for func in funcs:
            registry.add(kind, app_label, func)


def providers(kind, app_label=None) -> list[Provider]:
    return registry.of(kind, app_label)


def call_each(kind, *args, app_label=None, errors=None, via=None, **kwargs):
    """Yield ``(provider, list of results)`` for each provider of ``kind``, each call
    isolated: one that raises is logged (and appended to ``errors``) and skipped. ``via``
    picks what to call from a provider (My work lists a ``core.work.WorkSource`` through
    its ``listed`` method)."""
    for provider in registry.of(kind, app_label):
        try:
            func = via(provider.func) if via is not None else provider.func
            result = func(*args, **kwargs)
            found = list(result) if result is not None else []
        except Exception as exc:
            logger.exception("Hook %s of %s failed: %s", kind, provider.app_label, provider.name)
            if errors is not None:
                errors.append((provider, exc))
            continue
        yield provider, found


def collect(kind, *args, app_label=None, errors=None, **kwargs) -> list:
    """Everything the providers of ``kind`` return, flattened, each call isolated."""
    return [
        item
        for _provider, found in call_each(kind, *args, app_label=app_label, errors=errors, **kwargs)
        for item in found
    ]


@contextmanager
def registered(kind, *funcs, app_label="tests"):
    """Register providers for the duration of a block (tests use it)."""
    added = [
        p for p in (Provider(kind, app_label, f) for f in funcs) if p not in registry.providers
    ]
    registry.providers.extend(added)
    try:
        yield
    finally:
        for p in added:
            registry.providers.remove(p)
