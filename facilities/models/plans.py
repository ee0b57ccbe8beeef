"""Maintenance plans (维保计划): what is maintained, how often, with which checklist.

A plan's schedule is core's (``core.recurrence.Schedule``), anchored on ``starts_on``; a
*fixed* plan keeps to its series, a *floating* one re-anchors on the day its last order was
completed.

Plan templates (维保模板) are the usual obligations by system class, seeded as editable
defaults; a plan is created from one by copying its schedule and checklist.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.checklists import (  # noqa: F401  (the checklist names, as facilities knew them)
    PHOTO_VALIDATOR,
    Answer,
    ChecklistItemBase,
    ChecklistKind,
)
from core.dates import date_window, validate_sane_date, within
from core.models import HouqinModel
from core.recurrence import (  # noqa: F401  (the schedule's names, as facilities knew them)
    MAX_LEAD_DAYS,
    FrequencyUnit,
    Schedule,
    ScheduleMode,
    weekday_mask,
    weekday_set,
)

from .equipment import Equipment, EquipmentCategory


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class PlanTemplate(Schedule, HouqinModel):
    """维保模板: a usual obligation for a class of equipment, copied into plans."""

    shared_reference = True

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
