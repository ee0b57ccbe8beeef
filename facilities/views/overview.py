"""The facilities figures page and the month calendar of planned maintenance."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView, TemplateView

from core.models import Property
from core.scoping import scope_queryset
from core.views.mixins import PermissionMixin

from .. import kpis
from ..models import (
    Equipment,
    EquipmentCategory,
    Priority,
    WorkOrder,
)
from .work_orders import facilities_crumbs

PERIODS = ((1, _("Last month")), (3, _("Last 3 months")), (12, _("Last 12 months")))


class ScopeForm(forms.Form):
    property = forms.ModelChoiceField(
        label=_("Property"),
        queryset=Property.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=EquipmentCategory.objects.all(),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["property"].queryset = scope_queryset(Property.objects.all(), user)

    def choice(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None


class FiguresForm(ScopeForm):
    field_order = ["months", "property", "category"]
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
        data = None
        if self.request.GET:  # a period left out is the default one, shown as chosen
            data = self.request.GET.copy()
            if not data.get("months"):
                data["months"] = "12"
        form = FiguresForm(data, user=user)
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


class MaintenanceCalendarView(PermissionMixin, RedirectView):
    """The planned-maintenance calendar is the site's calendar filtered on maintenance
    (``core.views.calendar``, entries from ``facilities.calendar``): one implementation. The
    month and property asked for are kept."""

    permission_required = "facilities.view_maintenanceplan"
    query_string = False

    def get_redirect_url(self, *args, **kwargs):
        query = {"area": "facilities", "group": "maintenance"}
        for name in ("month", "property"):
            value = self.request.GET.get(name, "")
            if value and len(value) <= 20:
                query[name] = value
        return f"{reverse('core:calendar')}?{urlencode(query)}"
