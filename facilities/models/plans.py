"""Maintenance plans (维保计划): what is maintained, how often, with which checklist.

A plan's schedule is a series anchored on ``starts_on``: every N days, weeks, months or years,
or on chosen weekdays (every N weeks). Each occurrence is computed from the anchor, never from
the previous one, so a monthly plan anchored on the 31st comes back to the 31st after
February. A *fixed* plan keeps to its series whatever happens; a *floating* plan re-anchors
on the day its last order was completed (a water tank cleaned late is next due six months
after it was actually cleaned).

Plan templates (维保模板) are the usual obligations by system class, seeded as editable
defaults; a plan is created from one by copying its schedule and checklist.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import date_window, validate_sane_date, within
from core.models import HouqinModel
from staff.validators import ScanValidator

from .equipment import Equipment, EquipmentCategory

MAX_INTERVAL = 366
MAX_LEAD_DAYS = 90
# The longest step of each unit (a plan repeating every 366 years is a typing mistake).
MAX_STEP = {"days": 366, "weeks": 104, "months": 120, "years": 10, "weekdays": 52}


class FrequencyUnit(models.TextChoices):
    DAYS = "days", pgettext_lazy("repeat every", "Days")
    WEEKS = "weeks", _("Weeks")
    MONTHS = "months", _("Months")
    YEARS = "years", _("Years")
    WEEKDAYS = "weekdays", _("Chosen weekdays")


class ScheduleMode(models.TextChoices):
    FIXED = "fixed", _("Fixed: from the schedule")
    FLOATING = "floating", _("Floating: from the last completion")


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


WEEKDAY_NAMES = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)
ALL_WEEKDAYS = (1 << 7) - 1


def weekday_set(mask):
    """The weekdays (0 = Monday) of a bit mask."""
    return [day for day in range(7) if mask & (1 << day)]


def weekday_mask(days):
    mask = 0
    for day in days:
        mask |= 1 << int(day)
    return mask


class Schedule(models.Model):
    """The fields of a recurring schedule, shared by templates and plans."""

    unit = models.CharField(
        _("repeat every"),
        max_length=10,
        choices=FrequencyUnit.choices,
        default=FrequencyUnit.MONTHS,
    )
    interval = models.PositiveSmallIntegerField(
        _("interval"),
        default=1,
        help_text=_("Every how many days, weeks, months or years (for weekdays: every N weeks)."),
    )
    weekdays = models.PositiveSmallIntegerField(
        _("weekdays"), default=0, help_text=_("For “chosen weekdays”: which days.")
    )
    mode = models.CharField(
        _("schedule"), max_length=10, choices=ScheduleMode.choices, default=ScheduleMode.FIXED
    )
    lead_days = models.PositiveSmallIntegerField(
        _("lead days"),
        default=3,
        help_text=_("The work order is created this many days before it is due."),
    )

    class Meta:
        abstract = True

    @classmethod
    def schedule_constraints(cls, prefix):
        return [
            models.CheckConstraint(
                condition=Q(unit__in=FrequencyUnit.values),
                name=f"{prefix}_unit_valid",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=ScheduleMode.values),
                name=f"{prefix}_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(interval__gte=1, interval__lte=MAX_INTERVAL),
                name=f"{prefix}_interval_range",
                violation_error_message=_("The interval is between 1 and 366."),
            ),
            models.CheckConstraint(
                condition=Q(lead_days__lte=MAX_LEAD_DAYS),
                name=f"{prefix}_lead_days_range",
                violation_error_message=_("Lead days are at most 90."),
            ),
            models.CheckConstraint(
                condition=Q(weekdays__gte=0, weekdays__lte=ALL_WEEKDAYS)
                & (~Q(unit=FrequencyUnit.WEEKDAYS) | Q(weekdays__gt=0)),
                name=f"{prefix}_weekdays_chosen",
                violation_error_message=_("Choose at least one weekday."),
            ),
        ]

    def clean(self):
        super().clean()
        if self.unit == FrequencyUnit.WEEKDAYS and not self.weekdays:
            raise ValidationError({"weekdays": _("Choose at least one weekday.")})
        if self.unit in MAX_STEP and self.interval and self.interval > MAX_STEP[self.unit]:
            raise ValidationError(
                {"interval": _("At most %(n)d for this unit.") % {"n": MAX_STEP[self.unit]}}
            )
        if self.unit != FrequencyUnit.WEEKDAYS:
            self.weekdays = 0

    def describe_schedule(self):
        if self.unit == FrequencyUnit.WEEKDAYS:
            separator = pgettext("list separator", ", ")
            days = separator.join(str(WEEKDAY_NAMES[day]) for day in weekday_set(self.weekdays))
            if self.interval == 1:
                return _("Every %(days)s") % {"days": days}
            return _("Every %(n)d weeks on %(days)s") % {"n": self.interval, "days": days}
        label = {
            FrequencyUnit.DAYS: _("Every %(n)d days"),
            FrequencyUnit.WEEKS: _("Every %(n)d weeks"),
            FrequencyUnit.MONTHS: _("Every %(n)d months"),
            FrequencyUnit.YEARS: _("Every %(n)d years"),
        }[self.unit]
        return label % {"n": self.interval}

    # --- the series ---------------------------------------------------------------------------

    def occurrence(self, anchor, k):
        """The k-th date of the series anchored on ``anchor`` (k = 0 is the anchor)."""
        if self.unit == FrequencyUnit.DAYS:
            return anchor + timedelta(days=k * self.interval)
        if self.unit == FrequencyUnit.WEEKS:
            return anchor + timedelta(weeks=k * self.interval)
        if self.unit == FrequencyUnit.MONTHS:
            return anchor + relativedelta(months=k * self.interval)
        return anchor + relativedelta(years=k * self.interval)

    def first_on_or_after(self, anchor, day):
        """The first date of the series anchored on ``anchor`` that is not before ``day``."""
        if day <= anchor:
            return (
                anchor
                if self.unit != FrequencyUnit.WEEKDAYS
                else self._weekday_on_or_after(anchor, anchor)
            )
        if self.unit == FrequencyUnit.WEEKDAYS:
            return self._weekday_on_or_after(anchor, day)
        # Estimate k from the average length of a step, then correct (months vary in length).
        step_days = {
            FrequencyUnit.DAYS: 1,
            FrequencyUnit.WEEKS: 7,
            FrequencyUnit.MONTHS: 30.436875,
            FrequencyUnit.YEARS: 365.2425,
        }[self.unit] * self.interval
        k = max(int((day - anchor).days / step_days) - 1, 0)
        while self.occurrence(anchor, k) < day:
            k += 1
        while k > 0 and self.occurrence(anchor, k - 1) >= day:
            k -= 1
        return self.occurrence(anchor, k)

    def _weekday_on_or_after(self, anchor, day):
        days = set(weekday_set(self.weekdays)) or {anchor.weekday()}
        anchor_monday = anchor - timedelta(days=anchor.weekday())
        candidate = max(day, anchor)
        for _step in range(7 * self.interval + 7):
            week = (candidate - anchor_monday).days // 7
            if candidate.weekday() in days and week % self.interval == 0:
                return candidate
            candidate += timedelta(days=1)
        raise ValueError("no weekday chosen")  # unreachable: at least one day is chosen

    def aligned(self, anchor, day):
        """``day``, or for chosen weekdays the first chosen day from it: a date typed in by
        hand that falls on a day not chosen moves to the next one that is."""
        if self.unit == FrequencyUnit.WEEKDAYS:
            return self.first_on_or_after(anchor, day)
        return day

    def following(self, anchor, day):
        """The first date of the series strictly after ``day``."""
        return self.first_on_or_after(anchor, day + timedelta(days=1))


class ChecklistKind(models.TextChoices):
    CHECK = "check", _("Check (OK / not OK)")
    NUMBER = "number", _("Number within a range")
    TEXT = "text", _("Text")
    PHOTO = "photo", _("Photo")


class ChecklistItemBase(models.Model):
    """One step of a checklist: what to check, and what counts as passing."""

    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("check"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ChecklistKind.choices, default=ChecklistKind.CHECK
    )
    minimum = models.DecimalField(
        pgettext_lazy("range", "minimum"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    maximum = models.DecimalField(
        pgettext_lazy("range", "maximum"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    STEP_FIELDS = ("position", "text", "kind", "minimum", "maximum", "unit")

    def __str__(self):
        return self.text

    def step(self):
        """The step as asked (for copying a template's into a plan, a plan's into an order,
        a point's into a round)."""
        return {name: getattr(self, name) for name in self.STEP_FIELDS}

    @classmethod
    def item_constraints(cls, prefix):
        return [
            models.CheckConstraint(
                condition=Q(kind__in=ChecklistKind.values), name=f"{prefix}_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=models.F("maximum")),
                name=f"{prefix}_range_ordered",
                violation_error_message=_("The minimum cannot be above the maximum."),
            ),
            models.CheckConstraint(
                condition=Q(kind=ChecklistKind.NUMBER)
                | Q(minimum__isnull=True, maximum__isnull=True),
                name=f"{prefix}_range_for_numbers",
                violation_error_message=_("Only number checks have a range."),
            ),
        ]

    def clean(self):
        super().clean()
        if self.kind != ChecklistKind.NUMBER:
            self.minimum = self.maximum = None
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValidationError({"maximum": _("The minimum cannot be above the maximum.")})

    def describe_range(self):
        unit = f" {self.unit}" if self.unit else ""
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            return f"{low.normalize():f}–{high.normalize():f}{unit}"
        if low is not None:
            return f"≥ {low.normalize():f}{unit}"
        if high is not None:
            return f"≤ {high.normalize():f}{unit}"
        return ""


# Photos taken on the floor: JPEG or PNG, checked by content, up to 8 MB.
PHOTO_VALIDATOR = ScanValidator(8 * 1024 * 1024, (".jpg", ".jpeg", ".png"))


class Answer(ChecklistItemBase):
    """A checklist step (or an inspection reading) as asked, and what was found."""

    checked_ok = models.BooleanField(_("OK"), null=True, blank=True)
    number = models.DecimalField(
        pgettext_lazy("reading", "value"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    answer = models.CharField(_("answer"), max_length=500, blank=True)
    photo = models.FileField(
        _("photo"), upload_to="checks/%Y/%m/", blank=True, validators=[PHOTO_VALIDATOR]
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    class Meta(ChecklistItemBase.Meta):
        abstract = True

    @property
    def answered(self):
        return self.passed is not None

    def evaluate(self):
        """Whether the answer passes (None: not answered yet)."""
        if self.kind == ChecklistKind.CHECK:
            return self.checked_ok
        if self.kind == ChecklistKind.NUMBER:
            if self.number is None:
                return None
            return (self.minimum is None or self.number >= self.minimum) and (
                self.maximum is None or self.number <= self.maximum
            )
        if self.kind == ChecklistKind.TEXT:
            return True if self.answer.strip() else None
        return True if self.photo else None

    def describe_answer(self):
        if self.kind == ChecklistKind.NUMBER and self.number is not None:
            return f"{self.number.normalize():f} {self.unit}".strip()
        if self.kind == ChecklistKind.CHECK and self.checked_ok is not None:
            return str(_("OK") if self.checked_ok else _("Not OK"))
        return self.answer


class PlanTemplate(Schedule, HouqinModel):
    """维保模板: a usual obligation for a class of equipment, copied into plans."""

    category = models.ForeignKey(
        EquipmentCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="plan_templates",
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=120)
    basis = models.CharField(
        _("basis"),
        max_length=200,
        blank=True,
        help_text=_("The rule or standard that asks for it, e.g. TSG T5002."),
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")
        ordering = ["category__sort_order", "title"]
        constraints = Schedule.schedule_constraints("facilities_plantemplate")

    def __str__(self):
        return self.title


class PlanTemplateItem(ChecklistItemBase):
    template = models.ForeignKey(
        PlanTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="items"
    )

    class Meta(ChecklistItemBase.Meta):
        verbose_name = _("template check")
        verbose_name_plural = _("template checks")
        constraints = ChecklistItemBase.item_constraints("facilities_plantemplateitem")


class MaintenancePlanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True).exclude(equipment__status="retired")

    def due_by(self, day):
        """Active plans whose next order is due on or before ``day``."""
        return self.active().filter(next_due__lte=day)

    def late_condition(self, day):
        """The condition of a plan behind on ``day``: an order of it still open past its
        due date, or (the generator not having run) a next date gone by."""
        late_orders = apps.get_model("facilities", "WorkOrder").objects.filter(
            plan=models.OuterRef("pk"),
            status__in=("new", "assigned", "in_progress", "on_hold"),
            due_on__lt=day,
        )
        return models.Exists(late_orders) | Q(active=True, next_due__lt=day)

    def with_lateness(self, day):
        return self.annotate(
            late=models.ExpressionWrapper(
                self.late_condition(day), output_field=models.BooleanField()
            )
        )


class MaintenancePlan(Schedule, HouqinModel):
    """维保计划: one piece of equipment, one checklist, one schedule; it generates the
    preventive work orders."""

    property_lookup = "equipment__property"

    equipment = models.ForeignKey(
        Equipment,
        verbose_name=_("equipment"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    title = models.CharField(_("title"), max_length=120)
    template = models.ForeignKey(
        PlanTemplate,
        verbose_name=_("template"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
    )
    starts_on = models.DateField(
        _("first due"),
        help_text=_("The first date of the schedule; later dates count from it."),
        validators=[validate_sane_date],
    )
    next_due = models.DateField(_("next due"), validators=[validate_sane_date])
    assignee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="maintenance_plans",
    )
    contractor = models.ForeignKey(
        "procurement.Supplier",
        verbose_name=_("contractor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="maintenance_plans",
        help_text=_("When a maintenance company does the work instead of our own staff."),
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    instructions = models.TextField(_("instructions"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = MaintenancePlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("maintenance plan")
        verbose_name_plural = _("maintenance plans")
        ordering = ["next_due", "pk"]
        indexes = [models.Index(fields=["active", "next_due"])]
        constraints = [
            *Schedule.schedule_constraints("facilities_maintenanceplan"),
            *date_window("starts_on", "next_due"),
            models.UniqueConstraint(
                fields=["template", "equipment"],
                condition=Q(template__isnull=False),
                name="facilities_maintenanceplan_one_per_template",
                violation_error_message=_("This equipment already has a plan from this template."),
            ),
            models.CheckConstraint(
                condition=Q(assignee__isnull=True) | Q(contractor__isnull=True),
                name="facilities_maintenanceplan_one_assignee",
                violation_error_message=_(
                    "Assign the plan to an employee or to a contractor, not both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(next_due__gte=models.F("starts_on")),
                name="facilities_maintenanceplan_next_after_start",
                violation_error_message=_("The next due date cannot be before the first."),
            ),
        ]

    def __str__(self):
        return f"{self.title} · {self.equipment.asset_code}" if self.equipment_id else self.title

    def clean(self):
        super().clean()
        if self.assignee_id and self.contractor_id:
            raise ValidationError(
                {"contractor": _("Assign the plan to an employee or to a contractor, not both.")}
            )
        if (
            self.assignee_id
            and self.equipment_id
            and self.assignee.property_id != self.equipment.property_id
        ):
            raise ValidationError({"assignee": _("This person works at another property.")})
        if self.starts_on and self.next_due and self.next_due < self.starts_on:
            raise ValidationError({"next_due": _("The next due date cannot be before the first.")})
        if within(self.starts_on) and within(self.next_due):
            anchor = self.starts_on if self.mode == ScheduleMode.FIXED else self.next_due
            self.next_due = self.aligned(anchor, self.next_due)

    def is_overdue(self, day):
        """Behind on ``day`` (an open order past its date, or the next date gone by); lists
        annotate ``late`` (``with_lateness``) instead of asking each plan."""
        if hasattr(self, "late"):
            return self.late
        return (self.active and self.next_due < day) or self.work_orders.filter(
            status__in=("new", "assigned", "in_progress", "on_hold"), due_on__lt=day
        ).exists()

    def upcoming(self, since=None):
        """The plan's due dates from ``next_due`` on (or from the first on or after
        ``since``): a fixed plan keeps to its series, a floating one counts from its next
        date until a completion moves it."""
        anchor = self.starts_on if self.mode == ScheduleMode.FIXED else self.next_due
        day = self.next_due
        if since is not None and since > day:
            day = self.first_on_or_after(anchor, since)
        while True:
            yield day
            day = self.following(anchor, day)


class ChecklistItem(ChecklistItemBase):
    plan = models.ForeignKey(
        MaintenancePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items"
    )

    class Meta(ChecklistItemBase.Meta):
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = ChecklistItemBase.item_constraints("facilities_checklistitem")
