"""Waste collection (垃圾清运): collection points, the categories of China's sorting (which a
property may rename), collection schedules with their hauler, the collections each schedule
expects, and the log of collections actually made.

An expected collection is met when a collection of its point and category is logged inside
its window; one whose window has passed with none is missed (垃圾清运及时率 counts them).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import date_window, datetime_window, validate_sane_date, within
from core.models import HouqinModel, Location, Property
from core.recurrence import Schedule
from core.uploads import PHOTOS, UploadValidator

MB = 1024 * 1024
MAX_WINDOW_HOURS = 24


class WasteCategory(models.TextChoices):
    """The four categories of China's household waste sorting, and two that are collected
    apart. The codes are fixed; each property may rename the labels (cities differ)."""

    RECYCLABLE = "recyclable", _("Recyclable waste")
    HAZARDOUS = "hazardous", _("Hazardous waste")
    KITCHEN = "kitchen", _("Kitchen waste")
    RESIDUAL = "residual", _("Residual waste")
    RENOVATION = "renovation", _("Renovation waste")
    BULKY = "bulky", _("Bulky waste")


CATEGORY_COLOURS = {
    WasteCategory.RECYCLABLE: "primary",
    WasteCategory.HAZARDOUS: "danger",
    WasteCategory.KITCHEN: "success",
    WasteCategory.RESIDUAL: "secondary",
    WasteCategory.RENOVATION: "warning",
    WasteCategory.BULKY: "info",
}


def category_constraint(prefix):
    return models.CheckConstraint(
        condition=Q(category__in=WasteCategory.values),
        name=f"{prefix}_category_valid",
        violation_error_message=_("Choose a valid waste category."),
    )


class WasteCategoryLabel(HouqinModel):
    """A property's own name for a category (厨余垃圾 → 易腐垃圾 or 湿垃圾, 其他垃圾 → 干垃圾),
    shown wherever that property's waste is shown."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property,
        verbose_name=_("property"),
        on_delete=models.CASCADE,
        related_name="waste_category_labels",
    )
    category = models.CharField(_("category"), max_length=20, choices=WasteCategory.choices)
    label = models.CharField(_("label"), max_length=30)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("waste category label")
        verbose_name_plural = _("waste category labels")
        ordering = ["property__code", "category"]
        constraints = [
            category_constraint("cleaning_wastecategorylabel"),
            models.UniqueConstraint(
                fields=["property", "category"],
                name="cleaning_wastecategorylabel_unique",
                violation_error_message=_("This property already renames this category."),
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} → {self.label}"


def category_labels(property_ids):
    """{(property id, category): label} of the properties' renamed categories: one query."""
    rows = WasteCategoryLabel.objects.filter(property__in=set(property_ids)).values_list(
        "property_id", "category", "label"
    )
    return {(property_id, category): label for property_id, category, label in rows}


def label_of(labels, property_id, category):
    """A category as ``property_id`` names it (``labels`` from :func:`category_labels`)."""
    found = labels.get((property_id, category)) if labels else None
    if found:
        return found
    try:
        return WasteCategory(category).label
    except ValueError:
        return category


class CategoryLabelMixin:
    """``category_label()``: the category as the record's property names it."""

    def waste_property_id(self):
        raise NotImplementedError

    def category_label(self, labels=None):
        if not getattr(self, "point_id", None):
            return self.get_category_display()
        """(A query the first time when ``labels`` is not given; then kept.)"""
        property_id = self.waste_property_id()
        if labels is None:
            cached = getattr(self, "_category_label", None)
            if cached is not None and cached[0] == (property_id, self.category):
                return cached[1]
            labels = category_labels([property_id])
        label = label_of(labels, property_id, self.category)
        self._category_label = ((property_id, self.category), label)
        return label


class CollectionPoint(HouqinModel):
    """收集点: a garbage room or a row of sorting bins where the hauler collects."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property,
        verbose_name=_("property"),
        on_delete=models.PROTECT,
        related_name="collection_points",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collection_points",
    )
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collection point")
        verbose_name_plural = _("collection points")
        ordering = ["property_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "name"],
                name="cleaning_collectionpoint_name_unique",
                violation_error_message=_("This property already has a point of this name."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.check_same_property("location")


class CollectionSchedule(CategoryLabelMixin, Schedule, HouqinModel):
    """清运计划: when the hauler collects one category from one point (chosen weekdays, every
    day …), from what time and within how many hours."""

    property_lookup = "point__property"

    point = models.ForeignKey(
        CollectionPoint,
        verbose_name=_("collection point"),
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    category = models.CharField(_("category"), max_length=20, choices=WasteCategory.choices)
    hauler = models.ForeignKey(
        "procurement.Supplier",
        verbose_name=_("hauler"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waste_schedules",
    )
    window_start = models.TimeField(
        _("window starts"), help_text=_("The time the hauler is due, e.g. 06:30.")
    )
    window_hours = models.PositiveSmallIntegerField(
        _("window (hours)"),
        default=2,
        help_text=_("A collection logged later than this after the start is counted missed."),
    )
    starts_on = models.DateField(
        _("first due"),
        help_text=_("The first date of the schedule; later dates count from it."),
        validators=[validate_sane_date],
    )
    next_due = models.DateField(_("next due"), validators=[validate_sane_date])
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collection schedule")
        verbose_name_plural = _("collection schedules")
        ordering = ["point_id", "category", "window_start"]
        indexes = [models.Index(fields=["active", "next_due"])]
        constraints = [
            *Schedule.schedule_constraints("cleaning_collectionschedule"),
            *date_window("starts_on", "next_due"),
            category_constraint("cleaning_collectionschedule"),
            models.CheckConstraint(
                condition=Q(window_hours__gte=1, window_hours__lte=MAX_WINDOW_HOURS),
                name="cleaning_collectionschedule_window_range",
                violation_error_message=_("The window is between 1 and 24 hours."),
            ),
            models.CheckConstraint(
                condition=Q(next_due__gte=models.F("starts_on")),
                name="cleaning_collectionschedule_next_after_start",
                violation_error_message=_("The next due date cannot be before the first."),
            ),
        ]

    def __str__(self):
        return f"{self.point} · {self.category_label()} {self.window_start:%H:%M}"

    def waste_property_id(self):
        return self.point.property_id

    def clean(self):
        super().clean()
        if self.window_hours is not None and not 1 <= self.window_hours <= MAX_WINDOW_HOURS:
            raise ValidationError({"window_hours": _("The window is between 1 and 24 hours.")})
        if self.starts_on and self.next_due and self.next_due < self.starts_on:
            raise ValidationError({"next_due": _("The next due date cannot be before the first.")})
        if within(self.starts_on) and within(self.next_due):
            self.next_due = self.aligned(self.starts_on, self.next_due)

    def window_on(self, day):
        """The (start, end) of the collection window on ``day``, aware, in local time."""
        start = timezone.make_aware(datetime.combine(day, self.window_start))
        return start, start + timedelta(hours=self.window_hours)


class ExpectedCollectionQuerySet(models.QuerySet):
    def with_collected(self):
        """Annotate ``collected``: a collection of the point and category was logged inside
        the window (one EXISTS per row, on the (point, category, collected_at) index)."""
        logs = WasteCollection.objects.filter(
            point=OuterRef("point"),
            category=OuterRef("category"),
            collected_at__gte=OuterRef("window_start"),
            collected_at__lte=OuterRef("window_end"),
        )
        return self.annotate(collected=Exists(logs))

    def with_category_name(self):
        """Annotate ``category_name``: the property's own name of the category, or None."""
        names = WasteCategoryLabel.objects.filter(
            property=OuterRef("point__property"), category=OuterRef("category")
        ).values("label")[:1]
        return self.annotate(category_name=Subquery(names))

    def missed(self, now=None):
        """Windows closed before ``now`` with no collection logged inside them."""
        now = now or timezone.now()
        return self.with_collected().filter(window_end__lt=now, collected=False)


class ExpectedCollection(CategoryLabelMixin, HouqinModel):
    """A collection a schedule expects on a day (made by the daily generator)."""

    property_lookup = "point__property"

    schedule = models.ForeignKey(
        CollectionSchedule,
        verbose_name=_("collection schedule"),
        on_delete=models.CASCADE,
        related_name="expected",
    )
    point = models.ForeignKey(
        CollectionPoint,
        verbose_name=_("collection point"),
        on_delete=models.CASCADE,
        related_name="expected",
    )
    category = models.CharField(_("category"), max_length=20, choices=WasteCategory.choices)
    due_on = models.DateField(_("due"))
    window_start = models.DateTimeField(_("window starts"))
    window_end = models.DateTimeField(_("window ends"))
    hauler = models.ForeignKey(
        "procurement.Supplier",
        verbose_name=_("hauler"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ExpectedCollectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("expected collection")
        verbose_name_plural = _("expected collections")
        ordering = ["-window_start", "pk"]
        indexes = [
            models.Index(fields=["window_end"]),
            models.Index(fields=["-window_start", "id"]),
            models.Index(fields=["point", "due_on"]),
            # The dashboard's last seven days and the calendar's month, over every point.
            models.Index(fields=["due_on"], name="cleaning_expected_due_idx"),
        ]
        constraints = [
            category_constraint("cleaning_expectedcollection"),
            models.UniqueConstraint(
                fields=["schedule", "due_on"], name="cleaning_expectedcollection_once_a_day"
            ),
            models.CheckConstraint(
                condition=Q(window_end__gt=models.F("window_start")),
                name="cleaning_expectedcollection_window_order",
            ),
        ]

    def __str__(self):
        return f"{self.point} · {self.category_label()} · {self.due_on:%Y-%m-%d}"

    def waste_property_id(self):
        return self.point.property_id

    def is_missed(self, now=None):
        collected = getattr(self, "collected", None)
        if collected is None:
            collected = self.logs_in_window().exists()
        return not collected and self.window_end < (now or timezone.now())

    def logs_in_window(self):
        return WasteCollection.objects.filter(
            point=self.point_id,
            category=self.category,
            collected_at__gte=self.window_start,
            collected_at__lte=self.window_end,
        )


WASTE_PHOTO = UploadValidator(kinds=PHOTOS, max_bytes=8 * MB)


class WasteCollection(CategoryLabelMixin, HouqinModel):
    """清运记录: a collection made (bins taken, or the weight on the hauler's ticket)."""

    property_lookup = "point__property"

    point = models.ForeignKey(
        CollectionPoint,
        verbose_name=_("collection point"),
        on_delete=models.PROTECT,
        related_name="collections",
    )
    category = models.CharField(_("category"), max_length=20, choices=WasteCategory.choices)
    collected_at = models.DateTimeField(
        _("collected at"), default=timezone.now, validators=[validate_sane_date]
    )
    bins = models.PositiveIntegerField(_("bins"), null=True, blank=True)
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    hauler = models.ForeignKey(
        "procurement.Supplier",
        verbose_name=_("hauler"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waste_collections",
    )
    manifest_number = models.CharField(
        _("manifest number"),
        max_length=50,
        blank=True,
        help_text=_("The number on the hauler's transfer manifest, if any."),
    )
    photo = models.FileField(
        _("photo"), upload_to="waste/%Y/%m/", blank=True, validators=[WASTE_PHOTO]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("waste collection")
        verbose_name_plural = _("waste collections")
        ordering = ["-collected_at", "-pk"]
        indexes = [
            models.Index(fields=["point", "category", "collected_at"]),
            models.Index(fields=["-collected_at", "-id"]),
        ]
        constraints = [
            category_constraint("cleaning_wastecollection"),
            *datetime_window("collected_at"),
            models.CheckConstraint(
                condition=Q(bins__isnull=True) | Q(bins__gte=0),
                name="cleaning_wastecollection_bins_not_negative",
                violation_error_message=_("The number of bins cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | Q(weight_kg__gte=0),
                name="cleaning_wastecollection_weight_not_negative",
                violation_error_message=_("The weight cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(bins__isnull=False) | Q(weight_kg__isnull=False),
                name="cleaning_wastecollection_bins_or_weight",
                violation_error_message=_("Give the number of bins, the weight, or both."),
            ),
        ]

    def __str__(self):
        text = f"{self.point} · {self.category_label()}"
        if self.collected_at is None:
            return text
        return f"{text} · {timezone.localtime(self.collected_at):%Y-%m-%d %H:%M}"

    def waste_property_id(self):
        return self.point.property_id

    def clean(self):
        super().clean()
        if self.bins is None and self.weight_kg is None:
            raise ValidationError(_("Give the number of bins, the weight, or both."))
