"""Appraisals (绩效考核): cycles, KPI templates per position, self-assessment and review."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import date_window, validate_sane_date
from core.models import HouqinModel, Property

from ..access import PersonalQuerySet, people_q
from .organisation import Position


class CycleKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annual")


class AppraisalCycle(HouqinModel):
    """One round of appraisals at a property: the period assessed and the deadline."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property,
        verbose_name=_("property"),
        on_delete=models.PROTECT,
        related_name="appraisal_cycles",
    )
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=CycleKind.choices)
    period_start = models.DateField(_("period starts"), validators=[validate_sane_date])
    period_end = models.DateField(_("period ends"), validators=[validate_sane_date])
    deadline = models.DateField(
        _("deadline"),
        help_text=_("Self-assessments and reviews are due by this day."),
        validators=[validate_sane_date],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appraisal cycle")
        verbose_name_plural = _("appraisal cycles")
        ordering = ["-period_end", "property__code"]
        constraints = [
            *date_window("period_start", "period_end", "deadline"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="staff_appraisalcycle_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("period_start")),
                name="staff_appraisalcycle_deadline_after_start",
                violation_error_message=_("The deadline cannot be before the period starts."),
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.property}"


class KPITemplate(HouqinModel):
    """The weighted criteria a position is appraised on; the weights add up to 100."""

    shared_reference = True

    position = models.OneToOneField(
        Position,
        verbose_name=_("position"),
        on_delete=models.CASCADE,
        related_name="kpi_template",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI template")
        verbose_name_plural = _("KPI templates")
        ordering = ["position__name"]

    def __str__(self):
        return str(self.position)


class KPICriterion(models.Model):
    template = models.ForeignKey(
        KPITemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    name = models.CharField(_("criterion"), max_length=100)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("KPI criterion")
        verbose_name_plural = _("KPI criteria")
        ordering = ["template", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100),
                name="staff_kpicriterion_weight",
                violation_error_message=_("A weight runs from 1 to 100."),
            ),
            models.UniqueConstraint(
                fields=["template", "name"],
                name="staff_kpicriterion_unique_name",
                violation_error_message=_("This criterion is listed twice."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight}%)"


class AppraisalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for self-assessment")
    SELF_ASSESSED = "self_assessed", _("Waiting for review")
    REVIEWED = "reviewed", _("Reviewed")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class Rating(models.TextChoices):
    EXCELLENT = "A", _("A · Excellent")
    GOOD = "B", _("B · Good")
    MEETS = "C", _("C · Meets expectations")
    IMPROVE = "D", _("D · Needs improvement")
    POOR = "E", _("E · Unsatisfactory")


# Lowest final score for each rating, best first.
RATING_FLOORS = (
    (Decimal(90), Rating.EXCELLENT),
    (Decimal(80), Rating.GOOD),
    (Decimal(70), Rating.MEETS),
    (Decimal(60), Rating.IMPROVE),
    (Decimal(0), Rating.POOR),
)


def rating_for(score):
    return next(rating for floor, rating in RATING_FLOORS if score >= floor)


class AppraisalQuerySet(PersonalQuerySet):
    def need_to_know(self, user):
        return people_q(user, "employee") | Q(reviewer=user)


class Appraisal(HouqinModel):
    """One employee's appraisal in a cycle: self-assessment, review, acknowledgement."""

    property_lookup = "cycle__property"
    personal_data = True

    cycle = models.ForeignKey(
        AppraisalCycle,
        verbose_name=_("cycle"),
        on_delete=models.CASCADE,
        related_name="appraisals",
    )
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="appraisals",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appraisals_to_review",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AppraisalStatus.choices, default=AppraisalStatus.PENDING
    )
    self_comment = models.TextField(_("self-assessment"), blank=True)
    reviewer_comment = models.TextField(_("reviewer's comments"), blank=True)
    final_score = models.DecimalField(
        _("final score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rating = models.CharField(_("rating"), max_length=1, choices=Rating.choices, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    history = HistoricalRecords()
    objects = AppraisalQuerySet.as_manager()

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["cycle", "employee__staff_no"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "employee"],
                name="staff_appraisal_once_per_cycle",
                violation_error_message=_("This employee already has an appraisal in this cycle."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[AppraisalStatus.PENDING, AppraisalStatus.SELF_ASSESSED])
                | Q(final_score__isnull=False, rating__gt=""),
                name="staff_appraisal_reviewed_has_result",
                violation_error_message=_("A reviewed appraisal needs a score and a rating."),
            ),
        ]

    def __str__(self):
        return f"{self.employee.name} · {self.cycle.name}"


class AppraisalScore(models.Model):
    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("appraisal"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        KPICriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    # The weight when the cycle opened: editing the template later changes no open appraisal.
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    self_score = models.PositiveSmallIntegerField(
        _("self score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    reviewer_score = models.PositiveSmallIntegerField(
        _("reviewer score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("appraisal score")
        verbose_name_plural = _("appraisal scores")
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "criterion"], name="staff_appraisalscore_once"
            ),
            models.CheckConstraint(
                condition=(Q(self_score__isnull=True) | Q(self_score__lte=100))
                & (Q(reviewer_score__isnull=True) | Q(reviewer_score__lte=100)),
                name="staff_appraisalscore_range",
                violation_error_message=_("Scores run from 0 to 100."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion.name}: {self.self_score} / {self.reviewer_score}"
