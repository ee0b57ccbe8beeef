"""Stock counts (盘点): a snapshot of the book, what was found, and the variances posted."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import date_window, validate_sane_date
from core.models import HouqinModel

from .catalogue import MONEY, QUANTITY, Item, Storeroom


class CountStatus(models.TextChoices):
    OPEN = "open", _("Counting")
    SUBMITTED = "submitted", _("Waiting for approval")
    POSTED = "posted", _("Posted")
    CANCELLED = "cancelled", _("Cancelled")


IN_PROGRESS = (CountStatus.OPEN, CountStatus.SUBMITTED)


class StockCountQuerySet(models.QuerySet):
    def to_count(self, day):
        """Count sheets open on or after their scheduled day."""
        return self.filter(status=CountStatus.OPEN, scheduled_for__lte=day)

    def awaiting_approval(self):
        """Submitted counts whose variances wait for the director."""
        return self.filter(status=CountStatus.SUBMITTED)


class StockCount(HouqinModel):
    """One count of one storeroom. Opened with a snapshot of the book quantities (by the
    daily task on the scheduled day, or by hand); movements posted while it is open are
    accounted for line by line, up to the moment each line was counted."""

    property_lookup = "storeroom__property"

    storeroom = models.ForeignKey(
        Storeroom, verbose_name=_("storeroom"), on_delete=models.PROTECT, related_name="counts"
    )
    scheduled_for = models.DateField(_("scheduled for"), validators=[validate_sane_date])
    status = models.CharField(
        _("status"), max_length=20, choices=CountStatus.choices, default=CountStatus.OPEN
    )
    blind = models.BooleanField(
        _("blind count"), default=False, help_text=_("Book quantities hidden while counting.")
    )
    snapshot_at = models.DateTimeField(_("snapshot taken"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    # Fixed when submitted: what the accuracy report reads.
    lines_counted = models.PositiveIntegerField(_("lines counted"), default=0)
    lines_matching = models.PositiveIntegerField(_("lines without variance"), default=0)
    variance_value = models.DecimalField(_("net variance (¥)"), **MONEY, default=0)
    variance_abs_value = models.DecimalField(_("absolute variance (¥)"), **MONEY, default=0)

    history = HistoricalRecords()
    objects = StockCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = ["-scheduled_for", "storeroom"]
        indexes = [models.Index(fields=["status", "scheduled_for"])]
        permissions = [("approve_stockcount", _("Can approve count variances above the limit"))]
        constraints = [
            *date_window("scheduled_for"),
            models.CheckConstraint(
                condition=Q(status__in=CountStatus.values), name="procurement_count_status_valid"
            ),
            models.UniqueConstraint(
                fields=["storeroom", "scheduled_for"],
                name="procurement_count_once_per_day",
                violation_error_message=_("This storeroom already has a count for this day."),
            ),
            # One count at a time per storeroom.
            models.UniqueConstraint(
                fields=["storeroom"],
                condition=Q(status__in=["open", "submitted"]),
                name="procurement_count_one_open",
                violation_error_message=_("This storeroom is being counted already."),
            ),
            models.CheckConstraint(
                condition=Q(lines_matching__lte=F("lines_counted")),
                name="procurement_count_matching_le_counted",
            ),
        ]

    def __str__(self):
        return f"ST-{self.pk:06d}" if self.pk else str(_("New stock count"))

    @property
    def accuracy(self):
        """Share of counted lines found exactly as the book said (None before submission)."""
        if not self.lines_counted:
            return None
        return self.lines_matching / self.lines_counted


class StockCountLine(models.Model):
    count = models.ForeignKey(
        StockCount, verbose_name=_("stock count"), on_delete=models.CASCADE, related_name="lines"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="count_lines"
    )
    book_quantity = models.DecimalField(_("book quantity at snapshot"), **QUANTITY)
    unit_cost = models.DecimalField(_("unit cost"), **MONEY, default=0)
    counted = models.DecimalField(_("counted"), **QUANTITY, null=True, blank=True)
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    # Book quantity when the line was counted: the snapshot plus what moved since.
    expected = models.DecimalField(_("expected"), **QUANTITY, null=True, blank=True)
    reason = models.CharField(_("reason for the variance"), max_length=200, blank=True)
    movement = models.OneToOneField(
        "procurement.StockMovement",
        verbose_name=_("posted movement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="count_line",
    )

    class Meta:
        verbose_name = _("count line")
        verbose_name_plural = _("count lines")
        ordering = ["count", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["count", "item"], name="procurement_countline_once"),
            models.CheckConstraint(
                condition=Q(counted__isnull=True) | Q(counted__gte=0),
                name="procurement_countline_counted_not_negative",
                violation_error_message=_("A counted quantity cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.item}: {self.counted}"

    @property
    def variance(self):
        if self.counted is None or self.expected is None:
            return None
        return self.counted - self.expected

    @property
    def variance_value(self):
        variance = self.variance
        return None if variance is None else (variance * self.unit_cost).quantize(self.unit_cost)
