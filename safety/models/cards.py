"""Access cards (门禁卡): who holds which card of a property, until when, and its status.
Reporting a card lost, revoking it or reactivating it goes through the card's workflow
(``safety.models.workflows.ACCESS_CARD``): each step is on its timeline with who, when and
why."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import date_window, validate_sane_date
from core.models import HouqinModel, Location, Property


class HolderKind(models.TextChoices):
    OWNER = "owner", _("Owner")
    TENANT = "tenant", _("Tenant")
    STAFF = "staff", _("Staff")
    CONTRACTOR = "contractor", _("Contractor")


class CardStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LOST = "lost", _("Lost")
    REVOKED = "revoked", _("Revoked")


class AccessCardQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=CardStatus.ACTIVE)

    def expiring(self, day, days=30):
        return self.active().filter(
            expires_on__isnull=False, expires_on__lte=day + timedelta(days=days)
        )


class AccessCard(HouqinModel):
    property_lookup = "property"

    property = models.ForeignKey(
        Property,
        verbose_name=_("property"),
        on_delete=models.PROTECT,
        related_name="access_cards",
    )
    number = models.CharField(_("card number"), max_length=30)
    holder_name = models.CharField(_("holder"), max_length=50)
    holder_kind = models.CharField(_("holder kind"), max_length=20, choices=HolderKind.choices)
    unit = models.ForeignKey(
        Location,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_cards",
    )
    issued_on = models.DateField(_("issued on"), validators=[validate_sane_date])
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, validators=[validate_sane_date]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CardStatus.choices, default=CardStatus.ACTIVE
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = AccessCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("access card")
        verbose_name_plural = _("access cards")
        ordering = ["property_id", "number"]
        indexes = [
            models.Index(fields=["property", "status"]),
            models.Index(fields=["status", "expires_on"]),
        ]
        constraints = [
            *date_window("issued_on", "expires_on"),
            models.UniqueConstraint(
                "property",
                Lower("number"),
                name="safety_accesscard_number_unique",
                violation_error_message=_("This property already has a card with this number."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="safety_accesscard_expires_after_issue",
                violation_error_message=_("A card must expire after the day it is issued."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=CardStatus.values),
                name="safety_accesscard_status_valid",
                violation_error_message=_("Choose a valid status."),
            ),
            models.CheckConstraint(
                condition=Q(holder_kind__in=HolderKind.values),
                name="safety_accesscard_holder_kind_valid",
                violation_error_message=_("Choose a valid kind of holder."),
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.holder_name}"

    def clean(self):
        super().clean()
        self.number = (self.number or "").strip()
        if self.expires_on and self.issued_on and self.expires_on <= self.issued_on:
            raise ValidationError(
                {"expires_on": _("A card must expire after the day it is issued.")}
            )
        self.check_same_property("unit")

    def expires_within(self, day, days=30):
        return bool(self.expires_on) and self.expires_on <= day + timedelta(days=days)
