"""Facilities' figures of one property's month (for the monthly report): the definitions are
those of the figures page (``facilities.kpis``)."""

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

from core.registry import Figure

from . import kpis
from .models import Equipment, WorkOrder


def month_figures(property_, month):
    """``month`` is any day of the month; the period is that whole month (up to now when
    it is the current one, for the figures that depend on what is due)."""
    first = month.replace(day=1)
    start, end = kpis.period_bounds(first, first + relativedelta(months=1, days=-1))
    orders = WorkOrder.objects.filter(property=property_)
    equipment = Equipment.objects.filter(property=property_)
    headline = kpis.figures(orders, start, end)
    rows = kpis.reliability(equipment, orders, start, end, "property")
    availability = rows[0].availability if rows else None
    mtbf = rows[0].mtbf_hours if rows else None
    return [
        Figure("facilities.orders_completed", _("Work orders completed"), headline.done),
        Figure("facilities.repairs_completed", _("Repairs completed"), headline.repairs_done),
        Figure(
            "facilities.preventive_on_time",
            _("Preventive maintenance on time"),
            headline.preventive_rate,
            "%",
        ),
        Figure(
            "facilities.repair_timeliness", _("Repairs within target"), headline.timeliness, "%"
        ),
        Figure("facilities.first_time_fix", _("First-time fix rate"), headline.first_time_fix, "%"),
        Figure("facilities.rework_rate", _("Rework rate"), headline.rework_rate, "%"),
        Figure("facilities.mttr", _("Mean time to repair"), headline.mttr_hours, "h"),
        Figure("facilities.mtbf", _("Mean time between failures"), mtbf, "h"),
        Figure("facilities.availability", _("Equipment availability"), availability, "%"),
        Figure("facilities.cost", _("Maintenance cost"), headline.cost, "¥"),
    ]
