"""Measured inputs beside an appraisal: what other apps know about an employee's period.

An app registers a provider ``func(employee, start, end) -> iterable of Measure`` with
``@measure_provider`` (facilities: on-time work orders; cleaning: inspection scores; safety:
patrol completion). The reviewer sees them next to the form; they do not score anything.
"""

import logging
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Measure:
    label: str
    value: object
    unit: str = ""
    source: str = ""  # the app it comes from, e.g. "staff"


_providers = []


def measure_provider(func):
    if func not in _providers:
        _providers.append(func)
    return func


def measures_for(employee, start, end):
    found = []
    for provider in _providers:
        try:
            found.extend(provider(employee, start, end))
        except Exception:  # one app's bug must not hide the appraisal
            logger.exception("Measure provider %s failed", provider.__qualname__)
    return found


@measure_provider
def staff_measures(employee, start, end):
    training = employee.attendances.filter(
        passed=True, session__starts_at__date__range=(start, end)
    ).aggregate(hours=Sum("session__course__hours"), courses=Count("pk"))
    notes = employee.notes.filter(date__range=(start, end)).aggregate(
        praise=Count("pk", filter=Q(kind="commendation")),
        discipline=Count("pk", filter=Q(kind="disciplinary")),
    )
    return [
        Measure(_("Training passed"), training["courses"], _("courses"), "staff"),
        Measure(_("Training hours"), training["hours"] or 0, _("hours"), "staff"),
        Measure(_("Commendations"), notes["praise"], "", "staff"),
        Measure(_("Disciplinary notes"), notes["discipline"], "", "staff"),
    ]
