"""Recruitment: openings, candidates, the application pipeline, interviews, onboarding."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import date_window, datetime_window, shown_moment, validate_sane_date
from core.models import HouqinModel, Property
from core.scoping import visible_records
from core.uploads import MB, RESUMES, UploadValidator

from ..access import PersonalQuerySet, applications_q
from ..validators import phone_validator
from .organisation import Position


class OpeningStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("job opening status", "Open")
    ON_HOLD = "on_hold", _("On hold")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class JobOpening(HouqinModel):
    """招聘需求: a position to fill at a property."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="openings"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="openings"
    )
    headcount = models.PositiveSmallIntegerField(
        _("headcount"), default=1, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    reason = models.CharField(
        _("reason"), max_length=200, help_text=_("e.g. replacement for a resignation, new building")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OpeningStatus.choices, default=OpeningStatus.OPEN
    )
    opened_on = models.DateField(
        _("opened"), default=timezone.localdate, validators=[validate_sane_date]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("job opening")
        verbose_name_plural = _("job openings")
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["property", "status"])]
        constraints = [
            *date_window("opened_on"),
            models.CheckConstraint(
                condition=Q(headcount__gte=1),
                name="staff_jobopening_headcount_positive",
                violation_error_message=_("The headcount must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=OpeningStatus.values),
                name="staff_jobopening_status_valid",
                violation_error_message=_("Choose a valid status."),
            ),
        ]

    def __str__(self):
        return f"{self.position} · {self.property}"


class CandidateSource(models.TextChoices):
    REFERRAL = "referral", _("Employee referral")
    JOB_BOARD = "job_board", _("Job website")
    WALK_IN = "walk_in", _("Walk-in")
    AGENCY = "agency", _("Agency")
    INTERNAL = "internal", _("Internal transfer")
    OTHER = "other", _("Other")


def resume_path(instance, filename):
    return f"resumes/{timezone.now():%Y/%m}/{filename}"


class CandidateQuerySet(PersonalQuerySet):
    def in_properties(self, ids):
        """Those who applied at one of these properties, and those who have not applied
        anywhere yet (HR's intake, before the first application)."""
        applications = Application.objects.filter(candidate=OuterRef("pk"))
        return self.filter(
            Exists(applications.filter(opening__property__in=ids)) | ~Exists(applications)
        )

    def need_to_know(self, user):
        # A candidate is known through an application the user may see.
        return Q(pk__in=visible_records(Application.objects.all(), user).values("candidate"))

    def for_properties(self, property_ids):
        """Candidates of these properties (``None``: every property)."""
        return self if property_ids is None else self.in_properties(property_ids)


class Candidate(HouqinModel):
    """A person who applied. One person may apply at several properties: the candidate is
    seen at the properties of their applications."""

    property_lookup = "applications__opening__property"
    personal_data = True

    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=CandidateSource.choices,
        default=CandidateSource.JOB_BOARD,
    )
    resume = models.FileField(
        _("résumé"),
        upload_to=resume_path,
        blank=True,
        validators=[UploadValidator(kinds=RESUMES, max_bytes=5 * MB)],
        help_text=_("PDF, Word (.docx), JPG or PNG, up to 5 MB."),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["phone"])]

    def __str__(self):
        return self.name

    def get_file_url(self, field_name):
        return reverse("staff:candidate_resume", args=[self.pk])


