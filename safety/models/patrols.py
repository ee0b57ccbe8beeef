"""Patrols (巡更): routes of checkpoints, the schedules that expect rounds of a route, the
rounds themselves, and the scans a guard makes at each checkpoint.

A checkpoint carries two codes: a long secret token, printed only in its QR code (the scan
page's address), and a short code a guard may type when the label cannot be read. A round
is complete when every active checkpoint of its route was scanned; one whose window passes
unfinished is incomplete (or expired when nobody started it).
"""

import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import date_window, datetime_window, validate_sane_date, within
from core.models import HouqinModel, Location, Property
from core.recurrence import Schedule
from core.uploads import PHOTOS, UploadValidator

MB = 1024 * 1024
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a worn label
CODE_LENGTH = 6
MAX_ROUNDS_A_DAY = 48


def new_token():
    return secrets.token_urlsafe(24)


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class PatrolRoute(HouqinModel):
    """巡更路线: the checkpoints a guard walks, in order."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="patrol_routes"
    )
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patrol route")
        verbose_name_plural = _("patrol routes")
        ordering = ["property_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "name"],
                name="safety_patrolroute_name_unique",
                violation_error_message=_("This property already has a route of this name."),
            ),
        ]

    def __str__(self):
        return self.name


class Checkpoint(HouqinModel):
    """巡更点: a label on a wall. Its token is the secret of its QR code and is never listed;
    its short code is what a guard types when the QR cannot be read."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property,
        verbose_name=_("property"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    route = models.ForeignKey(
        PatrolRoute,
        verbose_name=_("patrol route"),
        on_delete=models.CASCADE,
        related_name="checkpoints",
    )
    position = models.PositiveSmallIntegerField(
        _("order on the route"),
        help_text=_("The order in which the route passes the checkpoint."),
    )
    name = models.CharField(_("name"), max_length=100)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkpoints",
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_token, editable=False
    )
    code = models.CharField(_("short code"), max_length=12, editable=False)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    radius_m = models.PositiveIntegerField(
        _("allowed radius (m)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
        help_text=_("A scan farther than this from the position is flagged."),
    )
    offset_minutes = models.PositiveSmallIntegerField(
        _("due after (minutes)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1440)],
        help_text=_(
            "Minutes after the round's start by which this checkpoint is due; "
            "empty: by the end of the window."
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["route_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "code"],
                name="safety_checkpoint_code_unique",
                violation_error_message=_("This property already has a checkpoint of this code."),
            ),
            models.UniqueConstraint(
                fields=["route", "position"],
                name="safety_checkpoint_position_unique",
                violation_error_message=_("The route already has a checkpoint at this position."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="safety_checkpoint_position_pair",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(radius_m__gte=1, radius_m__lte=5000),
                name="safety_checkpoint_radius_range",
                violation_error_message=_("The radius is between 1 and 5000 metres."),
            ),
            models.CheckConstraint(
                condition=Q(offset_minutes__isnull=True) | Q(offset_minutes__lte=1440),
                name="safety_checkpoint_offset_range",
                violation_error_message=_("The offset is at most 1440 minutes."),
            ),
            models.CheckConstraint(
                condition=~Q(token="") & ~Q(code=""), name="safety_checkpoint_codes_set"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.name}"

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        if self.route_id:
            self.property_id = self.route.property_id
            self.check_same_property("location")

    def save(self, *args, **kwargs):
        if self.route_id and not self.property_id:
            self.property_id = self.route.property_id
        if not self.code:
            taken = set(
                Checkpoint.objects.filter(property=self.property_id).values_list("code", flat=True)
            )
            code = new_code()
            while code in taken:
                code = new_code()
            self.code = code
        super().save(*args, **kwargs)

    def has_position(self):
        return self.latitude is not None and self.longitude is not None


def parse_times(text):
    """The sorted times of a comma-separated "HH:MM" list; ValueError on a bad one."""
    times = set()
    for part in (text or "").replace("，", ",").split(","):
        part = part.strip()
        if part:
            times.add(datetime.strptime(part, "%H:%M").time())
    return sorted(times)


class PatrolSchedule(Schedule, HouqinModel):
    """巡更计划: on which days a route is walked, and at what times (set times of day, or every
    N hours from a first round), each round with a window to walk it in."""

    property_lookup = "route__property"

    route = models.ForeignKey(
        PatrolRoute,
        verbose_name=_("patrol route"),
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    times = models.CharField(
        _("times of day"),
        max_length=300,
        blank=True,
        help_text=_(
            "Set times, e.g. 08:00, 14:00, 22:00 (or leave empty and repeat every N hours)."
        ),
    )
    first_round = models.TimeField(_("first round"), null=True, blank=True)
    every_hours = models.PositiveSmallIntegerField(
        _("every (hours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    window_minutes = models.PositiveSmallIntegerField(
        _("window (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
        help_text=_("How long a guard has to walk a round from its start."),
    )
    starts_on = models.DateField(_("first day"), validators=[validate_sane_date])
    next_due = models.DateField(_("next due"), validators=[validate_sane_date])
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patrol schedule")
        verbose_name_plural = _("patrol schedules")
        ordering = ["route_id", "pk"]
        indexes = [models.Index(fields=["active", "next_due"])]
        constraints = [
            *Schedule.schedule_constraints("safety_patrolschedule"),
            *date_window("starts_on", "next_due"),
            models.CheckConstraint(
                condition=~Q(times="") | Q(first_round__isnull=False, every_hours__isnull=False),
                name="safety_patrolschedule_times_given",
                violation_error_message=_(
                    "Give the times of day, or a first round and every how many hours."
                ),
            ),
            models.CheckConstraint(
                condition=Q(every_hours__isnull=True) | Q(every_hours__gte=1, every_hours__lte=24),
                name="safety_patrolschedule_every_range",
                violation_error_message=_("Every 1 to 24 hours."),
            ),
            models.CheckConstraint(
                condition=Q(window_minutes__gte=5, window_minutes__lte=1440),
                name="safety_patrolschedule_window_range",
                violation_error_message=_("The window is between 5 and 1440 minutes."),
            ),
            models.CheckConstraint(
                condition=Q(next_due__gte=models.F("starts_on")),
                name="safety_patrolschedule_next_after_start",
                violation_error_message=_("The next due date cannot be before the first."),
            ),
        ]

    def __str__(self):
        return f"{self.route} · {self.describe_times()}"

    def describe_times(self):
        if self.times:
            return self.times
        if self.first_round and self.every_hours:
            return _("every %(n)d h from %(time)s") % {
                "n": self.every_hours,
                "time": self.first_round.strftime("%H:%M"),
            }
        return ""

    def clean(self):
        super().clean()
        try:
            times = parse_times(self.times)
        except ValueError:
            raise ValidationError(
                {"times": _("Write the times as HH:MM, separated by commas.")}
            ) from None
        if len(times) > MAX_ROUNDS_A_DAY:
            raise ValidationError({"times": _("At most 48 rounds a day.")})
        self.times = ", ".join(t.strftime("%H:%M") for t in times)
        if not times and not (self.first_round and self.every_hours):
            raise ValidationError(
                _("Give the times of day, or a first round and every how many hours.")
            )
        if times:
            self.first_round = self.every_hours = None
        if self.starts_on and self.next_due and self.next_due < self.starts_on:
            raise ValidationError({"next_due": _("The next due date cannot be before the first.")})
        if within(self.starts_on) and within(self.next_due):
            self.next_due = self.aligned(self.starts_on, self.next_due)

    def round_times(self):
        """The times of day of the rounds, sorted."""
        if self.times:
            try:
                return parse_times(self.times)[:MAX_ROUNDS_A_DAY]
            except ValueError:
                return []
        if not (self.first_round and self.every_hours):
            return []
        start = datetime.combine(datetime(2000, 1, 1).date(), self.first_round)
        found, current = [], start
        while current.date() == start.date():
            found.append(current.time())
            current += timedelta(hours=self.every_hours)
        return found

    def windows_on(self, day):
        """The (start, end) of each round on ``day``, aware."""
        length = timedelta(minutes=self.window_minutes)
        return [
            (start, start + length)
            for start in (
                timezone.make_aware(datetime.combine(day, moment)) for moment in self.round_times()
            )
        ]


class RoundStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_PROGRESS = "in_progress", pgettext_lazy("patrol round", "In progress")
    COMPLETE = "complete", pgettext_lazy("patrol round", "Complete")
    INCOMPLETE = "incomplete", _("Incomplete")
    EXPIRED = "expired", _("Expired")


OPEN_STATUSES = (RoundStatus.PENDING, RoundStatus.IN_PROGRESS)
CLOSED_STATUSES = (RoundStatus.COMPLETE, RoundStatus.INCOMPLETE, RoundStatus.EXPIRED)
ROUND_COLOURS = {
    RoundStatus.PENDING: "secondary",
    RoundStatus.IN_PROGRESS: "info",
    RoundStatus.COMPLETE: "success",
    RoundStatus.INCOMPLETE: "warning",
    RoundStatus.EXPIRED: "danger",
}


class PatrolRoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def not_started_by(self, now):
        """Pending rounds whose window has begun before ``now``."""
        return self.filter(status=RoundStatus.PENDING, window_start__lt=now)


class PatrolRound(HouqinModel):
    """巡更记录: one walk of a route expected in a window (made by the generator)."""

    property_lookup = "route__property"

    route = models.ForeignKey(
        PatrolRoute, verbose_name=_("patrol route"), on_delete=models.CASCADE, related_name="rounds"
    )
    schedule = models.ForeignKey(
        PatrolSchedule,
        verbose_name=_("patrol schedule"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rounds",
    )
    guard = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("guard"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patrol_rounds",
    )
    due_on = models.DateField(_("date"))
    window_start = models.DateTimeField(pgettext_lazy("patrol round", "window starts"))
    window_end = models.DateTimeField(pgettext_lazy("patrol round", "window ends"))
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.PENDING
    )
    started_at = models.DateTimeField(
        pgettext_lazy("patrol round", "started"), null=True, blank=True
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledgement = models.CharField(_("supervisor's comment"), max_length=300, blank=True)

    objects = PatrolRoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patrol round")
        verbose_name_plural = _("patrol rounds")
        ordering = ["-window_start", "-pk"]
        indexes = [
            models.Index(fields=["-window_start", "-id"]),
            models.Index(fields=["status", "window_end"]),
            models.Index(fields=["route", "window_start"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "window_start"], name="safety_patrolround_once_a_window"
            ),
            models.CheckConstraint(
                condition=Q(window_end__gt=models.F("window_start")),
                name="safety_patrolround_window_order",
                violation_error_message=_("The window must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values), name="safety_patrolround_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True)
                | Q(started_at__isnull=False, finished_at__gte=models.F("started_at")),
                name="safety_patrolround_finished_after_start",
            ),
            *datetime_window("window_start", "window_end"),
        ]

    def __str__(self):
        if self.window_start is None:
            return str(self.route)
        return f"{self.route} · {timezone.localtime(self.window_start):%Y-%m-%d %H:%M}"

    def status_colour(self):
        return ROUND_COLOURS.get(self.status, "secondary")

    def is_late_start(self, now=None):
        """Nobody started the round though its window began."""
        return self.status == RoundStatus.PENDING and self.window_start < (now or timezone.now())


SCAN_PHOTO = UploadValidator(kinds=PHOTOS, max_bytes=8 * MB)


class Scan(HouqinModel):
    """打卡: a guard at a checkpoint during a round (by its QR code or its typed code)."""

    property_lookup = "round__route__property"

    round = models.ForeignKey(
        PatrolRound, verbose_name=_("patrol round"), on_delete=models.CASCADE, related_name="scans"
    )
    checkpoint = models.ForeignKey(
        Checkpoint, verbose_name=_("checkpoint"), on_delete=models.PROTECT, related_name="scans"
    )
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("guard"),
        on_delete=models.PROTECT,
        related_name="patrol_scans",
    )
    scanned_at = models.DateTimeField(_("scanned at"), default=timezone.now)
    device_time = models.DateTimeField(_("time on the phone"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("distance (m)"), null=True, blank=True)
    far_from_checkpoint = models.BooleanField(_("far from the checkpoint"), default=False)
    typed = models.BooleanField(_("code typed"), default=False)
    anomaly = models.BooleanField(_("anomaly"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    photo = models.FileField(
        _("photo"), upload_to="patrols/%Y/%m/", blank=True, validators=[SCAN_PHOTO]
    )
    client_id = models.UUIDField(_("client id"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-scanned_at", "-pk"]
        indexes = [models.Index(fields=["-scanned_at", "-id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "checkpoint"],
                name="safety_scan_once_a_round",
                violation_error_message=_("This checkpoint was already scanned in this round."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="safety_scan_position_valid",
            ),
            *datetime_window("scanned_at", "device_time"),
        ]

    def __str__(self):
        when = timezone.localtime(self.scanned_at) if self.scanned_at else None
        return f"{self.checkpoint} · {when:%Y-%m-%d %H:%M}" if when else str(self.checkpoint)
