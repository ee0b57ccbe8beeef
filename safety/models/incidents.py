"""Incidents (安全事件) with their response timeline, review and corrective actions."""

import builtins

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import date_window, datetime_window, validate_sane_date
from core.models import HouqinModel

from .hazards import SAFETY_PHOTO


class IncidentKind(models.TextChoices):
    FIRE = "fire", _("Fire")
    THEFT = "theft", _("Theft")
    WATER = "water", _("Flood or water leak")
    ENTRAPMENT = "entrapment", _("Elevator entrapment")
    INJURY = "injury", _("Injury")
    POWER = "power", _("Power outage")
    GAS = "gas", _("Gas leak")
    DISPUTE = "dispute", _("Dispute")
    VANDALISM = "vandalism", _("Vandalism")
    OTHER = "other", pgettext_lazy("incident kind", "Other")


class IncidentSeverity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MODERATE = "moderate", _("Moderate")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


class IncidentStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("incident", "Reported")
    RESPONDING = "responding", _("Responding")
    RESOLVED = "resolved", _("Resolved")
    REVIEWED = "reviewed", pgettext_lazy("incident", "Reviewed")


TIMELINE = ("reported_at", "responded_at", "on_scene_at", "resolved_at")


class Incident(HouqinModel):
    """安全事件: what happened, where and to whom; the response timed from report to
    resolution (each moment after the one before, in the database too); what it cost; and,
    once resolved, a review naming its root cause and the corrective actions."""

    property_lookup = "property"

    property = models.ForeignKey(
        "core.Property", verbose_name=_("property"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentKind.choices)
    severity = models.CharField(
        pgettext_lazy("incident", "severity"),
        max_length=10,
        choices=IncidentSeverity.choices,
        default=IncidentSeverity.MINOR,
    )
    occurred_at = models.DateTimeField(_("occurred at"), validators=[validate_sane_date])
    location = models.ForeignKey(
        "core.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("description"), max_length=4000)
    people_involved = models.TextField(_("people involved"), max_length=2000, blank=True)
    reported_at = models.DateTimeField(
        _("reported at"), default=timezone.now, validators=[validate_sane_date]
    )
    responded_at = models.DateTimeField(
        _("responded at"), null=True, blank=True, validators=[validate_sane_date]
    )
    on_scene_at = models.DateTimeField(
        _("on scene at"), null=True, blank=True, validators=[validate_sane_date]
    )
    resolved_at = models.DateTimeField(
        _("resolved at"), null=True, blank=True, validators=[validate_sane_date]
    )
    actions_taken = models.TextField(_("actions taken"), max_length=4000, blank=True)
    losses = models.DecimalField(
        _("losses (CNY)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    photo = models.FileField(
        _("photo"), upload_to="safety/incidents/%Y/%m/", blank=True, validators=[SAFETY_PHOTO]
    )
    report_number = models.CharField(_("police or fire report number"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    root_cause = models.TextField(_("root cause"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="safety_incident_newest_idx"),
            models.Index(fields=["status", "occurred_at"], name="safety_incident_status_idx"),
        ]
        constraints = [
            *datetime_window("occurred_at", *TIMELINE, "reviewed_at"),
            models.CheckConstraint(
                condition=Q(status__in=IncidentStatus.values),
                name="safety_incident_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=IncidentKind.values), name="safety_incident_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=IncidentSeverity.values),
                name="safety_incident_severity_valid",
            ),
            models.CheckConstraint(
                condition=Q(losses__gte=0), name="safety_incident_losses_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reported_at__gte=F("occurred_at")),
                name="safety_incident_reported_after_occurred",
                violation_error_message=_("It cannot be reported before it happened."),
            ),
            models.CheckConstraint(
                condition=Q(responded_at__isnull=True) | Q(responded_at__gte=F("reported_at")),
                name="safety_incident_responded_after_reported",
                violation_error_message=_("The response cannot come before the report."),
            ),
            models.CheckConstraint(
                condition=Q(on_scene_at__isnull=True)
                | Q(responded_at__isnull=False, on_scene_at__gte=F("responded_at")),
                name="safety_incident_on_scene_after_responded",
                violation_error_message=_("Arriving on scene comes after the response."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True)
                | (
                    Q(responded_at__isnull=False, resolved_at__gte=F("responded_at"))
                    & (Q(on_scene_at__isnull=True) | Q(resolved_at__gte=F("on_scene_at")))
                ),
                name="safety_incident_resolved_after_response",
                violation_error_message=_("It cannot be resolved before the response."),
            ),
            models.CheckConstraint(
                condition=Q(status=IncidentStatus.OPEN) | Q(responded_at__isnull=False),
                name="safety_incident_responding_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[IncidentStatus.RESOLVED, IncidentStatus.REVIEWED])
                | Q(resolved_at__isnull=False),
                name="safety_incident_resolved_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=IncidentStatus.REVIEWED)
                | (Q(reviewed_at__isnull=False) & ~Q(root_cause="")),
                name="safety_incident_reviewed_has_cause",
            ),
        ]

    @builtins.property
    def number(self):
        return f"SJ-{self.pk:06d}" if self.pk else ""

    def __str__(self):
        return self.number or str(_("New incident"))

    def get_file_url(self, field_name):
        return reverse("safety:incident_photo", args=[self.pk])

    def clean(self):
        super().clean()
        self.check_same_property("location")
        errors = {}
        previous = ("occurred_at", self.occurred_at)
        for name in TIMELINE:
            value = getattr(self, name)
            if value is None:
                continue
            if previous[1] is not None and value < previous[1]:
                errors[name] = _("%(this)s cannot be before %(that)s.") % {
                    "this": self._meta.get_field(name).verbose_name,
                    "that": self._meta.get_field(previous[0]).verbose_name,
                }
            previous = (name, value)
        if self.resolved_at and not self.responded_at:
            errors.setdefault("resolved_at", _("Record the response first."))
        if self.on_scene_at and not self.responded_at:
            errors.setdefault("on_scene_at", _("Record the response first."))
        if errors:
            raise ValidationError(errors)


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("corrective action", "Open")
    DONE = "done", _("Done, to verify")
    VERIFIED = "verified", _("Verified")


class CorrectiveActionQuerySet(models.QuerySet):
    def unresolved(self):
        return self.exclude(status=ActionStatus.VERIFIED)

    def overdue(self, day=None):
        return self.filter(status=ActionStatus.OPEN, due_on__lt=day or timezone.localdate())

    def for_user(self, user):
        return self.filter(owner__user=user)


class CorrectiveAction(HouqinModel):
    """整改措施: what an incident's review says must change, by whom and when; done by its
    owner, verified by someone else."""

    property_lookup = "incident__property"

    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    description = models.CharField(_("what to do"), max_length=500)
    owner = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="safety_actions",
    )
    due_on = models.DateField(_("due"), validators=[validate_sane_date])
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.CharField(_("what was done"), max_length=500, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verifier = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("verifying employee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = CorrectiveActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="safety_action_due_idx")]
        constraints = [
            *date_window("due_on"),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="safety_action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ActionStatus.OPEN) | Q(done_at__isnull=False),
                name="safety_action_done_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.VERIFIED) | Q(verified_at__isnull=False),
                name="safety_action_verified_has_time",
            ),
            models.CheckConstraint(
                condition=Q(verifier__isnull=True) | ~Q(verifier=F("owner")),
                name="safety_action_not_verified_by_owner",
                violation_error_message=_("The action's owner cannot verify it."),
            ),
        ]

    def __str__(self):
        return self.description[:60] if self.description else str(_("New corrective action"))

    def clean(self):
        super().clean()
        if (
            self.owner_id
            and self.incident_id
            and self.owner.property_id != self.incident.property_id
        ):
            raise ValidationError({"owner": _("This person works at another property.")})
