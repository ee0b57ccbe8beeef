"""Purchase orders and goods receipts (验收入库) with the quality check."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import date_window, validate_sane_date
from core.models import HouqinModel

from .catalogue import MONEY, QUANTITY, Item, Storeroom
from .suppliers import Supplier


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    ORDERED = "ordered", _("Ordered")
    PARTIAL = "partial", _("Partially received")
    RECEIVED = "received", _("Received")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_FOR_RECEIPT = (OrderStatus.ORDERED, OrderStatus.PARTIAL)


class PurchaseOrderQuerySet(models.QuerySet):
    def overdue(self, day):
        return self.filter(status__in=OPEN_FOR_RECEIPT, promised_on__lt=day)

    def awaiting_approval(self):
        """Drafts with at least one line: ready for someone to approve."""
        return self.filter(status=OrderStatus.DRAFT, lines__isnull=False).distinct()


class PurchaseOrder(HouqinModel):
    property_lookup = "storeroom__property"

    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="orders"
    )
    storeroom = models.ForeignKey(
        Storeroom, verbose_name=_("deliver to"), on_delete=models.PROTECT, related_name="orders"
    )
    promised_on = models.DateField(_("promised delivery"), validators=[validate_sane_date])
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    ordered_at = models.DateTimeField(_("ordered"), null=True, blank=True)
    requisition = models.ForeignKey(
        "procurement.Requisition",
        verbose_name=_("requisition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        editable=False,
    )
    rfq = models.ForeignKey(
        "procurement.RequestForQuotation",
        verbose_name=_("RFQ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        editable=False,
    )

    history = HistoricalRecords()
    objects = PurchaseOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["-created_at"], name="procurement_po_newest_idx"),
            models.Index(fields=["status", "promised_on"]),
        ]
        constraints = [
            *date_window("promised_on"),
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="procurement_order_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=OrderStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="procurement_order_cancel_has_reason",
                violation_error_message=_("Give the reason for cancelling."),
            ),
        ]

    def __str__(self):
        return f"PO-{self.pk:06d}" if self.pk else str(_("New purchase order"))

    def is_overdue(self, day=None):
        return self.status in OPEN_FOR_RECEIPT and self.promised_on < (day or timezone.localdate())


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=pgettext_lazy("purchase", "order"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="order_lines"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY, validators=[MinValueValidator(0)])
    unit_price = models.DecimalField(_("unit price"), **MONEY, validators=[MinValueValidator(0)])
    received = models.DecimalField(_("received"), **QUANTITY, default=0, editable=False)
    accepted = models.DecimalField(_("accepted"), **QUANTITY, default=0, editable=False)
    # The item's standard price when the line was written: the scorecard's price index
    # compares against it, so a later change of the standard does not rewrite history.
    standard_price = models.DecimalField(
        _("standard price when ordered"), **MONEY, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="procurement_poline_qty",
                violation_error_message=_("Quantities are above zero."),
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="procurement_poline_price"),
            # Never more received than ordered: over-receipt is refused by the database too.
            models.CheckConstraint(
                condition=Q(received__lte=F("quantity"))
                & Q(accepted__lte=F("received"))
                & Q(accepted__gte=0),
                name="procurement_poline_no_over_receipt",
            ),
            models.UniqueConstraint(
                fields=["order", "item"],
                name="procurement_poline_once",
                violation_error_message=_("This item is already on the order."),
            ),
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity}"

    def save(self, *args, **kwargs):
        if self.standard_price is None and self.item_id:
            self.standard_price = self.item.standard_price
        super().save(*args, **kwargs)

    @property
    def outstanding(self):
        return self.quantity - self.received


class GoodsReceipt(HouqinModel):
    """A delivery checked against an order: what came, what passed inspection, what went
    back. Posting it is what puts the accepted goods into stock."""

    property_lookup = "order__storeroom__property"

    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=pgettext_lazy("purchase", "order"),
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    received_on = models.DateField(
        _("received on"), default=timezone.localdate, validators=[validate_sane_date]
    )
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The form's one-time token: the same submission sent twice finds this receipt again.
    token = models.UUIDField(_("submission token"), unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        constraints = [
            *date_window("received_on"),
        ]
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"GR-{self.pk:06d}" if self.pk else str(_("New goods receipt"))


class GoodsReceiptLine(models.Model):
    receipt = models.ForeignKey(
        GoodsReceipt, verbose_name=_("receipt"), on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        PurchaseOrderLine,
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="receipt_lines",
    )
    received = models.DecimalField(_("received"), **QUANTITY, validators=[MinValueValidator(0)])
    accepted = models.DecimalField(_("accepted"), **QUANTITY, validators=[MinValueValidator(0)])
    rejection_reason = models.CharField(_("reason for rejecting"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("receipt line")
        verbose_name_plural = _("receipt lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(received__gt=0) & Q(accepted__gte=0) & Q(accepted__lte=F("received")),
                name="procurement_grline_quantities",
                violation_error_message=_("Accepted cannot be more than received."),
            ),
            models.CheckConstraint(
                condition=Q(accepted=F("received")) | ~Q(rejection_reason=""),
                name="procurement_grline_rejection_has_reason",
                violation_error_message=_("Give the reason for rejecting goods."),
            ),
        ]

    def __str__(self):
        return f"{self.order_line.item}: {self.accepted}/{self.received}"

    @property
    def rejected(self):
        return self.received - self.accepted
