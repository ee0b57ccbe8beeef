"""Departments, positions (岗位) and what each position requires."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import HouqinModel


class Department(HouqinModel):
    """A team of the logistics department (工程部, 保洁部, 安保部 …), shared by all properties."""

    shared_reference = True

    name = models.CharField(_("name"), max_length=60, unique=True)
    description = models.CharField(_("description"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Position(HouqinModel):
    """岗位: a job, with the certificates whoever holds it must have."""

    shared_reference = True

    name = models.CharField(_("name"), max_length=60, unique=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    required_certificate_types = models.ManyToManyField(
        "staff.CertificateType",
        verbose_name=_("required certificates"),
        blank=True,
        related_name="required_by",
    )
    required_courses = models.ManyToManyField(
        "staff.Course",
        verbose_name=_("required training"),
        blank=True,
        related_name="required_by",
    )
    description = models.TextField(_("duties"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["department__name", "name"]

    def __str__(self):
        return self.name
