"""Work orders (工单) and what happens on them: checklist results, parts used, photos,
downtime and the timeline of notes and status changes.

The status machine is declared in ``facilities.models.workflows`` (``WORK_ORDER``); the
database holds the rules that a record must always keep (a cancelled order has its reason, a
verified one its rating, one preventive order per plan and due date).
"""

import builtins

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import date_window, datetime_window, validate_sane_date
from core.models import HouqinModel, Location, Property
from core.texts import (
    KeyField,
    key_field,
    params_field,
    stored,
    worded,
    worded_field,
    worded_text,
)

from .equipment import Equipment
from .plans import (
    PHOTO_VALIDATOR,
    Answer,
    ChecklistItemBase,
    MaintenancePlan,
    Priority,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class WorkOrderKind(models.TextChoices):
    PREVENTIVE = "preventive", _("Preventive maintenance")
    REPAIR = "repair", _("Repair")
    INSPECTION = "inspection", pgettext_lazy("work order kind", "Inspection")


class WorkOrderSource(models.TextChoices):
    PLAN = "plan", _("Maintenance plan")
    FAULT_REPORT = "fault_report", _("Fault report")
    FOLLOW_UP = "follow_up", _("Failed check")
    READING = "reading", _("Out-of-range reading")
    SERVICE_REQUEST = "service_request", _("Service request")
    HAZARD = "hazard", _("Hazard")
    MANUAL = "manual", pgettext_lazy("work order source", "Entered by hand")


class GeneratedTitle(models.TextChoices):
    """How a generated title is worded. Such an order stores the facts (``title_params``)
    and is titled in the reader's language; a typed title has no key and is shown as typed.
    The wordings are ``core.texts`` messages ("facilities.title.<key>", registered in
    ``facilities.texts``)."""

    FAULT = "fault", _("Fault: %(what)s")
    FAILED_CHECK = "failed_check", _("Repair after a failed check: %(check)s")
    READING = "reading", _("Out of range: %(point)s, %(reading)s")


TITLE_PREFIX = "facilities.title."


def generated_title(key, params):
    """The title ``key`` worded with ``params`` in the active language; "" for no key (or
    facts that do not fit its wording)."""
    if not key or key not in GeneratedTitle.values:
        return ""
    return worded(f"{TITLE_PREFIX}{key}", params)


class WorkOrderStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("work order", "New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", pgettext_lazy("work order", "On hold")
    COMPLETED = "completed", pgettext_lazy("work order", "Completed")
    VERIFIED = "verified", _("Verified")
    CLOSED = "closed", pgettext_lazy("work order", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("work order", "Cancelled")


# Work still to do (the technician's list, the overdue reminders).
OPEN_STATUSES = (
    WorkOrderStatus.NEW,
    WorkOrderStatus.ASSIGNED,
    WorkOrderStatus.IN_PROGRESS,
    WorkOrderStatus.ON_HOLD,
)
DONE_STATUSES = (WorkOrderStatus.COMPLETED, WorkOrderStatus.VERIFIED, WorkOrderStatus.CLOSED)


class WorkOrderSequence(models.Model):
    """The last number given in a year: WO-2026-000123 counts up within its year."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("work order number sequence")
        verbose_name_plural = _("work order number sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"


class WorkOrderQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        """Open orders past their resolution target."""
        return self.open().filter(resolve_by__lt=now or timezone.now())

    def for_user(self, user):
        """Orders assigned to the employee record of ``user``."""
        return self.filter(assignee__user=user)

    def to_take(self):
        """New orders nobody has been given yet (no employee, no contractor)."""
        return self.filter(
            status=WorkOrderStatus.NEW, assignee__isnull=True, contractor__isnull=True
        )

    def to_verify(self, user=None):
        """Completed orders waiting for verification; with ``user``, those they may verify
        (never an order they completed themselves)."""
        done = self.filter(status=WorkOrderStatus.COMPLETED)
        return done.exclude(completed_by=user) if user is not None else done

    def by_urgency(self):
        """The most urgent first: by priority, then by resolution target."""
        rank = models.Case(
            *(
                models.When(priority=value, then=models.Value(n))
                for n, value in enumerate(Priority.values)
            ),
            output_field=models.IntegerField(),
        )
        return self.annotate(urgency=rank).order_by("urgency", "resolve_by", "pk")


class WorkOrder(HouqinModel):
    """工单: one job on a piece of equipment or in a place, from its report to its close."""

    property_lookup = "property"

    number = models.CharField(
        pgettext_lazy("work order", "number"), max_length=20, unique=True, editable=False
    )
    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="work_orders"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=WorkOrderKind.choices, default=WorkOrderKind.REPAIR
    )
    source = models.CharField(
        pgettext_lazy("work order", "source"),
        max_length=20,
        choices=WorkOrderSource.choices,
        default=WorkOrderSource.MANUAL,
    )
    # What the order came from, for the link back: a plan, the order whose check failed, a
    # reading, or (from later apps) a service request or a hazard.
    plan = models.ForeignKey(
        MaintenancePlan,
        verbose_name=_("maintenance plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("follow-up of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_object = GenericForeignKey("source_type", "source_id")

    equipment = models.ForeignKey(
        Equipment,
        verbose_name=_("equipment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
    )
    # A generated title keeps its facts here too (what failed, the point and reading), so that
    # search and sorting find them in any language.
    TITLE_LENGTH = 160
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    title_key = KeyField(
        _("generated title"),
        max_length=20,
        choices=GeneratedTitle.choices,
        prefix=TITLE_PREFIX,
        editable=True,
    )
    title_params = models.JSONField(_("facts of the generated title"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=WorkOrderStatus.choices, default=WorkOrderStatus.NEW
    )
    assignee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
    )
    contractor = models.ForeignKey(
        "procurement.Supplier",
        verbose_name=_("contractor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_work_orders",
    )
    contact = models.CharField(
        _("contact"), max_length=100, blank=True, help_text=_("Who to call back, and how.")
    )

    # Targets: set when the order is opened, from its priority (or the plan's due date).
    due_on = models.DateField(_("due"), null=True, blank=True, validators=[validate_sane_date])
    respond_by = models.DateTimeField(_("respond by"), null=True, blank=True)
    resolve_by = models.DateTimeField(_("resolve by"), null=True, blank=True)

    # The timestamps of each step.
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    completed_at = models.DateTimeField(
        pgettext_lazy("work order", "completed"), null=True, blank=True
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("work order", "closed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    hold_reason = models.CharField(_("reason on hold"), max_length=200, blank=True)
    cancel_reason = models.CharField(_("reason cancelled"), max_length=200, blank=True)
    resolution = models.TextField(_("work done"), blank=True)
    labour_hours = models.DecimalField(_("labour hours"), max_digits=7, decimal_places=2, default=0)
    parts_cost = models.DecimalField(_("parts cost"), default=0, editable=False, **MONEY)
    external_cost = models.DecimalField(
        _("contractor cost"),
        default=0,
        help_text=_("What a contractor invoiced for this job."),
        **MONEY,
    )
    rating = models.PositiveSmallIntegerField(_("quality rating"), null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("times sent back"), default=0)

    history = HistoricalRecords()
    objects = WorkOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("work_on_workorder", _("Can carry out work orders")),
            ("verify_workorder", _("Can verify and close work orders")),
            ("report_fault", _("Can report a fault")),
        ]
        indexes = [
            # The list's default order: without it every page sorts the whole table.
            models.Index(fields=["-created_at", "-id"], name="facilities_wo_newest_idx"),
            models.Index(fields=["status", "resolve_by"]),
            models.Index(fields=["property", "status"]),
            models.Index(fields=["due_on"]),
            models.Index(fields=["completed_at"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        constraints = [
            *date_window("due_on"),
            models.UniqueConstraint(
                fields=["plan", "due_on"],
                condition=Q(plan__isnull=False),
                name="facilities_workorder_one_per_plan_and_day",
                violation_error_message=_("This plan already has a work order for this day."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=WorkOrderStatus.values),
                name="facilities_workorder_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=WorkOrderKind.values), name="facilities_workorder_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=WorkOrderSource.values),
                name="facilities_workorder_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values),
                name="facilities_workorder_priority_valid",
            ),
            models.CheckConstraint(
                condition=Q(equipment__isnull=False) | Q(location__isnull=False),
                name="facilities_workorder_equipment_or_location",
                violation_error_message=_("Say which equipment or which place the work is on."),
            ),
            models.CheckConstraint(
                condition=~Q(status=WorkOrderStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="facilities_workorder_cancel_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=WorkOrderStatus.ON_HOLD) | ~Q(hold_reason=""),
                name="facilities_workorder_hold_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="facilities_workorder_rating_range",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[WorkOrderStatus.VERIFIED, WorkOrderStatus.CLOSED])
                | Q(rating__isnull=False),
                name="facilities_workorder_verified_has_rating",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=DONE_STATUSES) | Q(completed_at__isnull=False),
                name="facilities_workorder_done_has_time",
            ),
            models.CheckConstraint(
                condition=Q(labour_hours__gte=0) & Q(parts_cost__gte=0) & Q(external_cost__gte=0),
                name="facilities_workorder_costs_positive",
                violation_error_message=_("Hours and costs cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.number or str(_("New work order"))

    def clean(self):
        super().clean()
        self.check_same_property("location", "assignee")
        if (
            self.equipment_id
            and self.property_id
            and (self.equipment.property_id != self.property_id)
        ):
            raise ValidationError({"equipment": _("This equipment is at another property.")})
        if not self.equipment_id and not self.location_id:
            raise ValidationError(_("Say which equipment or which place the work is on."))

    @builtins.property
    def display_title(self):
        """The title in the active language: a generated one worded from its facts, a typed
        one as typed."""
        return worded_field(self, "title")

    @builtins.property
    def total_cost(self):
        return self.parts_cost + self.external_cost

    @builtins.property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def is_overdue(self, now=None):
        return bool(self.is_open and self.resolve_by and self.resolve_by < (now or timezone.now()))

    @builtins.property
    def where(self):
        if self.equipment_id:
            return self.equipment.location or self.location
        return self.location

    def source_url(self):
        """The record this order came from, for the link back."""
        target = self.plan or self.parent or self.source_object
        return target.get_absolute_url() if target is not None else None

    def source_label(self):
        target = self.plan or self.parent or self.source_object
        return str(target) if target is not None else ""


class ChecklistResult(Answer):
    """One checklist step of one work order: the plan's item as it was when the order was
    made, and what was found."""

    property_lookup = "work_order__property"

    work_order = models.ForeignKey(
        WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE, related_name="results"
    )
    follow_up = models.OneToOneField(
        WorkOrder,
        verbose_name=_("follow-up order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="failed_check",
    )

    class Meta(ChecklistItemBase.Meta):
        verbose_name = _("checklist result")
        verbose_name_plural = _("checklist results")
        constraints = Answer.answer_constraints("facilities_checklistresult")


class WorkOrderPart(models.Model):
    """A part used on the order, issued from a storeroom through procurement's ledger."""

    property_lookup = "work_order__property"

    work_order = models.ForeignKey(
        WorkOrder, verbose_name=_("work order"), on_delete=models.PROTECT, related_name="parts"
    )
    movement = models.OneToOneField(
        "procurement.StockMovement",
        verbose_name=_("stock movement"),
        on_delete=models.PROTECT,
        related_name="work_order_part",
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
    # Unused parts brought back to the storeroom (at the cost they were issued at).
    returned = models.DecimalField(_("returned"), max_digits=12, decimal_places=3, default=0)
    returned_value = models.DecimalField(_("value returned"), default=0, **MONEY)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("part used")
        verbose_name_plural = _("parts used")
        ordering = ["issued_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(value__gte=0),
                name="facilities_workorderpart_positive",
            ),
            models.CheckConstraint(
                condition=Q(returned__gte=0)
                & Q(returned__lte=models.F("quantity"))
                & Q(returned_value__gte=0)
                & Q(returned_value__lte=models.F("value")),
                name="facilities_workorderpart_returned_within_issued",
                violation_error_message=_("No more can come back than was issued."),
            ),
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity.normalize():f}"

    @builtins.property
    def used(self):
        return self.quantity - self.returned

    @builtins.property
    def used_value(self):
        return self.value - self.returned_value


class PhotoStage(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")


def photo_path(instance, filename):
    return f"work-orders/{instance.work_order_id}/{filename}"


class WorkOrderPhoto(models.Model):
    property_lookup = "work_order__property"

    work_order = models.ForeignKey(
        WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE, related_name="photos"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=PhotoStage.choices)
    image = models.FileField(
        _("photo"),
        upload_to=photo_path,
        validators=[PHOTO_VALIDATOR],
        help_text=_("JPG or PNG, up to 8 MB."),
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("work order photo")
        verbose_name_plural = _("work order photos")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=PhotoStage.values), name="facilities_photo_stage_valid"
            ),
        ]

    def __str__(self):
        return f"{self.work_order} · {self.get_stage_display()}"

    def get_file_url(self, field_name):
        return reverse("facilities:workorderphoto_file", args=[self.pk])


class EventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("work order event", "Opened")
    STATUS = "status", _("Status changed")
    NOTE = "note", _("Note")
    PART = "part", _("Part used")
    PHOTO = "photo", _("Photo")
    CHECK = "check", _("Checklist")
    DOWNTIME = "downtime", _("Downtime")


class WorkOrderEventQuerySet(models.QuerySet):
    def record(
        self,
        work_order,
        kind,
        *,
        by,
        text="",
        text_key="",
        text_params=None,
        status_from="",
        status_to="",
        at=None,
    ):
        """Write one entry of ``work_order``'s timeline (a step, a note, parts, a photo …):
        what a person wrote (``text``) and/or a message of the app (``text_key`` and its
        facts, ``core.texts``), worded for each reader."""
        text_key, text_params = stored(text_key, text_params)
        return self.create(
            work_order=work_order,
            kind=kind,
            by=by,
            text=text,
            text_key=text_key,
            text_params=text_params,
            status_from=status_from,
            status_to=status_to,
            at=at or timezone.now(),
        )


class WorkOrderEvent(models.Model):
    """The order's timeline: every step, note, part and photo, who and when."""

    property_lookup = "work_order__property"

    work_order = models.ForeignKey(
        WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    status_from = models.CharField(
        _("from"), max_length=12, choices=WorkOrderStatus.choices, blank=True
    )
    status_to = models.CharField(
        _("to"), max_length=12, choices=WorkOrderStatus.choices, blank=True
    )
    # What a person wrote (a note, a reason) and what the app says (core.texts).
    text = models.TextField(_("text"), blank=True)
    text_key = key_field()
    text_params = params_field()

    objects = WorkOrderEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("work order event")
        verbose_name_plural = _("work order events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["work_order", "at"])]

    def __str__(self):
        return f"{self.work_order} · {self.get_kind_display()}"

    @builtins.property
    def shown_text(self):
        """The app's message in the reader's language, then what the person wrote."""
        return worded_text(self.text_key, self.text_params, self.text)


class DowntimeReason(models.TextChoices):
    FAILURE = "failure", _("Failure")
    PLANNED = "planned", _("Planned maintenance")
    EXTERNAL = "external", _("External (power cut, supply …)")


class DowntimeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ended_at__isnull=True)


class Downtime(HouqinModel):
    """停机: equipment out of service, from when to when, and why."""

    property_lookup = "equipment__property"

    equipment = models.ForeignKey(
        Equipment, verbose_name=_("equipment"), on_delete=models.PROTECT, related_name="downtimes"
    )
    work_order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("work order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="downtimes",
    )
    reason = models.CharField(_("reason"), max_length=10, choices=DowntimeReason.choices)
    started_at = models.DateTimeField(_("from"), validators=[validate_sane_date])
    ended_at = models.DateTimeField(
        _("until"), null=True, blank=True, validators=[validate_sane_date]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = DowntimeQuerySet.as_manager()

    class Meta:
        verbose_name = _("downtime")
        verbose_name_plural = _("downtime")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["equipment", "started_at"])]
        constraints = [
            *datetime_window("started_at", "ended_at"),
            models.CheckConstraint(
                condition=Q(reason__in=DowntimeReason.values),
                name="facilities_downtime_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="facilities_downtime_ends_after_start",
                violation_error_message=_("Downtime cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["equipment"],
                condition=Q(ended_at__isnull=True),
                name="facilities_downtime_one_open_per_equipment",
                violation_error_message=_("This equipment is already down."),
            ),
        ]

    def __str__(self):
        return f"{self.equipment.asset_code} · {self.get_reason_display()}"

    def duration(self, now=None):
        return (self.ended_at or now or timezone.now()) - self.started_at
