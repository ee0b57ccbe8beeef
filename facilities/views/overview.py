"""The facilities figures page and the month calendar of planned maintenance."""

import calendar
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.dates import EARLIEST, LATEST
from core.models import Property
from core.scoping import scope_queryset
from core.views.mixins import PermissionMixin

from .. import kpis
from ..models import (
    Equipment,
    EquipmentCategory,
    MaintenancePlan,
    Priority,
    WorkOrder,
    WorkOrderKind,
    WorkOrderStatus,
)
from .work_orders import facilities_crumbs

PERIODS = ((1, _("Last month")), (3, _("Last 3 months")), (12, _("Last 12 months")))


class ScopeForm(forms.Form):
    property = forms.ModelChoiceField(
        label=_("Property"), queryset=Property.objects.none(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=EquipmentCategory.objects.all(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["property"].queryset = scope_queryset(Property.objects.all(), user)

    def choice(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None


class FiguresForm(ScopeForm):
    months = forms.TypedChoiceField(
        label=_("Period"), choices=PERIODS, coerce=int, initial=12, required=False
    )


class FacilitiesFiguresView(PermissionMixin, TemplateView):
    """设备运维指标: open orders by priority, on-time and first-time rates, MTTR and MTBF,
    downtime and availability, cost, and twelve months of trend."""

    permission_required = "facilities.view_workorder"
    template_name = "facilities/figures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = FiguresForm(self.request.GET or None, user=user)
        months = (form.choice("months") if form.is_bound else None) or 12
        orders = scope_queryset(WorkOrder.objects.all(), user)
        equipment = scope_queryset(Equipment.objects.all(), user)
        chosen = form.choice("property")
        if chosen is not None:
            orders, equipment = orders.filter(property=chosen), equipment.filter(property=chosen)
        category = form.choice("category")
        if category is not None:
            orders = orders.filter(equipment__category=category)
            equipment = equipment.filter(category=category)
        today = timezone.localdate()
        first = (
            (today.replace(day=1) - relativedelta(months=months - 1))
            if months > 1
            else (today - timedelta(days=30))
        )
        start, end = kpis.period_bounds(first, today)
        headline = kpis.figures(orders, start, end)
        context.update(
            form=form,
            figures=headline,
            priorities=[
                (label, headline.open_by_priority[value], value)
                for value, label in Priority.choices
            ],
            by_category=kpis.reliability(equipment, orders, start, end, "category"),
            by_property=kpis.reliability(equipment, orders, start, end, "property"),
            trend=kpis.monthly_trend(orders, today.replace(day=1)),
            period_start=first,
            period_end=today,
            breadcrumbs=facilities_crumbs((_("Figures"), None)),
        )
        top = max((row["opened"] for row in context["trend"]), default=0) or 1
        for row in context["trend"]:
            row["width"] = round(row["opened"] * 100 / top)
        return context


class MaintenanceCalendarView(PermissionMixin, TemplateView):
    """A month of planned maintenance: orders already generated (by due date, with their
    status) and the dates plans will fall due."""

    permission_required = "facilities.view_maintenanceplan"
    template_name = "facilities/calendar.html"
    MAX_PER_DAY = 6

    def get_month(self):
        """The month asked for (YYYY-MM) within the planning window, else this month."""
        try:
            year, month = (int(x) for x in self.request.GET.get("month", "")[:7].split("-"))
            chosen = date(year, month, 1)
        except (TypeError, ValueError, OverflowError):
            return timezone.localdate().replace(day=1)
        if not EARLIEST <= chosen <= LATEST.replace(day=1):
            return timezone.localdate().replace(day=1)
        return chosen

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        first = self.get_month()
        last = first + relativedelta(months=1) - timedelta(days=1)
        form = ScopeForm(self.request.GET or None, user=user)
        plans = scope_queryset(
            MaintenancePlan.objects.active().select_related("equipment"), user
        ).filter(next_due__lte=last)
        orders = scope_queryset(
            WorkOrder.objects.filter(kind=WorkOrderKind.PREVENTIVE, due_on__range=(first, last))
            .exclude(status=WorkOrderStatus.CANCELLED)
            .select_related("equipment"),
            user,
        )
        chosen, category = form.choice("property"), form.choice("category")
        if chosen is not None:
            plans = plans.filter(equipment__property=chosen)
            orders = orders.filter(property=chosen)
        if category is not None:
            plans = plans.filter(equipment__category=category)
            orders = orders.filter(equipment__category=category)
        days = {}
        for order in orders:
            days.setdefault(order.due_on, []).append(("order", order))
        today = timezone.localdate()
        for plan in plans:
            # Dates gone by without an order were missed: the generator catches them up;
            # the calendar shows what is planned from today on.
            for due in plan.upcoming(since=max(first, today)):
                if due > last:
                    break
                days.setdefault(due, []).append(("plan", plan))
        weeks = []
        for week in calendar.Calendar().monthdatescalendar(first.year, first.month):
            weeks.append(
                [
                    {
                        "day": day,
                        "in_month": day.month == first.month,
                        "today": day == today,
                        "entries": days.get(day, [])[: self.MAX_PER_DAY],
                        "more": max(len(days.get(day, [])) - self.MAX_PER_DAY, 0),
                    }
                    for day in week
                ]
            )
        query = self.request.GET.copy()
        links = {}
        for name, month in (
            ("previous", max(first - relativedelta(months=1), EARLIEST)),
            ("next", min(last + timedelta(days=1), LATEST.replace(day=1))),
        ):
            query["month"] = f"{month:%Y-%m}"
            links[name] = f"?{query.urlencode()}"
        context.update(
            form=form,
            month=first,
            weeks=weeks,
            links=links,
            weekdays=[WEEKDAYS_ABBR[i] for i in range(7)],
            breadcrumbs=facilities_crumbs((_("Maintenance calendar"), None)),
        )
        return context
