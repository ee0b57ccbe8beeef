"""Cleaning's figures of one property's month (for the monthly report)."""

from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.registry import Figure

from . import services
from .models import CleaningArea, CleaningInspection, CleaningTask, ConsumableIssue, Rectification


def month_figures(property_, month):
    """``month`` is any day of the month; the figures are of that whole month (so far)."""
    first = month.replace(day=1)
    following = first + relativedelta(months=1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(following, time.min))
    tasks = services.completion(
        CleaningTask.objects.filter(
            area__property=property_, due_on__gte=first, due_on__lt=following
        )
    )
    inspections = services.pass_rate(
        CleaningInspection.objects.filter(
            area__property=property_, inspected_at__gte=start, inspected_at__lt=end
        )
    )
    closed = services.closed_on_time(
        Rectification.objects.filter(
            area__property=property_, closed_at__gte=start, closed_at__lt=end
        )
    )
    consumables = services.consumables_cost(
        ConsumableIssue.objects.filter(property=property_, issued_at__gte=start, issued_at__lt=end),
        CleaningArea.objects.filter(property=property_),
    )
    return [
        Figure("cleaning.tasks_done", _("Cleaning tasks done"), tasks["done"]),
        Figure("cleaning.tasks_missed", _("Cleaning tasks missed"), tasks["missed"]),
        Figure("cleaning.task_completion", _("Cleaning task completion"), tasks["rate"], "%"),
        Figure("cleaning.inspections", _("Cleaning inspections"), inspections["done"]),
        Figure("cleaning.pass_rate", _("Cleaning areas up to standard"), inspections["rate"], "%"),
        Figure(
            "cleaning.rectifications_on_time",
            _("Rectifications closed on time"),
            closed["rate"],
            "%",
        ),
        Figure("cleaning.consumables_cost", _("Cleaning consumables"), consumables["cost"], "¥"),
        Figure(
            "cleaning.consumables_per_m2",
            _("Cleaning consumables per m²"),
            consumables["per_m2"],
            "¥",
        ),
    ]
