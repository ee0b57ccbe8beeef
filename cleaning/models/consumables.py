"""Cleaning consumables (保洁耗材) issued from the stores to an area or a team: bin bags,
detergent, mops … Issued through procurement's stock ledger (stock goes down, at moving-average
cost), so the month's cost per m² of cleaned area can be known."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import HouqinModel, Property

from .areas import CleaningArea

MONEY = {"max_digits": 14, "decimal_places": 2}


class ConsumableIssue(HouqinModel):
    """One issue of consumables from a storeroom, to one cleaning area or to a team (a roster
    post whose cleaners keep several areas); its lines are the stock movements."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property,
        verbose_name=_("property"),
        on_delete=models.PROTECT,
        related_name="cleaning_consumable_issues",
    )
    area = models.ForeignKey(
        CleaningArea,
        verbose_name=_("cleaning area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consumable_issues",
    )
    team = models.ForeignKey(
        "staff.Post",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cleaning_consumable_issues",
        help_text=_("A roster post whose cleaners keep several areas."),
    )
    storeroom = models.ForeignKey(
        "procurement.Storeroom",
        verbose_name=_("storeroom"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_by = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    value = models.DecimalField(_("value"), **MONEY, default=Decimal(0))
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consumables issue")
        verbose_name_plural = _("consumables issues")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=False) | Q(team__isnull=False),
                name="cleaning_consumableissue_area_or_team",
                violation_error_message=_("Issue the consumables to an area or a team."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="cleaning_consumableissue_value_positive"
            ),
        ]
        indexes = [models.Index(fields=["property", "issued_at"])]

    def __str__(self):
        to = self.area or self.team
        return f"{to} · {timezone.localtime(self.issued_at):%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        self.check_same_property("area", "team", "storeroom", "received_by")


class ConsumableLine(models.Model):
    """An item issued, with its stock movement (the value is the movement's cost)."""

    property_lookup = "issue__property"

    issue = models.ForeignKey(
        ConsumableIssue,
        verbose_name=_("consumables issue"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    movement = models.OneToOneField(
        "procurement.StockMovement",
        verbose_name=_("stock movement"),
        on_delete=models.PROTECT,
        related_name="cleaning_consumable",
    )
    item = models.ForeignKey(
        "procurement.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    value = models.DecimalField(_("value"), **MONEY)

    class Meta:
        verbose_name = _("consumable issued")
        verbose_name_plural = _("consumables issued")
        ordering = ["issue", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(value__gte=0),
                name="cleaning_consumableline_positive",
            ),
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity.normalize() if self.quantity else Decimal(0)}"
