"""Hazards (隐患排查): found on a patrol, an inspection or from a report, graded and given an
owner and a deadline; rectified, then verified by someone other than the owner."""

import builtins

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import date_window, datetime_window, validate_sane_date
from core.models import HouqinModel
from core.uploads import MB, PHOTOS, UploadValidator

SAFETY_PHOTO = UploadValidator(kinds=PHOTOS, max_bytes=8 * MB)


class HazardSource(models.TextChoices):
    PATROL = "patrol", _("Patrol")
    INSPECTION = "inspection", _("Safety inspection")
    REPORT = "report", pgettext_lazy("hazard source", "Report")


class HazardCategory(models.TextChoices):
    FIRE = "fire", _("Fire safety")
    ELECTRICAL = "electrical", _("Electrical")
    STRUCTURAL = "structural", _("Structural")
    ELEVATOR = "elevator", _("Elevator")
    WATER = "water", _("Water")
    GAS = "gas", _("Gas")
    TRAFFIC = "traffic", _("Traffic")
    OTHER = "other", pgettext_lazy("hazard category", "Other")


class HazardGrade(models.TextChoices):
    MAJOR = "major", _("Major hazard")
    GENERAL = "general", _("General hazard")


class RiskLevel(models.TextChoices):
    RED = "red", _("Red (very high)")
    ORANGE = "orange", _("Orange (high)")
    YELLOW = "yellow", _("Yellow (moderate)")
    BLUE = "blue", _("Blue (low)")


class HazardStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("hazard", "Open")
    RECTIFYING = "rectifying", _("Being rectified")
    AWAITING = "awaiting", _("Awaiting verification")
    CLOSED = "closed", pgettext_lazy("hazard", "Closed")


class HazardQuerySet(models.QuerySet):
    def unresolved(self):
        return self.exclude(status=HazardStatus.CLOSED)

    def overdue(self, day=None):
        return self.unresolved().filter(deadline__lt=day or timezone.localdate())

    def for_user(self, user):
        return self.filter(owner__user=user)


class Hazard(HouqinModel):
    """隐患: a condition that could hurt someone, until its rectification is verified. The
    owner rectifies it (a note and an after-photo); someone else verifies it (the service,
    the form and a database check on the verifying employee)."""

    property_lookup = "property"

    property = models.ForeignKey(
        "core.Property", verbose_name=_("property"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(
        _("found by"), max_length=12, choices=HazardSource.choices, default=HazardSource.PATROL
    )
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    location = models.ForeignKey(
        "core.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=12, choices=HazardCategory.choices)
    grade = models.CharField(
        _("grade"), max_length=10, choices=HazardGrade.choices, default=HazardGrade.GENERAL
    )
    level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.BLUE
    )
    description = models.TextField(_("description"), max_length=2000)
    photo = models.FileField(
        _("photo"), upload_to="safety/hazards/%Y/%m/", blank=True, validators=[SAFETY_PHOTO]
    )
    owner = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="safety_hazards",
        help_text=_("Who rectifies it."),
    )
    deadline = models.DateField(_("deadline"), validators=[validate_sane_date])
    status = models.CharField(
        _("status"), max_length=12, choices=HazardStatus.choices, default=HazardStatus.OPEN
    )
    rectification_note = models.TextField(_("what was done"), max_length=2000, blank=True)
    after_photo = models.FileField(
        _("photo after"),
        upload_to="safety/hazards/%Y/%m/",
        blank=True,
        validators=[SAFETY_PHOTO],
    )
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verifier = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("verifying employee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_note = models.CharField(_("verification note"), max_length=500, blank=True)
    rejections = models.PositiveSmallIntegerField(_("failed verifications"), default=0)
    work_order = models.OneToOneField(
        "facilities.WorkOrder",
        verbose_name=_("work order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="safety_hazard",
    )

    history = HistoricalRecords()
    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_at", "-pk"]
        indexes = [
            models.Index(fields=["-found_at", "-id"], name="safety_hazard_newest_idx"),
            models.Index(fields=["status", "deadline"], name="safety_hazard_due_idx"),
        ]
        constraints = [
            *datetime_window("found_at"),
            *date_window("deadline"),
            models.CheckConstraint(
                condition=Q(status__in=HazardStatus.values), name="safety_hazard_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=HazardCategory.values),
                name="safety_hazard_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(grade__in=HazardGrade.values), name="safety_hazard_grade_valid"
            ),
            models.CheckConstraint(
                condition=Q(level__in=RiskLevel.values), name="safety_hazard_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(verifier__isnull=True)
                | Q(owner__isnull=True)
                | ~Q(verifier=F("owner")),
                name="safety_hazard_not_verified_by_owner",
                violation_error_message=_("The hazard's owner cannot verify its rectification."),
            ),
            models.CheckConstraint(
                condition=~Q(status=HazardStatus.CLOSED) | Q(verified_at__isnull=False),
                name="safety_hazard_closed_is_verified",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[HazardStatus.AWAITING, HazardStatus.CLOSED])
                | (~Q(rectification_note="") & ~Q(after_photo="")),
                name="safety_hazard_rectified_has_evidence",
                violation_error_message=_("A rectification needs a note and a photo after."),
            ),
        ]

    @builtins.property
    def number(self):
        return f"YH-{self.pk:06d}" if self.pk else ""

    def __str__(self):
        return self.number or str(_("New hazard"))

    def clean(self):
        super().clean()
        self.check_same_property("location", "owner")

    def get_file_url(self, field_name):
        return reverse(f"safety:hazard_{field_name}", args=[self.pk])

    def is_overdue(self, day=None):
        return self.status != HazardStatus.CLOSED and self.deadline < (day or timezone.localdate())
