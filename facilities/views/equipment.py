"""The equipment ledger: list, the equipment's page (with its QR code), printable labels."""

import segno
from django.db.models import Count, F, Q, Sum
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from django.views.generic.detail import SingleObjectMixin

from core.emails import absolute_url
from core.scoping import scope_queryset
from core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)
from core.views.mixins import ObjectMixin, PermissionMixin

from .. import filters, forms
from ..kpis import downtime_between
from ..models import Equipment, EquipmentCategory, Reading, WorkOrderKind
from ..tables import WorkOrderTable

LABELS_PER_SHEET = 200


def qr_svg(request, equipment, scale=4):
    """The QR code of the equipment's page, as inline SVG. The link is built on SITE_URL, the
    site's public address, not on whatever address the printing browser used: a label stuck
    on a pump outlives the session that printed it."""
    url = absolute_url(equipment.get_absolute_url())
    return segno.make(url, error="m").svg_inline(scale=scale, border=2)


class EquipmentCategoryListView(ObjectListView):
    model = EquipmentCategory
    filterset_class = filters.EquipmentCategoryFilter
    columns = ("name", "code", "special", "sort_order")


class EquipmentCategoryDetailView(ObjectDetailView):
    model = EquipmentCategory


class EquipmentCategoryEditView(ObjectEditView):
    model = EquipmentCategory
    form_class = forms.EquipmentCategoryForm


class EquipmentCategoryDeleteView(ObjectDeleteView):
    model = EquipmentCategory


class EquipmentListView(ObjectListView):
    model = Equipment
    queryset = Equipment.objects.select_related("property", "category", "location")
    filterset_class = filters.EquipmentFilter
    columns = ("asset_code", "name", "category", "property", "location", "status", "criticality")
    template_name = "facilities/equipment_list.html"


class EquipmentDetailView(ObjectDetailView):
    """The equipment's page; its QR label opens it on a phone (after login)."""

    model = Equipment
    template_name = "facilities/equipment_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("property", "category", "location", "contractor", "responsible")
        )

    ORDERS_SHOWN = 10
    DOWNTIME_SHOWN = 10
    READINGS_SHOWN = 12

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        equipment = self.object
        orders = equipment.work_orders.select_related("property", "assignee", "equipment")
        totals = orders.aggregate(
            orders=Count("pk"),
            repairs=Count("pk", filter=Q(kind=WorkOrderKind.REPAIR)),
            cost=Sum(F("parts_cost") + F("external_cost")),
        )
        downtimes = list(equipment.downtimes.all()[: self.DOWNTIME_SHOWN])
        now = timezone.now()
        context.update(
            qr=qr_svg(self.request, equipment),
            totals=totals,
            orders=WorkOrderTable(
                orders[: self.ORDERS_SHOWN], orderable=False, exclude=("property", "equipment")
            ),
            orders_shown=self.ORDERS_SHOWN,
            plans=list(equipment.plans.all()),
            downtimes=downtimes,
            open_downtime=next((d for d in downtimes if d.ended_at is None), None),
            downtime_total=downtime_between(equipment.downtimes.all(), None, now),
            downtime_form=forms.StartDowntimeForm(),
            readings=list(
                Reading.objects.filter(point__equipment=equipment, recorded_at__isnull=False)
                .select_related("round", "point")
                .order_by("-recorded_at")[: self.READINGS_SHOWN]
            ),
        )
        return context


class EquipmentEditView(ObjectEditView):
    model = Equipment
    form_class = forms.EquipmentForm


class EquipmentDeleteView(ObjectDeleteView):
    model = Equipment


class EquipmentQrView(ObjectMixin, SingleObjectMixin, View):
    """One label's QR code as an SVG file (for other printing tools)."""

    model = Equipment
    action = "view"

    def get(self, request, *args, **kwargs):
        svg = qr_svg(request, self.get_object(), scale=8)
        return HttpResponse(svg, content_type="image/svg+xml")


class EquipmentLabelsView(PermissionMixin, TemplateView):
    """Printable label sheet for the equipment of the list's filters: code, name, location
    and the QR code of its page."""

    permission_required = "facilities.view_equipment"
    template_name = "facilities/equipment_labels.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        equipment = scope_queryset(
            Equipment.objects.select_related("property", "location", "category"), request.user
        )
        filterset = filters.EquipmentFilter(
            request.GET or None, queryset=equipment, request=request
        )
        shown = filterset.qs if not filterset.is_bound or filterset.is_valid() else equipment.none()
        context.update(
            labels=[(item, qr_svg(request, item, scale=3)) for item in shown[:LABELS_PER_SHEET]],
            limit=LABELS_PER_SHEET,
            breadcrumbs=[
                (_("Facilities & maintenance"), reverse("facilities:index")),
                (_("Equipment"), reverse("facilities:equipment_list")),
                (_("QR labels"), None),
            ],
        )
        return context
