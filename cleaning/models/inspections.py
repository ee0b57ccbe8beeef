"""Cleaning tasks (generated from the standards), scored inspections (保洁质检) and the
rectifications (整改) a failed inspection opens."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.checklists import Answer
from core.dates import datetime_window, validate_sane_date
from core.models import HouqinModel
from core.uploads import MB, PHOTOS, UploadValidator

from .areas import CleaningArea, CleaningStandard

INSPECTION_PHOTO = UploadValidator(kinds=PHOTOS, max_bytes=8 * MB)


class TaskStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", pgettext_lazy("cleaning task", "Done")


class CleaningTaskQuerySet(models.QuerySet):
    def missed(self, moment=None):
        """Not done by the end of their window."""
        return self.filter(status=TaskStatus.OPEN, window_end__lt=moment or timezone.now())

    def for_user(self, user):
        return self.filter(assignee__user=user)


class CleaningTask(HouqinModel):
    """One cleaning of an area at one time of a day, generated from its standard; checked off
    on a phone. Not done by the end of its window, it counts as missed."""

    property_lookup = "area__property"

    area = models.ForeignKey(
        CleaningArea, verbose_name=_("area"), on_delete=models.CASCADE, related_name="tasks"
    )
    standard = models.ForeignKey(
        CleaningStandard,
        verbose_name=_("standard"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    due_on = models.DateField(_("day"), validators=[validate_sane_date])
    slot = models.PositiveSmallIntegerField(_("time slot"), default=0)
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("until"))
    assignee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("cleaner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cleaning_tasks",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    completed_at = models.DateTimeField(
        pgettext_lazy("cleaning task", "done at"), null=True, blank=True
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CleaningTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("cleaning task")
        verbose_name_plural = _("cleaning tasks")
        ordering = ["-due_on", "window_start", "pk"]
        indexes = [
            models.Index(fields=["-due_on", "window_start", "id"], name="cleaning_task_newest_idx"),
            models.Index(fields=["status", "window_end"], name="cleaning_task_status_idx"),
            models.Index(fields=["area", "due_on"], name="cleaning_task_area_day_idx"),
            models.Index(fields=["assignee", "due_on"], name="cleaning_task_assignee_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "area", "due_on", "slot"],
                name="cleaning_task_one_per_slot",
                violation_error_message=_("This area already has this task on this day."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=TaskStatus.values), name="cleaning_task_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.DONE) | Q(completed_at__isnull=False),
                name="cleaning_task_done_has_time",
            ),
            models.CheckConstraint(
                condition=Q(window_end__gt=F("window_start")),
                name="cleaning_task_window_ordered",
            ),
        ]

    def __str__(self):
        if not self.area_id:
            return ""
        start = timezone.localtime(self.window_start)
        when = f"{start:%Y-%m-%d %H:%M}" if self.slot else f"{self.due_on:%Y-%m-%d}"
        return f"{self.area} · {when}"

    def is_missed(self, now=None):
        return self.status == TaskStatus.OPEN and self.window_end < (now or timezone.now())


class InspectionStatus(models.TextChoices):
    OPEN = "open", _("Being scored")
    PASSED = "passed", _("Passed")
    FAILED = "failed", pgettext_lazy("inspection result", "Failed")


class CleaningInspectionQuerySet(models.QuerySet):
    def done(self):
        return self.exclude(status=InspectionStatus.OPEN)


class CleaningInspection(HouqinModel):
    """保洁质检: an inspector scores an area against its standard's weighted items. The
    inspector is never the area's responsible cleaner (checked in the form, the service and
    the database, on the cleaner as the inspection recorded them)."""

    property_lookup = "area__property"

    area = models.ForeignKey(
        CleaningArea, verbose_name=_("area"), on_delete=models.PROTECT, related_name="inspections"
    )
    standard = models.ForeignKey(
        CleaningStandard,
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    inspector = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="cleaning_inspections",
    )
    cleaner = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("responsible cleaner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspected_cleaning",
        help_text=_("The area's cleaner when it was inspected."),
    )
    inspected_at = models.DateTimeField(_("time"))
    status = models.CharField(
        _("status"), max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.OPEN
    )
    total = models.DecimalField(_("score"), max_digits=4, decimal_places=1, null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"))
    reinspects = models.ForeignKey(
        "cleaning.Rectification",
        verbose_name=_("re-inspection of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reinspections",
    )
    photo = models.FileField(
        _("photo"),
        upload_to="cleaning/inspections/%Y/%m/",
        blank=True,
        validators=[INSPECTION_PHOTO],
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    history = HistoricalRecords()
    objects = CleaningInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("cleaning inspection")
        verbose_name_plural = _("cleaning inspections")
        ordering = ["-inspected_at", "-pk"]
        indexes = [
            models.Index(fields=["-inspected_at", "-id"], name="cleaning_insp_newest_idx"),
            models.Index(fields=["area", "-inspected_at"], name="cleaning_insp_area_idx"),
            models.Index(fields=["status", "inspected_at"], name="cleaning_insp_status_idx"),
        ]
        constraints = [
            *datetime_window("inspected_at"),
            models.CheckConstraint(
                condition=Q(status__in=InspectionStatus.values),
                name="cleaning_inspection_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(cleaner__isnull=True) | ~Q(inspector=F("cleaner")),
                name="cleaning_inspection_not_by_cleaner",
                violation_error_message=_("The area's own cleaner cannot inspect it."),
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=1, pass_mark__lte=100),
                name="cleaning_inspection_pass_mark_range",
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(total__gte=0, total__lte=100),
                name="cleaning_inspection_total_range",
            ),
            models.CheckConstraint(
                condition=Q(status=InspectionStatus.OPEN) | Q(total__isnull=False),
                name="cleaning_inspection_done_has_total",
            ),
        ]

    def __str__(self):
        if not self.area_id or not self.inspected_at:
            return str(_("New inspection"))
        return f"{self.area} · {timezone.localtime(self.inspected_at):%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        if self.area_id and self.inspector_id:
            cleaner_id = self.cleaner_id if self.pk else self.area.cleaner_id
            if cleaner_id and cleaner_id == self.inspector_id:
                raise ValidationError({"inspector": _("The area's own cleaner cannot inspect it.")})
            if self.inspector.property_id != self.area.property_id:
                raise ValidationError({"inspector": _("This person works at another property.")})


class FollowUp(models.TextChoices):
    RECTIFY = "rectify", _("Rectification by the cleaner")
    REPAIR = "repair", _("Repair (work order)")


class InspectionAnswer(Answer):
    """One scored item of an inspection; a failed one has a photo, a note and what it needs."""

    property_lookup = "inspection__area__property"

    inspection = models.ForeignKey(
        CleaningInspection,
        verbose_name=_("inspection"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    note = models.CharField(_("what is wrong"), max_length=300, blank=True)
    needs = models.CharField(
        _("needs"), max_length=10, choices=FollowUp.choices, default=FollowUp.RECTIFY
    )
    work_order = models.OneToOneField(
        "facilities.WorkOrder",
        verbose_name=_("work order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cleaning_answer",
    )

    class Meta(Answer.Meta):
        verbose_name = _("inspection score")
        verbose_name_plural = _("inspection scores")
        constraints = [
            *Answer.answer_constraints("cleaning_inspectionanswer"),
            models.CheckConstraint(
                condition=Q(needs__in=FollowUp.values), name="cleaning_answer_needs_valid"
            ),
        ]

    def get_absolute_url(self):
        return self.inspection.get_absolute_url()


class RectificationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("rectification", "Open")
    DONE = "done", _("Done, to re-inspect")
    CLOSED = "closed", pgettext_lazy("rectification", "Closed")


class RectificationQuerySet(models.QuerySet):
    def unresolved(self):
        return self.exclude(status=RectificationStatus.CLOSED)

    def overdue(self, moment=None):
        return self.unresolved().filter(deadline__lt=moment or timezone.now())

    def for_user(self, user):
        return self.filter(responsible__user=user)


class Rectification(HouqinModel):
    """整改: what a failed inspection asks of the area's cleaner, by a deadline. The cleaner
    marks it done; only a re-inspection that passes closes it, and one that fails keeps it
    open and escalates it to the director."""

    property_lookup = "area__property"

    area = models.ForeignKey(
        CleaningArea,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    inspection = models.OneToOneField(
        CleaningInspection,
        verbose_name=_("failed inspection"),
        on_delete=models.PROTECT,
        related_name="rectification",
    )
    responsible = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
    )
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.CharField(_("what was done"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalations = models.PositiveSmallIntegerField(_("failed re-inspections"), default=0)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    history = HistoricalRecords()
    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["-pk"]
        permissions = [("rectify_rectification", _("Can mark a rectification done"))]
        indexes = [models.Index(fields=["status", "deadline"], name="cleaning_rect_due_idx")]
        constraints = [
            *datetime_window("deadline"),
            models.CheckConstraint(
                condition=Q(status__in=RectificationStatus.values),
                name="cleaning_rectification_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=RectificationStatus.CLOSED) | Q(closed_at__isnull=False),
                name="cleaning_rectification_closed_has_time",
            ),
        ]

    @property
    def number(self):
        return f"ZG-{self.pk:06d}" if self.pk else ""

    def __str__(self):
        return self.number or str(_("New rectification"))

    def clean(self):
        super().clean()
        if (
            self.responsible_id
            and self.area_id
            and self.responsible.property_id != self.area.property_id
        ):
            raise ValidationError({"responsible": _("This person works at another property.")})

    def closed_on_time(self):
        return self.closed_at is not None and self.closed_at <= self.deadline
