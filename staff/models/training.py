"""Training: courses, sessions, attendance with assessment, refreshers, annual plans."""

from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import datetime_window, shown_day, validate_sane_date
from core.models import HouqinModel, Property

from ..access import PersonalQuerySet


class CourseCategory(models.TextChoices):
    SKILLS = "skills", _("Job skills")
    ETIQUETTE = "etiquette", _("Service etiquette")
    SAFETY = "safety", _("Work safety")
    FIRE = "fire", _("Fire safety")
    REGULATIONS = "regulations", _("Laws and regulations")


class Course(HouqinModel):
    """A training course, shared by all properties."""

    shared_reference = True

    title = models.CharField(_("title"), max_length=100, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=CourseCategory.choices)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(200)],
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("After this a refresher is due; empty if it never runs out."),
    )
    pass_score = models.PositiveSmallIntegerField(
        _("pass mark"), default=60, validators=[MaxValueValidator(100)]
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["category", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="staff_course_hours_positive",
                violation_error_message=_("A course lasts more than zero hours."),
            ),
            models.CheckConstraint(
                condition=Q(pass_score__lte=100),
                name="staff_course_pass_score_range",
                violation_error_message=_("The pass mark is at most 100."),
            ),
        ]

    def __str__(self):
        return self.title


class TrainingSession(HouqinModel):
    """A course held at a property on a given day, with a trainer and a capacity."""

    property_lookup = "property"

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    property = models.ForeignKey(
        Property,
        verbose_name=_("property"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    starts_at = models.DateTimeField(_("starts"), validators=[validate_sane_date])
    trainer = models.CharField(_("trainer"), max_length=60)
    place = models.CharField(_("place"), max_length=100)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=20, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["property", "starts_at"])]
        constraints = [
            *datetime_window("starts_at"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="staff_trainingsession_capacity_positive",
                violation_error_message=_("The capacity must be at least 1."),
            ),
        ]

    def __str__(self):
        return f"{self.course} · {shown_day(timezone.localtime(self.starts_at).date())}"


class Attendance(HouqinModel):
    """An employee enrolled in a session; after it, whether they came, their score, and
    whether they passed. A pass counts until ``valid_until`` (the course's validity)."""

    property_lookup = "session__property"
    personal_data = True  # assessment scores and passes

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    score = models.DecimalField(
        _("assessment score"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = PersonalQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session__starts_at", "employee__staff_no"]
        indexes = [
            models.Index(fields=["employee", "passed"]),
            models.Index(fields=["valid_until"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "employee"],
                name="staff_attendance_once_per_session",
                violation_error_message=_("This employee is already enrolled."),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="staff_attendance_score_range",
                violation_error_message=_("Scores run from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=~Q(passed=True) | Q(attended=True),
                name="staff_attendance_pass_needs_attendance",
                violation_error_message=_("Only someone who attended can pass."),
            ),
        ]

    def __str__(self):
        return f"{self.employee.name} · {self.session}"

    def get_absolute_url(self):
        return self.session.get_absolute_url()


class TrainingPlan(HouqinModel):
    """A property's training plan for a year."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property,
        verbose_name=_("property"),
        on_delete=models.PROTECT,
        related_name="training_plans",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-year", "property__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "year"],
                name="staff_trainingplan_one_per_year",
                violation_error_message=_("This property already has a plan for that year."),
            ),
        ]

    def __str__(self):
        return f"{self.property} {self.year}"


class PlannedCourse(HouqinModel):
    """A line of a plan: a course to give in a month, to so many people."""

    property_lookup = "plan__property"

    plan = models.ForeignKey(
        TrainingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="planned"
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    participants = models.PositiveSmallIntegerField(
        _("people to train"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("planned course")
        verbose_name_plural = _("planned courses")
        ordering = ["plan", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "course", "month"],
                name="staff_plannedcourse_unique",
                violation_error_message=_("This course is already planned for that month."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="staff_plannedcourse_month_range",
                violation_error_message=_("Choose a month from 1 to 12."),
            ),
            models.CheckConstraint(
                condition=Q(participants__gte=1),
                name="staff_plannedcourse_participants_positive",
                violation_error_message=_("Plan at least one person."),
            ),
        ]

    def __str__(self):
        return f"{self.plan}: {self.course} ({self.month})"

    def get_absolute_url(self):
        return self.plan.get_absolute_url()


REFRESHER_WINDOW = timedelta(days=30)


def refreshers_due(day, window=REFRESHER_WINDOW):
    """Passes that run out within ``window`` of ``day`` (or already have), where the person
    has neither a later pass that lasts beyond it nor a place in an upcoming session."""
    from django.db.models import Exists, OuterRef

    horizon = day + window
    later_pass = Attendance.objects.filter(
        employee=OuterRef("employee"),
        session__course=OuterRef("session__course"),
        passed=True,
        valid_until__gt=horizon,
    )
    booked = Attendance.objects.filter(
        employee=OuterRef("employee"),
        session__course=OuterRef("session__course"),
        session__starts_at__gte=timezone.now(),
        attended__isnull=True,
    )
    return (
        Attendance.objects.filter(passed=True, valid_until__lte=horizon)
        .exclude(employee__status="resigned")
        .filter(~Exists(later_pass), ~Exists(booked))
    )
