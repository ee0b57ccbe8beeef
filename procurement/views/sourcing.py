"""Requests for quotation with the side-by-side comparison, and returns to suppliers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.links import linked_message
from core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    ObjectWithLinesEditView,
)
from core.views.generic import add_errors

from .. import filters, forms, services
from ..models import (
    REQUEST_FOR_QUOTATION,
    RequestForQuotation,
    RfqStatus,
    SupplierReturn,
    SupplierStatus,
)
from ..scorecard import scorecards
from ..services.sourcing import minimum_quotes
from .planning import DraftOnlyMixin


class RequestForQuotationListView(ObjectListView):
    model = RequestForQuotation
    queryset = RequestForQuotation.objects.select_related("property", "awarded_to")
    filterset_class = filters.RequestForQuotationFilter
    columns = ("id", "title", "property", "reply_by", "status", "awarded_to")


def comparison(rfq):
    """The quotes side by side: one row per line, one column per supplier, the cheapest
    total marked, each supplier's scorecard below."""
    lines = list(rfq.lines.select_related("item"))
    quotations = list(rfq.quotations.select_related("supplier").prefetch_related("lines"))
    cards = scorecards([quote.supplier_id for quote in quotations])
    cheapest = min((quote.total for quote in quotations), default=None)
    rows = []
    for line in lines:
        cells = []
        for quote in quotations:
            price = next(
                (p.unit_price for p in quote.lines.all() if p.rfq_line_id == line.pk), None
            )
            cells.append((price, None if price is None else price * line.quantity))
        prices = [price for price, _amount in cells if price is not None]
        rows.append((line, cells, min(prices) if prices else None))
    columns = [
        (quote, cards.get(quote.supplier_id), quote.total == cheapest) for quote in quotations
    ]
    return {"rows": rows, "columns": columns, "cheapest": cheapest}


class RequestForQuotationDetailView(ObjectDetailView):
    model = RequestForQuotation
    template_name = "procurement/requestforquotation_detail.html"
    detail_fields = (
        "title",
        "property",
        "requisition",
        "reply_by",
        "status",
        "awarded_to",
        "award_reason",
        "cancel_reason",
    )

    def get_queryset(self):
        return super().get_queryset().select_related("property", "requisition", "awarded_to")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rfq = self.object
        asked = list(rfq.suppliers.all())
        context.update(
            comparison(rfq),
            asked=asked,
            enough_asked=sum(s.status != SupplierStatus.BLACKLISTED for s in asked)
            >= minimum_quotes(),
            asked_cards=scorecards([supplier.pk for supplier in asked]),
            minimum=minimum_quotes(),
            orders=rfq.orders.all(),
            award_form=forms.AwardForm(rfq=rfq)
            if REQUEST_FOR_QUOTATION.allowed(rfq, "award")
            else None,
            reason_form=forms.CancelForm(),
        )
        return context


class RequestForQuotationEditView(DraftOnlyMixin, ObjectWithLinesEditView):
    model = RequestForQuotation
    form_class = forms.RequestForQuotationForm
    formset_class = forms.RfqLineFormSet
    lines_title = _("Lines")


class RequestForQuotationDeleteView(DraftOnlyMixin, ObjectDeleteView):
    model = RequestForQuotation


class SendRfqView(ObjectActionView):
    model = RequestForQuotation
    success_message = _("Request sent: record the quotes as they come in.")

    def perform(self, rfq, data):
        services.send_rfq(rfq, by=self.request.user)


class CancelRfqView(ObjectActionView):
    model = RequestForQuotation
    form_class = forms.CancelForm
    success_message = _("Request cancelled.")

    def perform(self, rfq, data):
        services.cancel_rfq(rfq, by=self.request.user, reason=data["reason"])


class AwardRfqView(ObjectActionView):
    model = RequestForQuotation
    permission_required = (
        "procurement.change_requestforquotation",
        "procurement.add_purchaseorder",
    )
    form_class = forms.AwardForm

    def get_form_kwargs(self):
        return {"rfq": self.object}

    def perform(self, rfq, data):
        self.order = services.award_rfq(
            rfq,
            data["quotation"],
            by=self.request.user,
            storeroom=data["storeroom"],
            reason=data["reason"],
        )
        self.success_message = linked_message(
            _("Awarded: %(order)s drafted for %(supplier)s."),
            self.request.user,
            order=self.order,
            supplier=self.order.supplier,
        )


class RecordQuotationView(ObjectFormView):
    """Type in one supplier's quote (again to correct it)."""

    model = RequestForQuotation
    permission_required = "procurement.change_requestforquotation"
    form_class = forms.QuotationForm
    template_name = "procurement/quotation_form.html"

    def get_queryset(self):
        return super().get_queryset().filter(status=RfqStatus.SENT)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "rfq": self.object,
            "lines": list(self.object.lines.select_related("item")),
        }

    def get_initial(self):
        return {"received_on": timezone.localdate(), "lead_days": 7}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Record a quote for %(rfq)s") % {"rfq": self.object},
            submit_label=_("Record the quote"),
            cancel_url=self.object.get_absolute_url(),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.record_quotation(
                self.object,
                data["supplier"],
                form.prices(),
                by=self.request.user,
                received_on=data["received_on"],
                valid_until=data["valid_until"],
                lead_days=data["lead_days"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Quote recorded."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class SupplierReturnListView(ObjectListView):
    model = SupplierReturn
    queryset = SupplierReturn.objects.select_related("supplier", "receipt")
    filterset_class = filters.SupplierReturnFilter
    columns = ("id", "supplier", "receipt", "status", "returned_on", "created_at")


class SupplierReturnDetailView(ObjectDetailView):
    model = SupplierReturn
    template_name = "procurement/supplierreturn_detail.html"
    detail_fields = ("supplier", "receipt", "status", "returned_on", "carrier", "returned_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = self.object.lines.select_related("receipt_line__order_line__item")
        context["returned_form"] = forms.MarkReturnedForm(
            initial={"returned_on": timezone.localdate()}
        )
        return context


class MarkReturnedView(ObjectActionView):
    model = SupplierReturn
    form_class = forms.MarkReturnedForm
    success_message = _("Marked as returned to the supplier.")

    def perform(self, supplier_return, data):
        services.mark_returned(
            supplier_return,
            by=self.request.user,
            returned_on=data["returned_on"],
            carrier=data["carrier"],
        )
