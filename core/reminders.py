"""Reminders: each app's ``reminders.py`` defines sources of due items, its ``hooks.py``
declares them (``reminders=[…]``).

A source is a function ``source(day) -> iterable of Reminder``: pure queries, no sending.
``core.digests`` groups what all sources yield into one e-mail per user per day.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models

from . import registry
from .models import Severity
from .registry import REMINDERS, call_each, providers
from .scoping import is_personal, is_scoped, visible_records

logger = logging.getLogger(__name__)
SEVERITY_ORDER = {Severity.DANGER: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class ReminderKind:
    """What a reminder is about; ``label`` is lazy so it renders in each recipient's language."""

    key: str  # stable, e.g. "staff.certificate_expiring"
    label: str


@dataclass(frozen=True)
class Reminder:
    recipient: models.Model  # a core.User
    kind: ReminderKind
    obj: models.Model  # the record to act on; the digest links to its get_absolute_url()
    due: date | None
    severity: str = Severity.WARNING
    note: str = ""  # lazy text (gettext_lazy / format_lazy), rendered in the recipient's language
    # An optional one-click action beside the record's link ("Add to plan"): a site path and
    # its lazy label.
    action_url: str = ""
    action_label: str = ""

    @property
    def identity(self):
        return (self.recipient.pk, self.kind.key, self.obj._meta.label, self.obj.pk)


Source = Callable[[date], Iterable[Reminder]]


def sources() -> list[Source]:
    """The reminder sources every app declares in its ``hooks.py``."""
    return [provider.func for provider in providers(REMINDERS)]


def registered(*funcs: Source):
    """Register sources for the duration of a block (tests use it)."""
    return registry.registered(REMINDERS, *funcs)


def collect(day: date, errors: list | None = None) -> dict:
    """Everything due on ``day``, per recipient, deduplicated and sorted most urgent first.

    A source that raises is logged (and added to ``errors``); the others still count. A
    reminder whose record its recipient may not open (``core.scoping.visible_records``:
    another property, another department's personal data) is dropped.
    """
    per_user: dict = defaultdict(dict)
    users = {}
    failed = []
    for _provider, found in call_each(REMINDERS, day, errors=failed):
        for reminder in found:
            users[reminder.recipient.pk] = reminder.recipient
            per_user[reminder.recipient.pk].setdefault(reminder.identity, reminder)
    if errors is not None:
        errors.extend((provider.func, exc) for provider, exc in failed)
    for pk, items in per_user.items():
        per_user[pk] = _openable(users[pk], items)
    return {
        users[pk]: sorted(
            items.values(),
            key=lambda r: (SEVERITY_ORDER.get(r.severity, 9), r.due or date.max, str(r.kind.key)),
        )
        for pk, items in per_user.items()
        if items
    }


def _openable(user, items):
    """The reminders among ``items`` whose record ``user`` may open: one query per kind of
    record, whatever the number of reminders."""
    ids = defaultdict(set)
    for reminder in items.values():
        ids[type(reminder.obj)].add(reminder.obj.pk)
    allowed = set()
    for model, pks in ids.items():
        if is_scoped(model) or is_personal(model):
            queryset = visible_records(model._default_manager.filter(pk__in=pks), user)
            pks = set(queryset.values_list("pk", flat=True))
        allowed.update((model, pk) for pk in pks)
    return {key: r for key, r in items.items() if (type(r.obj), r.obj.pk) in allowed}
