"""The stores reports, each exportable."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.views.mixins import PermissionMixin
from core.views.reports import ReportView

from .. import reports

AREA = (_("Procurement & stores"), reverse_lazy("procurement:index"))
INDEX = (_("Reports"), reverse_lazy("procurement:reports"))


class ReportsIndexView(PermissionMixin, TemplateView):
    permission_required = "procurement.view_stockbalance"
    template_name = "procurement/reports.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [AREA, (_("Reports"), None)]
        return context


class ProcurementReport(ReportView):
    breadcrumbs = (AREA, INDEX)
    query = None

    def get_rows(self, params):
        return type(self).query(self.request.user, params)


class SlowMovingReport(ProcurementReport):
    permission_required = "procurement.view_stockbalance"
    title = _("Slow-moving and overstocked items")
    description = _(
        "Items in stock that nothing has been issued from for the chosen number of days, "
        "and items above their maximum."
    )
    slug = "slow-moving"
    form_class = reports.SlowMovingForm
    table_class = reports.SlowMovingTable
    query = reports.slow_moving


class SpendReport(ProcurementReport):
    permission_required = "procurement.view_goodsreceipt"
    title = _("Spend per month")
    description = _("Goods accepted at receipts, at the order price, by month of delivery.")
    slug = "spend"
    form_class = reports.SpendForm
    table_class = reports.SpendTable
    query = reports.spend


class ScorecardReport(ProcurementReport):
    permission_required = "procurement.view_supplier"
    title = _("Supplier scorecards")
    description = _(
        "On-time deliveries, quantity delivered when due, rejections at inspection and "
        "prices against standard, from orders and receipts."
    )
    slug = "scorecards"
    form_class = reports.ScorecardForm
    table_class = reports.ScorecardTable
    query = reports.supplier_scorecards


class CountAccuracyReport(ProcurementReport):
    permission_required = "procurement.view_stockcount"
    title = _("Stock count accuracy")
    description = _("Per posted count: lines found exactly as the book said, and variances.")
    slug = "count-accuracy"
    form_class = reports.CountAccuracyForm
    table_class = reports.CountAccuracyTable
    query = reports.count_accuracy
