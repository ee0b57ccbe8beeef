"""Measured inputs beside an appraisal: what other apps know about an employee's period.

An app declares a provider ``func(employee, start, end) -> iterable of Measure`` in its
``hooks.py`` (facilities: on-time work orders; cleaning: inspection scores; safety:
patrol completion). The reviewer sees them next to the form; they do not score anything.
"""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from core.registry import MEASURES, Measure, collect


def measures_for(employee, start, end):
    """Every app's measures of ``employee`` in [start, end]; one app's failure is logged
    and the others are still shown."""
    return collect(MEASURES, employee, start, end)


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
