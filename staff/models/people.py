"""Employees (the people who do the work) and the notes on their record."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import RECORDS_FROM, date_window, validate_record_date
from core.models import HouqinModel, Property, code_validator

from ..access import PersonalQuerySet, people_q
from ..validators import mask_id_number, phone_validator, validate_id_number
from .organisation import Department, Position


class EmployeeStatus(models.TextChoices):
    PROBATION = "probation", _("On probation")
    ACTIVE = "active", _("Active")
    ON_LEAVE = "on_leave", _("On leave")
    RESIGNED = "resigned", _("Resigned")


class EmployeeQuerySet(PersonalQuerySet):
    def need_to_know(self, user):
        return people_q(user)

    def current(self):
        """Everyone still on the books (not resigned)."""
        return self.exclude(status=EmployeeStatus.RESIGNED)

    def with_certificate_status(self, day):
        """Annotate ``missing_certificates`` (types the position requires that the employee
        holds no valid certificate of, on ``day``) and ``has_expired_certificate`` (an expired
        certificate not replaced by a valid one). Two subqueries, whatever the row count."""
        return self.annotate(**certificate_status_annotations(day))


@functools.lru_cache(maxsize=4)
def certificate_status_annotations(day):
    """The two subqueries of ``with_certificate_status`` for ``day``, built once per day and
    process (building them cost more than running them; ``annotate`` copies them)."""
    from .certificates import Certificate

    required = Position.required_certificate_types.through.objects.filter(
        position=OuterRef("position")
    )
    held = Certificate.objects.valid_on(day).filter(
        employee=OuterRef(OuterRef("pk")), type=OuterRef("certificatetype")
    )
    missing = (
        required.filter(~Exists(held))
        .order_by()
        .values("position")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "missing_certificates": Coalesce(Subquery(missing), 0),
        # A scalar subquery, not EXISTS: PostgreSQL hashes an EXISTS over every certificate
        # of the company (10 ms at 20,000 employees) even for a page of 25.
        "has_expired_certificate": IsNull(
            Subquery(
                Certificate.objects.unreplaced(day)
                .filter(employee=OuterRef("pk"))
                .order_by()
                .values("pk")[:1]
            ),
            False,
        ),
    }


class Employee(HouqinModel):
    """A member of the logistics team. May have no login; may link to one."""

    property_lookup = "property"
    personal_data = True
    history_masked_fields = ("id_number",)

    staff_no = models.CharField(_("staff number"), max_length=20, validators=[code_validator])
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    id_number = models.CharField(
        _("ID-card number"),
        max_length=18,
        blank=True,
        validators=[validate_id_number],
        help_text=_("Shown in full to HR only; everyone else sees it masked."),
    )
    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="employees"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="employees",
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="employees"
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("supervisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    hire_date = models.DateField(_("hire date"), validators=[validate_record_date])
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EmployeeStatus.choices,
        default=EmployeeStatus.PROBATION,
    )
    probation_end = models.DateField(
        _("probation ends"), null=True, blank=True, validators=[validate_record_date]
    )
    leave_start = models.DateField(
        _("leave starts"), null=True, blank=True, validators=[validate_record_date]
    )
    leave_end = models.DateField(
        _("leave ends"), null=True, blank=True, validators=[validate_record_date]
    )
    resigned_on = models.DateField(
        _("resigned on"), null=True, blank=True, validators=[validate_record_date]
    )
    emergency_contact = models.CharField(_("emergency contact"), max_length=50, blank=True)
    emergency_phone = models.CharField(
        _("emergency contact phone"), max_length=30, blank=True, validators=[phone_validator]
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
    )

    history = HistoricalRecords()
    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        # By property (its id: ordering by its code joined and sorted all 20,000 employees
        # for every page), then staff number; the index below serves it.
        ordering = ["property_id", "staff_no"]
        permissions = [
            ("reveal_id_number", _("Can see ID-card numbers in full")),
            (
                "view_all_staff_records",
                _("Can see the staff records of everyone at their properties"),
            ),
            ("view_team_staff_records", _("Can see the staff records of their own department")),
        ]
        indexes = [
            models.Index(fields=["property", "staff_no"], name="staff_employee_order_idx"),
            models.Index(fields=["property", "status"]),
            models.Index(fields=["status", "probation_end"]),
        ]
        constraints = [
            *date_window(
                "hire_date",
                "probation_end",
                "leave_start",
                "leave_end",
                "resigned_on",
                since=RECORDS_FROM,
            ),
            models.UniqueConstraint(
                Lower("staff_no"),
                name="staff_employee_staff_no_unique",
                violation_error_message=_("Another employee already has this staff number."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=EmployeeStatus.values),
                name="staff_employee_status_valid",
                violation_error_message=_("Choose a valid status."),
            ),
            models.CheckConstraint(
                condition=~Q(status=EmployeeStatus.PROBATION) | Q(probation_end__isnull=False),
                name="staff_employee_probation_has_end",
                violation_error_message=_("An employee on probation needs a probation end date."),
            ),
            models.CheckConstraint(
                condition=Q(probation_end__isnull=True) | Q(probation_end__gte=F("hire_date")),
                name="staff_employee_probation_after_hire",
                violation_error_message=_("Probation cannot end before the hire date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=EmployeeStatus.RESIGNED) | Q(resigned_on__isnull=False),
                name="staff_employee_resigned_has_date",
                violation_error_message=_("A resigned employee needs the date they left."),
            ),
            models.CheckConstraint(
                condition=~Q(status=EmployeeStatus.ON_LEAVE) | Q(leave_start__isnull=False),
                name="staff_employee_leave_has_start",
                violation_error_message=_("An employee on leave needs the date the leave starts."),
            ),
            models.CheckConstraint(
                condition=Q(leave_end__isnull=True)
                | Q(leave_start__isnull=False, leave_end__gte=F("leave_start")),
                name="staff_employee_leave_dates_ordered",
                violation_error_message=_("Leave cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(supervisor=F("pk")),
                name="staff_employee_not_own_supervisor",
                violation_error_message=_("An employee cannot be their own supervisor."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.staff_no})"

    def clean(self):
        super().clean()
        if self.id_number:
            self.id_number = self.id_number.upper()
        errors = {}
        if self.status == EmployeeStatus.PROBATION and not self.probation_end:
            errors["probation_end"] = _("An employee on probation needs a probation end date.")
        if self.probation_end and self.hire_date and self.probation_end < self.hire_date:
            errors["probation_end"] = _("Probation cannot end before the hire date.")
        if self.status == EmployeeStatus.RESIGNED and not self.resigned_on:
            errors["resigned_on"] = _("A resigned employee needs the date they left.")
        if self.status == EmployeeStatus.ON_LEAVE and not self.leave_start:
            errors["leave_start"] = _("An employee on leave needs the date the leave starts.")
        if self.leave_end and (not self.leave_start or self.leave_end < self.leave_start):
            errors["leave_end"] = _("Leave cannot end before it starts.")
        if self.pk and self.supervisor_id == self.pk:
            errors["supervisor"] = _("An employee cannot be their own supervisor.")
        if errors:
            raise ValidationError(errors)

    def masked_id_number(self):
        return mask_id_number(self.id_number)

    def id_number_for(self, user):
        """The ID-card number as ``user`` may see it: in full for HR, masked for everyone else."""
        if user.has_perm("staff.reveal_id_number"):
            return self.id_number
        return self.masked_id_number()

    def probation_days_left(self, today=None):
        if self.status != EmployeeStatus.PROBATION or not self.probation_end:
            return None
        return (self.probation_end - (today or timezone.localdate())).days


class NoteKind(models.TextChoices):
    COMMENDATION = "commendation", _("Commendation")
    DISCIPLINARY = "disciplinary", _("Disciplinary")
    NOTE = "note", _("Note")


class EmployeeNote(HouqinModel):
    """A commendation (表扬), a disciplinary note (处分) or a plain note on someone's record."""

    property_lookup = "employee__property"
    personal_data = True

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoteKind.choices)
    date = models.DateField(
        _("date"), default=timezone.localdate, validators=[validate_record_date]
    )
    summary = models.CharField(_("summary"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()
    objects = PersonalQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee note")
        verbose_name_plural = _("employee notes")
        ordering = ["-date", "-pk"]
        constraints = [
            *date_window("date", since=RECORDS_FROM),
            models.CheckConstraint(
                condition=Q(kind__in=NoteKind.values),
                name="staff_employeenote_kind_valid",
                violation_error_message=_("Choose a valid kind of note."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary}"
