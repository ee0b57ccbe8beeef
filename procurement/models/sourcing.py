"""Choosing the supplier (询价比价) and sending rejected goods back (退货)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import date_window, validate_sane_date
from core.models import HouqinModel, Property

from .catalogue import MONEY, QUANTITY, Item
from .planning import Requisition
from .suppliers import Supplier


class RfqStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent to suppliers")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")


class RequestForQuotation(HouqinModel):
    """询价单: the same lines asked of several suppliers; their quotes side by side, each
    with the supplier's scorecard; choosing other than the cheapest needs a written reason."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="rfqs"
    )
    title = models.CharField(_("title"), max_length=100)
    requisition = models.ForeignKey(
        Requisition,
        verbose_name=_("requisition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rfqs",
        editable=False,
    )
    suppliers = models.ManyToManyField(
        Supplier, verbose_name=_("suppliers asked"), related_name="rfqs", blank=True
    )
    reply_by = models.DateField(_("quotes due"), validators=[validate_sane_date])
    status = models.CharField(
        _("status"), max_length=20, choices=RfqStatus.choices, default=RfqStatus.DRAFT
    )
    awarded_to = models.ForeignKey(
        Supplier,
        verbose_name=_("awarded to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    award_reason = models.TextField(_("reason for the choice"), blank=True, editable=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request for quotation")
        verbose_name_plural = _("requests for quotation")
        ordering = ["-created_at"]
        constraints = [
            *date_window("reply_by"),
            models.CheckConstraint(
                condition=Q(status__in=RfqStatus.values), name="procurement_rfq_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=RfqStatus.AWARDED) | Q(awarded_to__isnull=False),
                name="procurement_rfq_awarded_has_supplier",
            ),
        ]

    def __str__(self):
        return f"RFQ-{self.pk:06d}" if self.pk else str(_("New request for quotation"))


class RfqLine(models.Model):
    rfq = models.ForeignKey(
        RequestForQuotation, verbose_name=_("RFQ"), on_delete=models.CASCADE, related_name="lines"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="rfq_lines"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("RFQ line")
        verbose_name_plural = _("RFQ lines")
        ordering = ["rfq", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="procurement_rfqline_qty",
                violation_error_message=_("Quantities are above zero."),
            ),
            models.UniqueConstraint(
                fields=["rfq", "item"],
                name="procurement_rfqline_once",
                violation_error_message=_("This item is already on the request."),
            ),
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity}"


class Quotation(models.Model):
    """One supplier's answer: a price for every line, a lead time, how long it holds."""

    property_lookup = "rfq__property"

    rfq = models.ForeignKey(
        RequestForQuotation,
        verbose_name=_("RFQ"),
        on_delete=models.CASCADE,
        related_name="quotations",
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="quotations"
    )
    received_on = models.DateField(_("received on"), validators=[validate_sane_date])
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, validators=[validate_sane_date]
    )
    lead_days = models.PositiveSmallIntegerField(_("delivery in (days)"), default=7)
    total = models.DecimalField(_("total"), **MONEY, default=0, editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        ordering = ["rfq", "total"]
        constraints = [
            *date_window("received_on", "valid_until"),
            models.UniqueConstraint(
                fields=["rfq", "supplier"],
                name="procurement_quotation_once",
                violation_error_message=_("This supplier's quote is already recorded."),
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="procurement_quotation_total"),
        ]

    def __str__(self):
        return f"{self.supplier}: ¥{self.total}"


class QuotationLine(models.Model):
    quotation = models.ForeignKey(
        Quotation, verbose_name=_("quotation"), on_delete=models.CASCADE, related_name="lines"
    )
    rfq_line = models.ForeignKey(
        RfqLine, verbose_name=_("RFQ line"), on_delete=models.CASCADE, related_name="prices"
    )
    unit_price = models.DecimalField(_("unit price"), **MONEY, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("quoted price")
        verbose_name_plural = _("quoted prices")
        constraints = [
            models.UniqueConstraint(
                fields=["quotation", "rfq_line"], name="procurement_quoteline_once"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="procurement_quoteline_price"
            ),
        ]

    def __str__(self):
        return f"{self.rfq_line.item}: {self.unit_price}"


class ReturnStatus(models.TextChoices):
    PENDING = "pending", _("To be returned")
    RETURNED = "returned", pgettext_lazy("supplier return", "Returned")


class SupplierReturn(HouqinModel):
    """退货单: the goods rejected at a receipt, going back to the supplier. Written by the
    receipt itself; the rejected goods never entered stock, so no stock moves."""

    property_lookup = "receipt__order__storeroom__property"

    receipt = models.OneToOneField(
        "procurement.GoodsReceipt",
        verbose_name=_("receipt"),
        on_delete=models.PROTECT,
        related_name="supplier_return",
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="returns"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.PENDING
    )
    returned_on = models.DateField(
        _("returned on"), null=True, blank=True, validators=[validate_sane_date]
    )
    carrier = models.CharField(_("collected by / waybill"), max_length=100, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("return to supplier")
        verbose_name_plural = _("returns to suppliers")
        ordering = ["-created_at"]
        constraints = [
            *date_window("returned_on"),
            models.CheckConstraint(
                condition=~Q(status=ReturnStatus.RETURNED) | Q(returned_on__isnull=False),
                name="procurement_return_dated",
            ),
        ]

    def __str__(self):
        return f"RTV-{self.pk:06d}" if self.pk else str(_("New return to supplier"))


class SupplierReturnLine(models.Model):
    supplier_return = models.ForeignKey(
        SupplierReturn,
        verbose_name=_("return to supplier"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    receipt_line = models.OneToOneField(
        "procurement.GoodsReceiptLine",
        verbose_name=_("receipt line"),
        on_delete=models.PROTECT,
        related_name="return_line",
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="procurement_rtvline_qty"),
        ]

    def __str__(self):
        return f"{self.receipt_line.order_line.item} × {self.quantity}"
