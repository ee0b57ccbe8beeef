"""Suppliers (供应商): who they are, what they supply, and the documents that qualify them."""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import RECORDS_FROM, date_window, validate_record_date
from core.models import HouqinModel

from ..validators import validate_credit_code
from .catalogue import ItemCategory


class SupplierStatus(models.TextChoices):
    CANDIDATE = "candidate", pgettext_lazy("supplier status", "Candidate")
    APPROVED = "approved", pgettext_lazy("supplier status", "Approved")
    SUSPENDED = "suspended", _("Suspended")
    BLACKLISTED = "blacklisted", _("Blacklisted")


class SupplierQuerySet(models.QuerySet):
    def invitable(self):
        """Those who may be asked for a quote: approved suppliers and candidates."""
        return self.filter(status__in=[SupplierStatus.APPROVED, SupplierStatus.CANDIDATE])

    def supplying(self, items):
        """Suppliers whose categories supplied cover every one of ``items`` (a queryset of
        items): each item's own category or the top-level category above it. No items, no
        condition."""
        pairs = items.order_by().values_list("category_id", "category__parent_id").distinct()
        through = Supplier.categories.through
        queryset = self
        for category_id, parent_id in pairs:
            covering = [pk for pk in (category_id, parent_id) if pk is not None]
            queryset = queryset.filter(
                Exists(
                    through.objects.filter(supplier_id=OuterRef("pk"), itemcategory_id__in=covering)
                )
            )
        return queryset


class Supplier(HouqinModel):
    """A company the department buys from; shared by all properties."""

    shared_reference = True
    objects = SupplierQuerySet.as_manager()

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, validators=[validate_credit_code]
    )
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    categories = models.ManyToManyField(
        ItemCategory, verbose_name=_("categories supplied"), blank=True, related_name="suppliers"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SupplierStatus.choices, default=SupplierStatus.CANDIDATE
    )
    status_reason = models.CharField(_("reason for the status"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.UniqueConstraint(
                Upper("credit_code"),
                name="procurement_supplier_code_unique",
                violation_error_message=_("Another supplier has this credit code."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=SupplierStatus.values),
                name="procurement_supplier_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[SupplierStatus.CANDIDATE, SupplierStatus.APPROVED])
                | ~Q(status_reason=""),
                name="procurement_supplier_blocked_has_reason",
                violation_error_message=_("Give the reason for suspending or blacklisting."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.credit_code = self.credit_code.upper()

    @property
    def can_be_ordered_from(self):
        return self.status == SupplierStatus.APPROVED


class DocumentKind(models.TextChoices):
    LICENCE = "licence", _("Business licence")
    PERMIT = "permit", _("Operating permit")
    CERTIFICATION = "certification", _("Quality certification")
    OTHER = "other", _("Other")


class SupplierDocument(HouqinModel):
    """A qualification document (营业执照, 许可证 …) with its expiry."""

    shared_reference = True

    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued"), validators=[validate_record_date])
    expires_on = models.DateField(
        _("expires"),
        null=True,
        blank=True,
        help_text=_("Empty if it never expires."),
        validators=[validate_record_date],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supplier document")
        verbose_name_plural = _("supplier documents")
        ordering = ["supplier", "expires_on"]
        indexes = [models.Index(fields=["expires_on"])]
        constraints = [
            *date_window("issued_on", "expires_on", since=RECORDS_FROM),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("issued_on")),
                name="procurement_supplierdocument_dates",
                violation_error_message=_("A document cannot expire before it is issued."),
            ),
        ]

    def __str__(self):
        return f"{self.supplier} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.supplier.get_absolute_url()
