"""Purchase orders (draft → approved → ordered → partially received → received → closed, or
cancelled), goods receipts with the quality check, and supplier scorecards."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
from ..models import OPEN_FOR_RECEIPT, PURCHASE_ORDER, GoodsReceipt, PurchaseOrder
from ..scorecard import scorecards
from .mixins import DraftOnlyMixin


class PurchaseOrderListView(ObjectListView):
    model = PurchaseOrder
    filterset_class = filters.PurchaseOrderFilter
    columns = ("id", "supplier", "storeroom", "promised_on", "status", "created_at")

    def get_queryset(self):
        return super().get_queryset().select_related("supplier", "storeroom")


class PurchaseOrderDetailView(ObjectDetailView):
    model = PurchaseOrder
    template_name = "procurement/purchaseorder_detail.html"
    detail_fields = (
        "supplier",
        "storeroom",
        "promised_on",
        "status",
        "cancel_reason",
        "note",
        "approved_by",
        "approved_at",
        "ordered_at",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order, user = self.object, self.request.user
        lines = list(order.lines.select_related("item"))
        context.update(
            lines=lines,
            total=sum(line.quantity * line.unit_price for line in lines),
            receipts=order.receipts.annotate(line_count=Count("lines")),
            overdue=order.is_overdue(),
            card=scorecards([order.supplier_id])[order.supplier_id],
            can_change=user.has_perm("procurement.change_purchaseorder"),
            can_receive=PURCHASE_ORDER.allowed(order, "receive", user),
            cancel_form=forms.CancelForm(),
        )
        if order.requisition_id or order.rfq_id:
            context["can_delete"] = False  # cancelled instead: the requisition comes back
        return context


class PurchaseOrderEditView(DraftOnlyMixin, ObjectWithLinesEditView):
    """The order and its lines, while it is a draft."""

    model = PurchaseOrder
    form_class = forms.PurchaseOrderForm
    formset_class = forms.OrderLineFormSet
    lines_title = _("Lines")


class PurchaseOrderDeleteView(DraftOnlyMixin, ObjectDeleteView):
    """Drafts typed in by hand; one written from a requisition or an award is cancelled
    instead, which gives the requisition back."""

    model = PurchaseOrder

    def get_queryset(self):
        return super().get_queryset().filter(requisition__isnull=True, rfq__isnull=True)


class ApproveOrderView(ObjectActionView):
    model = PurchaseOrder
    success_message = _("Order approved.")

    def perform(self, order, data):
        services.approve_order(order, by=self.request.user)


class PlaceOrderView(ObjectActionView):
    model = PurchaseOrder
    success_message = _("Order placed with the supplier.")

    def perform(self, order, data):
        services.place_order(order, by=self.request.user)


class CancelOrderView(ObjectActionView):
    model = PurchaseOrder
    form_class = forms.CancelForm
    success_message = _("Order cancelled.")

    def perform(self, order, data):
        services.cancel_order(order, by=self.request.user, reason=data["reason"])


class CloseOrderView(ObjectActionView):
    model = PurchaseOrder
    success_message = _("Order closed.")

    def perform(self, order, data):
        services.close_order(order, by=self.request.user)


class ReceiveView(ObjectFormView):
    """Check a delivery in against the order: received, accepted, rejected with reasons."""

    model = PurchaseOrder
    permission_required = "procurement.add_goodsreceipt"
    form_class = forms.ReceiveForm
    template_name = "procurement/receive_form.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(status__in=OPEN_FOR_RECEIPT)
            .select_related("supplier", "storeroom")
        )

    def get_form_kwargs(self):
        lines = [line for line in self.object.lines.select_related("item") if line.outstanding]
        return {**super().get_form_kwargs(), "lines": lines}

    def get_initial(self):
        return {"received_on": timezone.localdate(), "token": uuid.uuid4()}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            receipt, created = services.receive(
                self.object,
                form.receipt_lines(),
                by=self.request.user,
                token=data["token"],
                received_on=data["received_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        if created:
            messages.success(
                self.request,
                _("%(receipt)s posted: accepted goods are in stock.") % {"receipt": receipt},
            )
        else:
            messages.info(self.request, _("This delivery was already posted."))
        return HttpResponseRedirect(receipt.get_absolute_url())


class GoodsReceiptListView(ObjectListView):
    model = GoodsReceipt
    filterset_class = filters.GoodsReceiptFilter
    columns = ("id", "order", "received_on", "posted_by", "note")

    def get_queryset(self):
        return super().get_queryset().select_related("order", "posted_by")


class GoodsReceiptDetailView(ObjectDetailView):
    model = GoodsReceipt
    template_name = "procurement/goodsreceipt_detail.html"
    detail_fields = ("order", "received_on", "posted_at", "posted_by", "note")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = self.object.lines.select_related("order_line__item")
        context["totals"] = self.object.lines.aggregate(
            received=Sum("received"), accepted=Sum("accepted")
        )
        return context
