"""Greening (绿化养护): green zones, care plans by season and kind that generate dated tasks,
the tasks' records with the materials issued from stores, and the pesticide log."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import date_window, datetime_window, validate_sane_date, within
from core.models import HouqinModel, Location, Property
from core.recurrence import Schedule
from core.workflow import Transition, Workflow

MONEY = {"max_digits": 14, "decimal_places": 2}


class GreeningKind(models.TextChoices):
    PRUNING = "pruning", _("Pruning")
    WATERING = "watering", _("Watering")
    FERTILISING = "fertilising", _("Fertilising")
    PEST_CONTROL = "pest_control", _("Pest control")
    WEEDING = "weeding", _("Weeding")
    REPLANTING = "replanting", _("Replanting")


class Season(models.TextChoices):
    ALL_YEAR = "all_year", _("All year")
    SPRING = "spring", _("Spring (March–May)")
    SUMMER = "summer", _("Summer (June–August)")
    AUTUMN = "autumn", _("Autumn (September–November)")
    WINTER = "winter", _("Winter (December–February)")
    MONTHS = "months", _("Chosen months")


SEASON_MONTHS = {
    Season.ALL_YEAR: (1, 12),
    Season.SPRING: (3, 5),
    Season.SUMMER: (6, 8),
    Season.AUTUMN: (9, 11),
    Season.WINTER: (12, 2),
}


def in_months(month, first, last):
    """Whether ``month`` is in the range first..last (which may run over the new year)."""
    if first <= last:
        return first <= month <= last
    return month >= first or month <= last


class GreenZone(HouqinModel):
    """绿化区域: a lawn, a hedge row, a garden with its main plants."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="green_zones"
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="green_zones",
    )
    name = models.CharField(_("name"), max_length=100)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    main_plants = models.CharField(_("main plants"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("green zone")
        verbose_name_plural = _("green zones")
        ordering = ["property_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "name"],
                name="cleaning_greenzone_name_unique",
                violation_error_message=_("This property already has a zone of this name."),
            ),
            models.CheckConstraint(
                condition=Q(area_m2__isnull=True) | Q(area_m2__gt=0),
                name="cleaning_greenzone_area_positive",
                violation_error_message=_("The area must be more than zero."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.check_same_property("location")


class GreeningPlan(Schedule, HouqinModel):
    """养护计划: one kind of care for one zone, on a schedule, within its season."""

    property_lookup = "zone__property"

    zone = models.ForeignKey(
        GreenZone, verbose_name=_("green zone"), on_delete=models.CASCADE, related_name="plans"
    )
    kind = models.CharField(_("kind of care"), max_length=20, choices=GreeningKind.choices)
    season = models.CharField(
        _("season"), max_length=10, choices=Season.choices, default=Season.ALL_YEAR
    )
    from_month = models.PositiveSmallIntegerField(
        _("from month"), default=1, help_text=_("For “chosen months”: the first month (1–12).")
    )
    to_month = models.PositiveSmallIntegerField(
        _("to month"),
        default=12,
        help_text=_("For “chosen months”: the last month (1–12); it may run over the new year."),
    )
    assignee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("gardener"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="greening_plans",
    )
    instructions = models.CharField(_("instructions"), max_length=200, blank=True)
    starts_on = models.DateField(
        _("first due"),
        help_text=_("The first date of the schedule; later dates count from it."),
        validators=[validate_sane_date],
    )
    next_due = models.DateField(_("next due"), validators=[validate_sane_date])
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("greening plan")
        verbose_name_plural = _("greening plans")
        ordering = ["zone_id", "kind"]
        indexes = [models.Index(fields=["active", "next_due"])]
        constraints = [
            *Schedule.schedule_constraints("cleaning_greeningplan"),
            *date_window("starts_on", "next_due"),
            models.CheckConstraint(
                condition=Q(kind__in=GreeningKind.values),
                name="cleaning_greeningplan_kind_valid",
                violation_error_message=_("Choose a valid kind of care."),
            ),
            models.CheckConstraint(
                condition=Q(season__in=Season.values),
                name="cleaning_greeningplan_season_valid",
                violation_error_message=_("Choose a valid season."),
            ),
            models.CheckConstraint(
                condition=Q(
                    from_month__gte=1, from_month__lte=12, to_month__gte=1, to_month__lte=12
                ),
                name="cleaning_greeningplan_months_valid",
                violation_error_message=_("Months are between 1 and 12."),
            ),
            models.CheckConstraint(
                condition=Q(next_due__gte=models.F("starts_on")),
                name="cleaning_greeningplan_next_after_start",
                violation_error_message=_("The next due date cannot be before the first."),
            ),
        ]

    def __str__(self):
        return f"{self.zone} · {self.get_kind_display()}"

    def clean(self):
        super().clean()
        self.check_same_property_of_zone()
        if self.season in SEASON_MONTHS:
            self.from_month, self.to_month = SEASON_MONTHS[self.season]
        for name in ("from_month", "to_month"):
            value = getattr(self, name)
            if value is not None and not 1 <= value <= 12:
                raise ValidationError({name: _("Months are between 1 and 12.")})
        if self.starts_on and self.next_due and self.next_due < self.starts_on:
            raise ValidationError({"next_due": _("The next due date cannot be before the first.")})
        if within(self.starts_on) and within(self.next_due):
            self.next_due = self.aligned(self.starts_on, self.next_due)

    def check_same_property_of_zone(self):
        if self.assignee_id and self.zone_id and self.assignee.property_id != self.zone.property_id:
            raise ValidationError({"assignee": _("The gardener works at another property.")})

    def in_season(self, day):
        return in_months(day.month, self.from_month, self.to_month)

    def describe_season(self):
        if self.season != Season.MONTHS:
            return self.get_season_display()
        return _("Months %(first)d–%(last)d") % {"first": self.from_month, "last": self.to_month}


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("greening task", "To do")
    DONE = "done", pgettext_lazy("greening task", "Done")


class GreeningTaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=TaskStatus.OPEN)

    def due_by(self, day):
        return self.open().filter(due_on__lte=day)


class GreeningTask(HouqinModel):
    """养护任务: a dated piece of care, made by its plan (or added by hand), done on a phone
    with the materials used."""

    property_lookup = "zone__property"

    plan = models.ForeignKey(
        GreeningPlan,
        verbose_name=_("greening plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    zone = models.ForeignKey(
        GreenZone, verbose_name=_("green zone"), on_delete=models.PROTECT, related_name="tasks"
    )
    kind = models.CharField(_("kind of care"), max_length=20, choices=GreeningKind.choices)
    due_on = models.DateField(_("due"), validators=[validate_sane_date])
    assignee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("gardener"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="greening_tasks",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_by = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="greening_tasks_done",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = GreeningTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("greening task")
        verbose_name_plural = _("greening tasks")
        ordering = ["-due_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["-due_on", "-id"]),
        ]
        constraints = [
            *date_window("due_on"),
            *datetime_window("done_at"),
            models.CheckConstraint(
                condition=Q(kind__in=GreeningKind.values),
                name="cleaning_greeningtask_kind_valid",
                violation_error_message=_("Choose a valid kind of care."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=TaskStatus.values),
                name="cleaning_greeningtask_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=TaskStatus.OPEN) | Q(done_at__isnull=False),
                name="cleaning_greeningtask_done_has_time",
                violation_error_message=_("A task done needs the time it was done."),
            ),
            models.UniqueConstraint(
                fields=["plan", "due_on"],
                condition=Q(plan__isnull=False),
                name="cleaning_greeningtask_once_per_plan_day",
                violation_error_message=_("This plan already has a task on this day."),
            ),
        ]

    def __str__(self):
        return f"{self.zone} · {self.get_kind_display()} · {self.due_on:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.assignee_id and self.zone_id and self.assignee.property_id != self.zone.property_id:
            raise ValidationError({"assignee": _("The gardener works at another property.")})

    @property
    def is_overdue(self):
        return self.status == TaskStatus.OPEN and self.due_on < timezone.localdate()

    @property
    def needs_pesticide(self):
        return self.kind == GreeningKind.PEST_CONTROL


class GreeningMaterial(models.Model):
    """A material used on a task (fertiliser, pesticide, seedlings …), issued from a
    storeroom through procurement's stock ledger."""

    property_lookup = "task__zone__property"

    task = models.ForeignKey(
        GreeningTask,
        verbose_name=_("greening task"),
        on_delete=models.PROTECT,
        related_name="materials",
    )
    movement = models.OneToOneField(
        "procurement.StockMovement",
        verbose_name=_("stock movement"),
        on_delete=models.PROTECT,
        related_name="greening_material",
    )
    item = models.ForeignKey(
        "procurement.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    storeroom = models.ForeignKey(
        "procurement.Storeroom",
        verbose_name=_("storeroom"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    value = models.DecimalField(_("value"), **MONEY)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("material used")
        verbose_name_plural = _("materials used")
        ordering = ["issued_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(value__gte=0),
                name="cleaning_greeningmaterial_positive",
            ),
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity.normalize() if self.quantity else Decimal(0)}"


class DoseUnit(models.TextChoices):
    ML = "ml", _("ml")
    L = "l", _("L")
    G = "g", _("g")
    KG = "kg", _("kg")


class PesticideApplication(HouqinModel):
    """农药使用记录: what was sprayed where, how much, by whom, and when people and pets may
    go back in (kept for safety and for the inspectors)."""

    property_lookup = "zone__property"

    zone = models.ForeignKey(
        GreenZone,
        verbose_name=_("green zone"),
        on_delete=models.PROTECT,
        related_name="pesticide_applications",
    )
    task = models.ForeignKey(
        GreeningTask,
        verbose_name=_("greening task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pesticides",
    )
    product = models.CharField(_("product"), max_length=100)
    dose = models.DecimalField(_("dose"), max_digits=10, decimal_places=3)
    dose_unit = models.CharField(
        _("unit"), max_length=5, choices=DoseUnit.choices, default=DoseUnit.ML
    )
    dilution = models.CharField(
        _("dilution"), max_length=30, blank=True, help_text=_("E.g. 1:1000.")
    )
    applied_by = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("applied by"),
        on_delete=models.PROTECT,
        related_name="pesticide_applications",
    )
    applied_at = models.DateTimeField(
        _("applied at"), default=timezone.now, validators=[validate_sane_date]
    )
    safety_interval_days = models.PositiveSmallIntegerField(
        _("safety interval (days)"), null=True, blank=True
    )
    reentry_note = models.CharField(
        _("re-entry note"),
        max_length=200,
        blank=True,
        help_text=_("When people and pets may go back in, and the sign put up."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pesticide application")
        verbose_name_plural = _("pesticide applications")
        ordering = ["-applied_at", "-pk"]
        indexes = [models.Index(fields=["-applied_at", "-id"])]
        constraints = [
            *datetime_window("applied_at"),
            models.CheckConstraint(
                condition=Q(dose__gt=0),
                name="cleaning_pesticideapplication_dose_positive",
                violation_error_message=_("The dose must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(dose_unit__in=DoseUnit.values),
                name="cleaning_pesticideapplication_unit_valid",
            ),
        ]

    def __str__(self):
        return f"{self.product} · {self.zone}"

    def clean(self):
        super().clean()
        if (
            self.applied_by_id
            and self.zone_id
            and self.applied_by.property_id != self.zone.property_id
        ):
            raise ValidationError({"applied_by": _("This person works at another property.")})
        if self.task_id and self.zone_id and self.task.zone_id != self.zone_id:
            raise ValidationError({"task": _("This task is in another zone.")})


GREENING_TASK = Workflow(
    GreeningTask,
    transitions={
        "complete": Transition(
            (TaskStatus.OPEN,),
            TaskStatus.DONE,
            pgettext_lazy("greening task action", "done"),
            "cleaning.change_greeningtask",
        ),
    },
)
