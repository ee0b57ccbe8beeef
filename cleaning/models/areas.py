"""Cleaning areas (保洁区域) and the cleaning standards (保洁标准) that say how often each kind
of area is cleaned, how, and how it is inspected."""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.checklists import ChecklistItemBase
from core.dates import date_window, validate_sane_date, within
from core.models import HouqinModel, Location, Property
from core.recurrence import Schedule

DEFAULT_PASS_MARK = 85
MAX_SLOTS = 8


class AreaKind(models.TextChoices):
    LOBBY = "lobby", _("Lobby")
    CORRIDOR = "corridor", _("Corridor or stairwell")
    ELEVATOR = "elevator", _("Elevator car")
    GARAGE = "garage", _("Parking garage")
    RESTROOM = "restroom", _("Restroom")
    OUTDOOR = "outdoor", _("Outdoor area or road")
    GARBAGE_ROOM = "garbage_room", _("Garbage room")
    OTHER = "other", _("Other")


class CleaningArea(HouqinModel):
    """保洁区域: a public place cleaned to a standard, by a cleaner or a team."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property,
        verbose_name=_("property"),
        on_delete=models.PROTECT,
        related_name="cleaning_areas",
    )
    name = models.CharField(_("name"), max_length=100)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        related_name="cleaning_areas",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices)
    size_m2 = models.DecimalField(
        _("size (m²)"),
        max_digits=10,
        decimal_places=2,
        help_text=_("The floor area cleaned, in square metres."),
    )
    cleaner = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("responsible cleaner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cleaning_areas",
    )
    team = models.ForeignKey(
        "staff.Post",
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cleaning_areas",
        help_text=_("The roster post whose cleaners keep this area."),
    )
    active = models.BooleanField(_("active"), default=True)
    # The last three inspections weighted 60/30/10 (kept by the inspection services).
    running_score = models.DecimalField(
        _("running score"), max_digits=4, decimal_places=1, null=True, blank=True, editable=False
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cleaning area")
        verbose_name_plural = _("cleaning areas")
        ordering = ["property_id", "name"]
        indexes = [models.Index(fields=["property", "name"], name="cleaning_area_order_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "name"],
                name="cleaning_area_unique_name",
                violation_error_message=_(
                    "This property already has a cleaning area of this name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(size_m2__gt=0),
                name="cleaning_area_size_positive",
                violation_error_message=_("The size must be more than 0 m²."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AreaKind.values),
                name="cleaning_area_kind_valid",
                violation_error_message=_("Choose a valid kind of area."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.size_m2 is not None and self.size_m2 <= 0:
            raise ValidationError({"size_m2": _("The size must be more than 0 m².")})
        self.check_same_property("location", "cleaner", "team")


TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_times(text):
    """ "08:00 14:30" (or with commas, 、 or ，) → sorted times; a ValueError for anything else."""
    parts = [p for p in re.split(r"[\s,，、;；]+", (text or "").strip()) if p]
    times = set()
    for part in parts:
        match = TIME.match(part)
        if not match:
            raise ValueError(part)
        times.add(datetime.time(int(match[1]), int(match[2])))
    return sorted(times)


class CleaningStandard(Schedule, HouqinModel):
    """保洁标准: how one kind of area is cleaned at a property (how often, at what times, the
    SOP) and the weighted checklist its inspections score."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property,
        verbose_name=_("property"),
        on_delete=models.PROTECT,
        related_name="cleaning_standards",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind of area"), max_length=20, choices=AreaKind.choices)
    times = models.CharField(
        _("times of day"),
        max_length=60,
        blank=True,
        help_text=_("When each day's cleaning starts, e.g. “08:00 14:00”; empty: once, any time."),
    )
    window_hours = models.PositiveSmallIntegerField(
        _("hours to do it"),
        default=3,
        help_text=_("A task not done this many hours after its time is missed."),
    )
    starts_on = models.DateField(
        _("first due"),
        help_text=_("The first date of the schedule; later dates count from it."),
        validators=[validate_sane_date],
    )
    next_due = models.DateField(_("next due"), validators=[validate_sane_date])
    sop = models.TextField(_("standard operating procedure"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"),
        default=DEFAULT_PASS_MARK,
        help_text=_("An inspection scoring less than this (out of 100) fails."),
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cleaning standard")
        verbose_name_plural = _("cleaning standards")
        ordering = ["property_id", "kind", "name"]
        indexes = [models.Index(fields=["active", "next_due"])]
        constraints = [
            *Schedule.schedule_constraints("cleaning_standard"),
            *date_window("starts_on", "next_due"),
            models.UniqueConstraint(
                fields=["property", "name"],
                name="cleaning_standard_unique_name",
                violation_error_message=_("This property already has a standard of this name."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AreaKind.values),
                name="cleaning_standard_kind_valid",
                violation_error_message=_("Choose a valid kind of area."),
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=1, pass_mark__lte=100),
                name="cleaning_standard_pass_mark_range",
                violation_error_message=_("The pass mark is between 1 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(window_hours__gte=1, window_hours__lte=24),
                name="cleaning_standard_window_range",
                violation_error_message=_("Between 1 and 24 hours."),
            ),
            models.CheckConstraint(
                condition=Q(next_due__gte=models.F("starts_on")),
                name="cleaning_standard_next_after_start",
                violation_error_message=_("The next due date cannot be before the first."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        try:
            slots = parse_times(self.times)
        except ValueError as exc:
            raise ValidationError(
                {"times": _("“%(time)s” is not a time of day (HH:MM).") % {"time": exc.args[0]}}
            ) from None
        if len(slots) > MAX_SLOTS:
            raise ValidationError({"times": _("At most 8 times a day.")})
        self.times = " ".join(f"{t:%H:%M}" for t in slots)
        if self.window_hours is not None and not 1 <= self.window_hours <= 24:
            raise ValidationError({"window_hours": _("Between 1 and 24 hours.")})
        if self.pass_mark is not None and not 1 <= self.pass_mark <= 100:
            raise ValidationError({"pass_mark": _("The pass mark is between 1 and 100.")})
        if self.starts_on and self.next_due and self.next_due < self.starts_on:
            raise ValidationError({"next_due": _("The next due date cannot be before the first.")})
        if within(self.starts_on) and within(self.next_due):
            self.next_due = self.aligned(self.starts_on, self.next_due)

    def slot_times(self):
        """The day's times (an empty list: once a day, any time)."""
        try:
            return parse_times(self.times)
        except ValueError:
            return []

    def windows(self, day, tz):
        """(slot number, start, end) of each task of ``day``: one per time, or one for the
        whole day (from 00:00 to the end of the day) when the standard names no time."""
        slots = self.slot_times()
        if not slots:
            start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
            return [(0, start, start + datetime.timedelta(days=1))]
        hours = datetime.timedelta(hours=self.window_hours or 1)
        out = []
        for number, slot in enumerate(slots, start=1):
            start = datetime.datetime.combine(day, slot, tzinfo=tz)
            out.append((number, start, start + hours))
        return out

    def total_weight(self):
        return sum(item.weight or 0 for item in self.items.all())


class StandardItem(ChecklistItemBase):
    """A scored point of a standard's inspection (floor free of litter, 20 points …)."""

    standard = models.ForeignKey(
        CleaningStandard,
        verbose_name=_("standard"),
        on_delete=models.CASCADE,
        related_name="items",
    )

    class Meta(ChecklistItemBase.Meta):
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")
        constraints = ChecklistItemBase.item_constraints("cleaning_standarditem")


def weighted_running_score(scores):
    """The last inspections' scores, newest first, weighted 60/30/10 (renormalised when there
    are fewer than three): one good day does not hide a bad month."""
    weights = (Decimal("0.6"), Decimal("0.3"), Decimal("0.1"))
    pairs = [(Decimal(s), w) for s, w in zip(scores, weights, strict=False) if s is not None]
    if not pairs:
        return None
    total = sum(w for _s, w in pairs)
    return (sum(s * w for s, w in pairs) / total).quantize(Decimal("0.1"))
