"""The equipment ledger (设备台账): what the department keeps running, by system class."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import RECORDS_FROM, date_window, validate_record_date
from core.models import HouqinModel, Location, Property, code_validator


class EquipmentCategory(HouqinModel):
    """A system class (电梯, 消防, 给排水 …), shared by all properties; seeded, editable."""

    shared_reference = True

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    special = models.BooleanField(
        _("special equipment"),
        default=False,
        help_text=_("Registered with the authorities, with a statutory inspection certificate."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("equipment category")
        verbose_name_plural = _("equipment categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class EquipmentStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    FAULTY = "faulty", _("Faulty")
    MAINTENANCE = "maintenance", _("Under maintenance")
    STOPPED = "stopped", _("Stopped")
    RETIRED = "retired", _("Retired")


class Criticality(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


def _date_due(field, day, days, *, passed):
    """``field`` (a date) falls within ``days`` of ``day``; with ``passed``, or has gone by."""
    condition = Q(**{f"{field}__isnull": False, f"{field}__lte": day + timedelta(days=days)})
    return condition if passed else condition & Q(**{f"{field}__gte": day})


class EquipmentQuerySet(models.QuerySet):
    def expiring(self, field, day, days=30, *, passed=True):
        """Equipment in use whose ``field`` (a date) falls within ``days`` of ``day``; with
        ``passed``, also those whose date has gone by."""
        return self.exclude(status=EquipmentStatus.RETIRED).filter(
            _date_due(field, day, days, passed=passed)
        )

    def warranty_or_certificate_expiring(self, day, days=30):
        """Equipment in use whose warranty ends within ``days`` of ``day``, or whose inspection
        certificate expires within them or has expired: one filter, on any database."""
        return self.exclude(status=EquipmentStatus.RETIRED).filter(
            _date_due("warranty_ends_on", day, days, passed=False)
            | _date_due("certificate_expires_on", day, days, passed=True)
        )


class Equipment(HouqinModel):
    """设备: one piece of plant, with its whole history on its page."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="equipment"
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment",
    )
    category = models.ForeignKey(
        EquipmentCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="equipment",
    )
    name = models.CharField(_("name"), max_length=100)
    asset_code = models.CharField(_("asset code"), max_length=30, validators=[code_validator])
    model_number = models.CharField(_("model"), max_length=60, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=100, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=60, blank=True)
    commissioned_on = models.DateField(
        _("commissioned"), null=True, blank=True, validators=[validate_record_date]
    )
    warranty_ends_on = models.DateField(
        _("warranty ends"), null=True, blank=True, validators=[validate_record_date]
    )
    contractor = models.ForeignKey(
        "procurement.Supplier",
        verbose_name=_("maintenance contractor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="maintained_equipment",
    )
    responsible = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="equipment",
    )
    criticality = models.CharField(
        _("criticality"), max_length=10, choices=Criticality.choices, default=Criticality.MEDIUM
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EquipmentStatus.choices,
        default=EquipmentStatus.IN_SERVICE,
    )
    # Special equipment (elevators, pressure vessels): registered, inspected by law.
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    certificate_expires_on = models.DateField(
        _("inspection certificate expires"),
        null=True,
        blank=True,
        validators=[validate_record_date],
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = EquipmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        # By property (its id: ordering by its code joined and sorted all 20,000 pieces for
        # every page), then asset code; the index below serves it.
        ordering = ["property_id", "asset_code"]
        indexes = [
            models.Index(fields=["property", "asset_code"], name="facilities_equip_order_idx"),
            models.Index(fields=["status"]),
            models.Index(fields=["warranty_ends_on"]),
            models.Index(fields=["certificate_expires_on"]),
        ]
        constraints = [
            *date_window(
                "commissioned_on", "warranty_ends_on", "certificate_expires_on", since=RECORDS_FROM
            ),
            models.UniqueConstraint(
                "property",
                Lower("asset_code"),
                name="facilities_equipment_asset_code_unique",
                violation_error_message=_("This property already has equipment with this code."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=EquipmentStatus.values),
                name="facilities_equipment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(criticality__in=Criticality.values),
                name="facilities_equipment_criticality_valid",
            ),
            models.CheckConstraint(
                condition=Q(warranty_ends_on__isnull=True)
                | Q(commissioned_on__isnull=True)
                | Q(warranty_ends_on__gte=models.F("commissioned_on")),
                name="facilities_equipment_warranty_after_commissioning",
                violation_error_message=_("The warranty cannot end before commissioning."),
            ),
        ]

    def __str__(self):
        return f"{self.asset_code} {self.name}"

    def clean(self):
        super().clean()
        self.check_same_property("location", "responsible")
        if self.category_id and self.category.special and self.status != EquipmentStatus.RETIRED:
            errors = {}
            if not self.registration_number.strip():
                errors["registration_number"] = _(
                    "Special equipment carries its registration number."
                )
            if not self.certificate_expires_on:
                errors["certificate_expires_on"] = _(
                    "Special equipment carries the expiry of its inspection certificate."
                )
            if errors:
                raise ValidationError(errors)