class Stage(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SCREENING = "screening", _("Screening")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PIPELINE = (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED)
CLOSED_STAGES = (Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN)


class ApplicationQuerySet(PersonalQuerySet):
    def need_to_know(self, user):
        return applications_q(user)


class Application(HouqinModel):
    """A candidate in an opening's pipeline: applied → screening → interview → offer → hired,
    or rejected / withdrawn at any open step (with a reason)."""

    property_lookup = "opening__property"
    personal_data = True

    opening = models.ForeignKey(
        JobOpening,
        verbose_name=_("opening"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLIED
    )
    stage_changed_at = models.DateTimeField(_("stage changed"), default=timezone.now)
    closed_reason = models.CharField(_("reason"), max_length=200, blank=True)
    employee = models.OneToOneField(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )

    history = HistoricalRecords()
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-stage_changed_at"]
        indexes = [models.Index(fields=["opening", "stage"])]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "candidate"],
                name="staff_application_once_per_opening",
                violation_error_message=_("This candidate has already applied to this opening."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values),
                name="staff_application_stage_valid",
                violation_error_message=_("Choose a valid stage."),
            ),
            models.CheckConstraint(
                condition=~Q(stage__in=[Stage.REJECTED, Stage.WITHDRAWN]) | ~Q(closed_reason=""),
                name="staff_application_closed_has_reason",
                violation_error_message=_("Give the reason for rejecting or withdrawing."),
            ),
        ]

    def __str__(self):
        return f"{self.candidate} → {self.opening}"

    @property
    def is_open(self):
        return self.stage not in CLOSED_STAGES

    def next_stage(self):
        """The next step of the pipeline, or None (closed, or at the offer: hiring is its own
        action, since it creates the employee)."""
        if self.stage in (Stage.OFFER, *CLOSED_STAGES):
            return None
        return PIPELINE[PIPELINE.index(self.stage) + 1]


class InterviewCriterion(HouqinModel):
    """What interviews are scored on: 专业技能, 服务意识, 安全意识 …"""

    shared_reference = True

    name = models.CharField(_("name"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("interview criterion")
        verbose_name_plural = _("interview criteria")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Recommendation(models.TextChoices):
    STRONG_HIRE = "strong_hire", _("Strongly recommend")
    HIRE = "hire", _("Recommend")
    NO_HIRE = "no_hire", _("Do not recommend")


class InterviewQuerySet(PersonalQuerySet):
    def need_to_know(self, user):
        return applications_q(user, "application")


class Interview(HouqinModel):
    property_lookup = "application__opening__property"
    personal_data = True

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="interviews",
    )
    scheduled_at = models.DateTimeField(_("when"), validators=[validate_sane_date])
    place = models.CharField(_("place"), max_length=100, blank=True)
    interviewers = models.ManyToManyField(
        "staff.Employee", verbose_name=_("interviewers"), blank=True, related_name="interviews"
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    comments = models.TextField(_("comments"), blank=True)

    history = HistoricalRecords()
    objects = InterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        constraints = [
            *datetime_window("scheduled_at"),
        ]
        ordering = ["-scheduled_at"]

    def __str__(self):
        return f"{self.application.candidate} · {shown_moment(self.scheduled_at)}"


class InterviewScore(models.Model):
    interview = models.ForeignKey(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        InterviewCriterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("interview score")
        verbose_name_plural = _("interview scores")
        ordering = ["criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "criterion"], name="staff_interviewscore_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="staff_interviewscore_range",
                violation_error_message=_("Scores run from 1 to 5."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class OnboardingTask(models.TextChoices):
    CONTRACT = "contract", _("Labour contract signed")
    INDUCTION = "induction", _("Induction training")
    UNIFORM = "uniform", _("Uniform issued")
    EQUIPMENT = "equipment", _("Tools and equipment issued")


class OnboardingItem(HouqinModel):
    """A step of a new hire's onboarding checklist, ticked off when done."""

    property_lookup = "employee__property"
    personal_data = True

    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="onboarding",
    )
    task = models.CharField(_("task"), max_length=20, choices=OnboardingTask.choices)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = PersonalQuerySet.as_manager()

    class Meta:
        verbose_name = _("onboarding item")
        verbose_name_plural = _("onboarding items")
        ordering = ["employee", "task"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "task"], name="staff_onboardingitem_once_per_task"
            ),
        ]

    def __str__(self):
        return f"{self.employee.name}: {self.get_task_display()}"

    def get_absolute_url(self):
        return self.employee.get_absolute_url()
