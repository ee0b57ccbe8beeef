"""Certificates (证书): what each employee holds, when it expires, when it is next reviewed."""

from datetime import timedelta

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import RECORDS_FROM, date_window, validate_record_date
from core.models import HouqinModel
from core.uploads import DOCUMENTS, MB, UploadValidator

from ..access import PersonalQuerySet


class CertificateType(HouqinModel):
    """A kind of certificate: 电工特种作业操作证, 健康证, driving licence …"""

    shared_reference = True

    name = models.CharField(_("name"), max_length=60, unique=True)
    issuing_authority = models.CharField(_("usual issuer"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CertificateQuerySet(PersonalQuerySet):
    def valid_on(self, day):
        """Certificates issued by ``day`` and not expired on it (no expiry date: no expiry)."""
        return self.filter(issued_on__lte=day).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=day)
        )

    def expired_on(self, day):
        return self.filter(expires_on__lt=day)

    def unreplaced(self, day):
        """Expired certificates whose holder has no valid certificate of the same type."""
        replacement = Certificate.objects.valid_on(day).filter(
            employee=OuterRef("employee"), type=OuterRef("type")
        )
        return self.expired_on(day).filter(~Exists(replacement))


def scan_path(instance, filename):
    return f"certificates/{instance.employee_id}/{filename}"


class Certificate(HouqinModel):
    property_lookup = "employee__property"
    personal_data = True

    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    type = models.ForeignKey(
        CertificateType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    number = models.CharField(_("number"), max_length=50, blank=True)
    issuer = models.CharField(_("issuer"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued"), validators=[validate_record_date])
    expires_on = models.DateField(
        _("expires"),
        null=True,
        blank=True,
        help_text=_("Empty if it never expires."),
        validators=[validate_record_date],
    )
    next_review_on = models.DateField(
        _("next review"),
        null=True,
        blank=True,
        help_text=_("The next periodic review, as printed on the certificate."),
        validators=[validate_record_date],
    )
    scan = models.FileField(
        _("scanned copy"),
        upload_to=scan_path,
        blank=True,
        validators=[UploadValidator(kinds=DOCUMENTS, max_bytes=5 * MB)],
        help_text=_("PDF, JPG or PNG, up to 5 MB."),
    )

    history = HistoricalRecords()
    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["expires_on", "pk"]
        indexes = [
            models.Index(fields=["expires_on"]),
            models.Index(fields=["next_review_on"]),
            models.Index(fields=["employee", "type"]),
        ]
        constraints = [
            *date_window("issued_on", "expires_on", "next_review_on", since=RECORDS_FROM),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("issued_on")),
                name="staff_certificate_expires_after_issue",
                violation_error_message=_("A certificate cannot expire before it is issued."),
            ),
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True) | Q(next_review_on__gte=F("issued_on")),
                name="staff_certificate_review_after_issue",
                violation_error_message=_("The review date cannot be before the issue date."),
            ),
            models.UniqueConstraint(
                fields=["type", "number"],
                condition=~Q(number=""),
                name="staff_certificate_number_unique_per_type",
                violation_error_message=_("A certificate of this type with this number exists."),
            ),
        ]

    def __str__(self):
        return f"{self.type} · {self.employee.name}"

    def get_file_url(self, field_name):
        return reverse("staff:certificate_scan", args=[self.pk])

    def days_to_expiry(self, today):
        return (self.expires_on - today).days if self.expires_on else None

    def is_expired(self, today):
        return bool(self.expires_on and self.expires_on < today)

    def expires_within(self, today, days):
        return bool(self.expires_on and today <= self.expires_on <= today + timedelta(days=days))
