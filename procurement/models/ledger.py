"""The stock ledger: every change is a StockMovement; StockBalance is kept with it, in the
same transaction, and the database refuses a balance below zero."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import HouqinModel
from core.texts import key_field, params_field

from .catalogue import MONEY, QUANTITY, Item, Storeroom


class StockBalance(models.Model):
    """What a storeroom holds of an item, and its value at moving-average cost."""

    property_lookup = "storeroom__property"

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="balances"
    )
    storeroom = models.ForeignKey(
        Storeroom, verbose_name=_("storeroom"), on_delete=models.PROTECT, related_name="balances"
    )
    quantity = models.DecimalField(_("on hand"), **QUANTITY, default=0)
    value = models.DecimalField(_("value"), **MONEY, default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        ordering = ["storeroom", "item__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "storeroom"], name="procurement_balance_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="procurement_balance_never_negative",
                violation_error_message=_("Stock cannot go below zero."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="procurement_balance_value_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.item} @ {self.storeroom}: {self.quantity}"

    def get_absolute_url(self):
        from django.urls import reverse

        base = reverse("procurement:stockmovement_list")
        return f"{base}?item={self.item_id}&storeroom={self.storeroom_id}"

    @property
    def average_cost(self):
        return (self.value / self.quantity).quantize(self.value) if self.quantity else None


class MovementKind(models.TextChoices):
    OPENING = "opening", _("Opening balance")
    RECEIPT = "receipt", _("Receipt")
    ISSUE = "issue", _("Issue")
    RETURN = "return", _("Return to stock")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    ADJUSTMENT = "adjustment", _("Adjustment")
    COUNT = "count", _("Count variance")


class StockMovement(models.Model):
    """One line of the ledger. Never edited or deleted: a mistake is corrected by another
    movement. ``quantity`` and ``value`` are signed (negative goes out)."""

    property_lookup = "storeroom__property"

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="movements"
    )
    storeroom = models.ForeignKey(
        Storeroom, verbose_name=_("storeroom"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_cost = models.DecimalField(_("unit cost"), **MONEY)
    value = models.DecimalField(_("value"), **MONEY)
    balance_after = models.DecimalField(_("balance after"), **QUANTITY)
    reference = models.CharField(
        _("document"),
        max_length=60,
        blank=True,
        help_text=_("The document behind it: issue, receipt, count …"),
    )
    department = models.ForeignKey(
        "staff.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_movements",
    )
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_movements",
    )
    work_order_ref = models.CharField(_("work order"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # A note the app wrote, worded for each reader (core.texts); ``note`` keeps its facts.
    note_key = key_field()
    note_params = params_field()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="stock_movements",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="procurement_move_newest_idx"),
            models.Index(fields=["item", "storeroom", "at"]),
            models.Index(fields=["storeroom", "at"]),
            models.Index(fields=["kind", "at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="procurement_movement_not_zero"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="procurement_movement_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MovementKind.values), name="procurement_movement_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.item} {self.quantity:+}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("procurement:stockmovement_detail", args=[self.pk])


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    CANCELLED = "cancelled", _("Cancelled")


class StockIssue(HouqinModel):
    """领用单: goods handed out of a storeroom to a department, a person or a work order."""

    property_lookup = "storeroom__property"

    storeroom = models.ForeignKey(
        Storeroom, verbose_name=_("storeroom"), on_delete=models.PROTECT, related_name="issues"
    )
    department = models.ForeignKey(
        "staff.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="stock_issues",
    )
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_issues",
    )
    work_order_ref = models.CharField(_("work order"), max_length=30, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.DRAFT
    )
    issued_at = models.DateTimeField(pgettext_lazy("stock issue", "issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stock issue")
        verbose_name_plural = _("stock issues")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["-created_at"], name="procurement_issue_newest_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="issued") | Q(issued_at__isnull=False),
                name="procurement_issue_issued_has_time",
            ),
        ]

    def __str__(self):
        return f"LY-{self.pk:06d}" if self.pk else str(_("New issue"))

    def clean(self):
        super().clean()
        if (
            self.employee_id
            and self.storeroom_id
            and (self.employee.property_id != self.storeroom.property_id)
        ):
            raise ValidationError({"employee": _("This person works at another property.")})


class StockIssueLine(models.Model):
    issue = models.ForeignKey(
        StockIssue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="lines"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="issue_lines"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)

    class Meta:
        verbose_name = _("issue line")
        verbose_name_plural = _("issue lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="procurement_issueline_positive",
                violation_error_message=_("Quantities are above zero."),
            ),
            models.UniqueConstraint(
                fields=["issue", "item"],
                name="procurement_issueline_once",
                violation_error_message=_("This item is already on the issue."),
            ),
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity}"
