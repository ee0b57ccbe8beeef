"""Shift rosters (排班): shift types, posts, shifts, rotation patterns."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import date_window, shown_day, validate_sane_date
from core.models import HouqinModel, Location, Property, code_validator


class ShiftType(HouqinModel):
    """早班, 夜班, 24 小时 … A shift whose end is not after its start crosses midnight;
    one that ends when it starts lasts 24 hours."""

    shared_reference = True

    name = models.CharField(_("name"), max_length=30, unique=True)
    code = models.CharField(
        _("code"),
        max_length=5,
        unique=True,
        validators=[code_validator],
        help_text=_("Short code shown in the roster grid, e.g. D or N."),
    )
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift type")
        verbose_name_plural = _("shift types")
        ordering = ["start", "name"]

    def __str__(self):
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def crosses_midnight(self):
        return self.end <= self.start

    def span(self, day):
        """The aware start and end of this shift when it starts on ``day``."""
        zone = timezone.get_current_timezone()
        starts = timezone.make_aware(datetime.combine(day, self.start), zone)
        ends = timezone.make_aware(datetime.combine(day, self.end), zone)
        if self.crosses_midnight:
            ends += timedelta(days=1)
        return starts, ends


class Post(HouqinModel):
    """A place someone must be: a gate, the fire control room, a plant room, a cleaning area."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="posts"
    )
    name = models.CharField(_("name"), max_length=60)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    required_certificate_types = models.ManyToManyField(
        "staff.CertificateType",
        verbose_name=_("required certificates"),
        blank=True,
        related_name="posts",
        help_text=_("Nobody is rostered here on a day one of these is missing or expired."),
    )
    shift_types = models.ManyToManyField(
        ShiftType,
        verbose_name=_("shifts to cover"),
        blank=True,
        related_name="posts",
        help_text=_("Shifts this post needs every day; an empty one is a roster gap."),
    )
    headcount = models.PositiveSmallIntegerField(
        _("people per shift"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    supervisor = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("responsible supervisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts_supervised",
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["property__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "name"],
                name="staff_post_unique_name",
                violation_error_message=_("This property already has a post with this name."),
            ),
            models.CheckConstraint(
                condition=Q(headcount__gte=1),
                name="staff_post_headcount",
                violation_error_message=_("At least one person per shift."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.check_same_property("location", "supervisor")


class Shift(HouqinModel):
    """Someone on a post for a shift on a day. ``starts_at``/``ends_at`` are stored so that
    overlaps and rest periods are plain range queries."""

    property_lookup = "post__property"

    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="shifts",
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="shifts"
    )
    shift_type = models.ForeignKey(
        ShiftType, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="shifts"
    )
    date = models.DateField(_("date"), validators=[validate_sane_date])
    starts_at = models.DateTimeField(_("starts"), editable=False)
    ends_at = models.DateTimeField(_("ends"), editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["date", "starts_at", "post__name"]
        indexes = [
            models.Index(fields=["employee", "starts_at"]),
            models.Index(fields=["post", "date"]),
            models.Index(fields=["date"]),
        ]
        constraints = [
            *date_window("date"),
            models.UniqueConstraint(
                fields=["employee", "starts_at"],
                name="staff_shift_no_double_start",
                violation_error_message=_("This person already has a shift starting then."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="staff_shift_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.employee.name} · {self.post} · {shown_day(self.date)} {self.shift_type.code}"

    def set_span(self):
        self.starts_at, self.ends_at = self.shift_type.span(self.date)


class RotationPattern(HouqinModel):
    """A repeating sequence of shift codes, "-" for a day off: e.g. "D D N N - -"."""

    shared_reference = True

    name = models.CharField(_("name"), max_length=60, unique=True)
    sequence = models.CharField(
        _("sequence"),
        max_length=200,
        help_text=_("Shift codes separated by spaces, one per day; - is a day off."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rotation pattern")
        verbose_name_plural = _("rotation patterns")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.sequence})"

    def codes(self):
        return self.sequence.replace(",", " ").split()

    def clean(self):
        super().clean()
        codes = self.codes()
        if not codes:
            raise ValidationError({"sequence": _("Give at least one day.")})
        known = set(ShiftType.objects.values_list("code", flat=True)) | {"-"}
        unknown = sorted({code for code in codes if code not in known})
        if unknown:
            raise ValidationError(
                {"sequence": _("Unknown shift codes: %(codes)s.") % {"codes": ", ".join(unknown)}}
            )
