"""Visitors (访客登记): who came to a property, to see whom, and whether they are still on
site. Only the last four characters of an ID document are kept (never the full number); the
phone is need-to-know: shown in full only to who holds ``safety.view_visitor_phone``."""

import builtins
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import datetime_window, validate_sane_date
from core.models import HouqinModel, Location, Property
from staff.validators import phone_validator

SEE_PHONE = "safety.view_visitor_phone"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO = "hk_macao", _("Mainland travel permit (Hong Kong/Macao)")
    TAIWAN = "taiwan", _("Mainland travel permit (Taiwan)")
    OTHER = "other", _("Other")


class VisitorStatus(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    ON_SITE = "on_site", _("On site")
    LEFT = "left", _("Left")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


id_last_four_validator = RegexValidator(
    r"^[0-9A-Za-z]{4}\Z",
    _("Enter only the last four characters of the ID document (letters or digits)."),
    code="id_last_four",
)

# Lenient: a province character (or two, 使/领), then letters and digits; new-energy plates
# have one more character, some end in 学/警/挂/港/澳/领.
PLATE_RE = re.compile(r"^[\u4e00-\u9fff]{1,2}[A-Z][A-Z0-9]{4,6}[\u4e00-\u9fff]?\Z")


def normalise_plate(value):
    return re.sub(r"[\s·.\-]", "", value or "").upper()


def validate_plate(value):
    if value and not PLATE_RE.match(normalise_plate(value)):
        raise ValidationError(
            _("Enter a Chinese licence plate, e.g. 沪A12345 or 粤BD12345."), code="plate"
        )


def mask_phone(value):
    """138****5678: the first three and last four digits of a mobile number; of anything
    else, the last four only."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


class VisitorQuerySet(models.QuerySet):
    """Visitors are records about a person: seen (after the property scope) by who may view
    visitors; their phone numbers by who holds ``safety.view_visitor_phone`` only."""

    def visible_to(self, user):
        if not user.is_authenticated or not user.has_perm("safety.view_visitor"):
            return self.none()
        return self

    def on_site(self):
        return self.filter(status=VisitorStatus.ON_SITE)

    def expected_on(self, day):
        return self.filter(status=VisitorStatus.EXPECTED, expected_at__date=day)


class Visitor(HouqinModel):
    """One visit: pre-registered (expected), signed in at the gate (on site), signed out."""

    property_lookup = "property"
    personal_data = True
    history_masked_fields = ("phone",)

    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="visitors"
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    host = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("host (employee)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visitors",
    )
    host_name = models.CharField(
        _("host"), max_length=50, blank=True, help_text=_("Whom they visit, when not staff.")
    )
    unit = models.ForeignKey(
        Location,
        verbose_name=_("unit visited"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visitors",
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices, blank=True)
    id_last_four = models.CharField(
        _("ID last four"),
        max_length=4,
        blank=True,
        validators=[id_last_four_validator],
        help_text=_("Only the last four characters; never type the full number."),
    )
    plate = models.CharField(
        _("licence plate"), max_length=12, blank=True, validators=[validate_plate]
    )
    badge = models.CharField(_("badge number"), max_length=20, blank=True)
    expected_at = models.DateTimeField(
        _("expected"), null=True, blank=True, validators=[validate_sane_date]
    )
    arrived_at = models.DateTimeField(
        _("time in"), null=True, blank=True, validators=[validate_sane_date]
    )
    left_at = models.DateTimeField(
        _("time out"), null=True, blank=True, validators=[validate_sane_date]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VisitorStatus.choices, default=VisitorStatus.EXPECTED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = VisitorQuerySet.as_manager()

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        ordering = ["-created_at", "-pk"]
        permissions = [("view_visitor_phone", _("Can see visitors' phone numbers in full"))]
        indexes = [
            models.Index(fields=["property", "status"]),
            models.Index(fields=["property", "expected_at"]),
            models.Index(fields=["property", "arrived_at"]),
        ]
        constraints = [
            *datetime_window("expected_at", "arrived_at", "left_at"),
            models.CheckConstraint(
                condition=Q(status__in=VisitorStatus.values),
                name="safety_visitor_status_valid",
                violation_error_message=_("Choose a valid status."),
            ),
            models.CheckConstraint(
                condition=Q(id_last_four="") | Q(id_last_four__regex=r"^[0-9A-Za-z]{4}$"),
                name="safety_visitor_id_last_four_only",
                violation_error_message=_("Keep only the last four characters of the ID document."),
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True)
                | Q(arrived_at__isnull=False, left_at__gte=F("arrived_at")),
                name="safety_visitor_left_after_arrival",
                violation_error_message=_("The time out cannot be before the time in."),
            ),
            models.CheckConstraint(
                condition=~Q(status=VisitorStatus.ON_SITE)
                | Q(arrived_at__isnull=False, left_at__isnull=True),
                name="safety_visitor_on_site_has_time_in",
                violation_error_message=_("A visitor on site needs a time in and no time out."),
            ),
            models.CheckConstraint(
                condition=~Q(status=VisitorStatus.LEFT) | Q(left_at__isnull=False),
                name="safety_visitor_left_has_time_out",
                violation_error_message=_("A visitor who left needs a time out."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[VisitorStatus.EXPECTED, VisitorStatus.NO_SHOW])
                | Q(arrived_at__isnull=True),
                name="safety_visitor_expected_not_arrived",
                violation_error_message=_("A visitor who has not come has no time in."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.plate = normalise_plate(self.plate)
        self.id_last_four = (self.id_last_four or "").strip().upper()
        errors = {}
        if self.id_last_four and not self.id_type:
            errors["id_type"] = _("Say which ID document the last four characters are from.")
        if self.left_at and (not self.arrived_at or self.left_at < self.arrived_at):
            errors["left_at"] = _("The time out cannot be before the time in.")
        if errors:
            raise ValidationError(errors)
        self.check_same_property("host", "unit")

    @builtins.property
    def host_display(self):
        return self.host.name if self.host_id else self.host_name

    def phone_for(self, user):
        """The phone as ``user`` may see it: in full with the need-to-know permission."""
        if user.has_perm(SEE_PHONE):
            return self.phone
        return mask_phone(self.phone)

    def time_on_site(self, now=None):
        if not self.arrived_at:
            return None
        return (self.left_at or now or timezone.now()) - self.arrived_at
