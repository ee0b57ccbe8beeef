"""What may be bought and who said yes: budgets (预算), purchase plans (采购计划) and
requisitions (请购)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import date_window, validate_sane_date
from core.models import HouqinModel, Property
from core.texts import key_field, params_field

from .catalogue import MONEY, QUANTITY, Item, ItemCategory

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def _user(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )


class Budget(HouqinModel):
    """The year's money for one top-level category of one property. What is committed,
    spent and left is computed from orders, receipts and approved requisitions
    (``procurement.budgets``), never typed in."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    category = models.ForeignKey(
        ItemCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="budgets",
        help_text=_("A top-level category: its sub-categories count towards it."),
    )
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(0)])
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "property__code", "category__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "year", "category"],
                name="procurement_budget_unique",
                violation_error_message=_(
                    "This property already has a budget for this category and year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="procurement_budget_amount",
                violation_error_message=_("A budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="procurement_budget_year"
            ),
        ]

    def __str__(self):
        code = self.property.code if self.property_id else ""
        return f"{code} {self.year} {self.category}"

    def clean(self):
        super().clean()
        if self.category_id and self.category.parent_id:
            raise ValidationError({"category": _("Budgets are set on top-level categories.")})


class PlanPeriod(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", pgettext_lazy("document status", "Approved")


class PurchasePlanQuerySet(models.QuerySet):
    def awaiting_approval_by(self, user):
        """Submitted plans ``user`` may approve: with the permission, never their own."""
        if not user.has_perm("procurement.approve_purchaseplan"):
            return self.none()
        plans = self.filter(status=PlanStatus.SUBMITTED)
        return plans if user.is_superuser else plans.exclude(submitted_by=user)


class PurchasePlan(HouqinModel):
    """采购计划: what a property means to buy in a month or a quarter, line by line with the
    reasons. Approved, its lines become one approved requisition."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="plans"
    )
    period = models.CharField(
        _("period"), max_length=10, choices=PlanPeriod.choices, default=PlanPeriod.MONTH
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    number = models.PositiveSmallIntegerField(
        _("month or quarter"),
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1–12 for a month, 1–4 for a quarter."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    return_reason = models.CharField(_("reason for sending back"), max_length=200, blank=True)
    submitted_by = _user(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    approved_by = _user(_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = PurchasePlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase plan")
        verbose_name_plural = _("purchase plans")
        ordering = ["-year", "-number", "property__code"]
        permissions = [("approve_purchaseplan", _("Can approve purchase plans"))]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "year", "period", "number"],
                name="procurement_plan_unique",
                violation_error_message=_("This property already has a plan for this period."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1)
                & (Q(number__lte=4) | Q(period=PlanPeriod.MONTH, number__lte=12)),
                name="procurement_plan_number",
                violation_error_message=_("A month is 1–12, a quarter 1–4."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="procurement_plan_status_valid"
            ),
        ]

    def __str__(self):
        code = self.property.code if self.property_id else ""
        if self.period == PlanPeriod.QUARTER:
            return f"{code} {self.year}-Q{self.number}"
        return f"{code} {self.year}-{self.number:02d}"

    def clean(self):
        super().clean()
        if self.period == PlanPeriod.QUARTER and self.number and self.number > 4:
            raise ValidationError({"number": _("A month is 1–12, a quarter 1–4.")})


class PurchasePlanLine(models.Model):
    plan = models.ForeignKey(
        PurchasePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lines"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="plan_lines"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY, validators=[MinValueValidator(0)])
    estimated_price = models.DecimalField(
        _("estimated price"), **MONEY, validators=[MinValueValidator(0)]
    )
    reason = models.CharField(_("reason"), max_length=200)
    # A reason the app suggested ("below minimum"), worded for each reader (core.texts).
    reason_key = key_field()
    reason_params = params_field()

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["plan", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(estimated_price__gte=0),
                name="procurement_planline_amounts",
                violation_error_message=_("Quantities are above zero."),
            ),
            models.UniqueConstraint(
                fields=["plan", "item"],
                name="procurement_planline_once",
                violation_error_message=_("This item is already in the plan."),
            ),
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity}"


class RequisitionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", pgettext_lazy("document status", "Approved")
    REJECTED = "rejected", pgettext_lazy("document status", "Rejected")
    ORDERED = "ordered", _("Ordered")
    CANCELLED = "cancelled", _("Cancelled")


class RequisitionQuerySet(models.QuerySet):
    def awaiting_approval_by(self, user):
        """Submitted requisitions ``user`` may decide (the rule of
        ``services.planning.can_approve``): up to ``PROCUREMENT_SUPERVISOR_LIMIT`` with the
        approval permission, above it with the director's as well; never their own."""
        if not user.has_perm("procurement.approve_requisition"):
            return self.none()
        requisitions = self.filter(status=RequisitionStatus.SUBMITTED)
        if not user.is_superuser:
            requisitions = requisitions.exclude(requested_by=user)
        if not user.has_perm("procurement.approve_large_requisition"):
            limit = Decimal(settings.PROCUREMENT_SUPERVISOR_LIMIT)
            requisitions = requisitions.filter(amount__lte=limit)
        return requisitions

    def with_amount(self):
        """Each requisition's ``lines_amount``, summed in a subquery: a filter or a search on
        the lines (a join) does not multiply it."""
        lines = (
            RequisitionLine.objects.filter(requisition=OuterRef("pk"))
            .order_by()
            .values("requisition")
            .annotate(total=Sum(F("quantity") * F("estimated_price")))
            .values("total")
        )
        return self.annotate(
            lines_amount=Subquery(lines, output_field=models.DecimalField(**MONEY))
        )


class Requisition(HouqinModel):
    """请购: a department asks for goods (perhaps for a work order). Approved by amount
    (supervisor up to ``PROCUREMENT_SUPERVISOR_LIMIT``, the director above), with the budget
    of its property and categories checked on the way."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="requisitions"
    )
    department = models.ForeignKey(
        "staff.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requisitions",
    )
    work_order_ref = models.CharField(_("work order"), max_length=30, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200)
    # A purpose the app wrote (the plan it comes from), worded for each reader (core.texts).
    purpose_key = key_field()
    purpose_params = params_field()
    needed_by = models.DateField(
        _("needed by"), null=True, blank=True, validators=[validate_sane_date]
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequisitionStatus.choices,
        default=RequisitionStatus.DRAFT,
    )
    # Fixed when submitted: the amount the approval threshold is judged on.
    amount = models.DecimalField(_("amount"), **MONEY, default=0, editable=False)
    budget_warning = models.TextField(_("budget warning"), blank=True, editable=False)
    # One line per category over budget: its facts, worded for each reader (core.texts).
    budget_warning_key = key_field()
    budget_warning_params = params_field()
    decision_note = models.CharField(
        _("reason for rejecting or cancelling"), max_length=200, blank=True
    )
    plan = models.OneToOneField(
        PurchasePlan,
        verbose_name=_("purchase plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requisition",
        editable=False,
    )
    requested_by = _user(_("requested by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    approved_by = _user(_("decided by"))
    approved_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = RequisitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["-created_at"], name="procurement_req_newest_idx"),
            models.Index(fields=["status", "submitted_at"]),
        ]
        permissions = [
            ("approve_requisition", _("Can approve requisitions up to the supervisor limit")),
            ("approve_large_requisition", _("Can approve requisitions above the supervisor limit")),
        ]
        constraints = [
            *date_window("needed_by"),
            models.CheckConstraint(
                condition=Q(status__in=RequisitionStatus.values),
                name="procurement_requisition_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequisitionStatus.REJECTED) | ~Q(decision_note=""),
                name="procurement_requisition_reject_reason",
                violation_error_message=_("Give the reason for rejecting."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="procurement_requisition_amount"
            ),
        ]

    def __str__(self):
        return f"REQ-{self.pk:06d}" if self.pk else str(_("New requisition"))


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(
        Requisition, verbose_name=_("requisition"), on_delete=models.CASCADE, related_name="lines"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="requisition_lines"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY, validators=[MinValueValidator(0)])
    estimated_price = models.DecimalField(
        _("estimated price"), **MONEY, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    note_key = key_field()
    note_params = params_field()

    class Meta:
        verbose_name = _("requisition line")
        verbose_name_plural = _("requisition lines")
        ordering = ["requisition", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(estimated_price__gte=0),
                name="procurement_reqline_amounts",
                violation_error_message=_("Quantities are above zero."),
            ),
            models.UniqueConstraint(
                fields=["requisition", "item"],
                name="procurement_reqline_once",
                violation_error_message=_("This item is already on the requisition."),
            ),
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity}"

    @property
    def amount(self):
        return self.quantity * self.estimated_price
