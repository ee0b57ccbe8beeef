"""What the stores area reminds people of (stores & procurement role and the director)."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.models import Severity
from core.numbers import format_money, format_quantity
from core.reminders import Reminder, ReminderKind
from core.roles import DIRECTOR, STORES
from core.scoping import Audience
from core.texts import worded_field

from .budgets import usage
from .dashboard import levels_below_minimum
from .models import (
    Budget,
    PurchaseOrder,
    Requisition,
    RequisitionStatus,
    StockCount,
    StockLevel,
    Storeroom,
    SupplierDocument,
    SupplierStatus,
)
from .services.planning import approval_limit

BELOW_MINIMUM = ReminderKind("procurement.below_minimum", _("Items below their minimum"))


# Lazy: a reminder's note is worded when its digest is written, in the recipient's language.
_quantity = lazy(format_quantity, str)
_money = lazy(format_money, str)
_amount = lazy(lambda value: number_format(value, 2, force_grouping=True), str)
_purpose = lazy(lambda requisition: worded_field(requisition, "purpose"), str)


def items_below_minimum(day):
    """Every stock level under its minimum (items never stocked count as zero), to the
    storekeepers and the director."""
    low = levels_below_minimum(StockLevel.objects.filter(storeroom__active=True)).select_related(
        "item", "storeroom"
    )
    audience = Audience(STORES, DIRECTOR)
    for level in low:
        note = format_lazy(
            _("{quantity} {unit} left, minimum {minimum}"),
            quantity=_quantity(level.on_hand),
            unit=level.item.unit,
            minimum=_quantity(level.minimum),
        )
        add = reverse("procurement:stocklevel_add_to_plan", args=[level.pk])
        for user in audience.for_property(level.storeroom.property_id):
            yield Reminder(
                user,
                BELOW_MINIMUM,
                level,
                day,
                Severity.WARNING,
                note,
                action_url=add,
                action_label=_("Add to plan"),
            )


DOCUMENT_EXPIRING = ReminderKind("procurement.supplier_document", _("Supplier documents expiring"))


def supplier_documents_expiring(day):
    """Qualification documents of current suppliers expiring within 30 days (or expired)."""
    documents = SupplierDocument.objects.filter(
        expires_on__lte=day + timedelta(days=30),
        supplier__status__in=[SupplierStatus.APPROVED, SupplierStatus.CANDIDATE],
    ).select_related("supplier")
    # The latest document of each kind only: a renewed licence silences the old one.
    renewed = {
        (d.supplier_id, d.kind)
        for d in SupplierDocument.objects.filter(expires_on__gt=day + timedelta(days=30)).only(
            "supplier_id", "kind"
        )
    } | {
        (d.supplier_id, d.kind)
        for d in SupplierDocument.objects.filter(expires_on__isnull=True).only(
            "supplier_id", "kind"
        )
    }
    recipients = Audience(STORES, DIRECTOR).everyone()
    for document in documents:
        if (document.supplier_id, document.kind) in renewed:
            continue
        severity = Severity.DANGER if document.expires_on < day else Severity.WARNING
        for user in recipients:
            yield Reminder(
                user,
                DOCUMENT_EXPIRING,
                document,
                document.expires_on,
                severity,
                document.get_kind_display(),
            )


ORDER_OVERDUE = ReminderKind("procurement.order_overdue", _("Orders past their promised date"))


def orders_overdue(day):
    audience = Audience(STORES, DIRECTOR)
    for order in PurchaseOrder.objects.overdue(day).select_related("supplier", "storeroom"):
        note = format_lazy("{}", order.supplier)
        for user in audience.for_property(order.storeroom.property_id):
            yield Reminder(user, ORDER_OVERDUE, order, order.promised_on, Severity.DANGER, note)


COUNT_DUE = ReminderKind("procurement.count_due", _("Stock counts due today or overdue"))


def counts_due(day):
    """Count sheets still being counted on or after their day, and scheduled counts the
    daily task has not opened (it may not have run)."""
    audience = Audience(STORES, DIRECTOR)
    for count in StockCount.objects.to_count(day).select_related("storeroom"):
        severity = Severity.DANGER if count.scheduled_for < day else Severity.WARNING
        note = format_lazy("{}", count.storeroom)
        for user in audience.for_property(count.storeroom.property_id):
            yield Reminder(user, COUNT_DUE, count, count.scheduled_for, severity, note)
    for storeroom in Storeroom.objects.count_not_opened(day):
        severity = Severity.DANGER if storeroom.next_count_on < day else Severity.WARNING
        for user in audience.for_property(storeroom.property_id):
            yield Reminder(
                user,
                COUNT_DUE,
                storeroom,
                storeroom.next_count_on,
                severity,
                _("The count sheet has not been opened."),
            )


WAITING_APPROVAL = ReminderKind(
    "procurement.requisition_waiting", _("Requisitions waiting for approval over 2 days")
)


def requisitions_waiting(day):
    """Requisitions submitted more than two days ago and still undecided: to those who may
    approve them (supervisors of the stores up to the limit, the director above it)."""
    cutoff = timezone.make_aware(datetime.combine(day - timedelta(days=2), time.min))
    limit = approval_limit()
    small, large = Audience(STORES, DIRECTOR), Audience(DIRECTOR)
    for requisition in Requisition.objects.filter(
        status=RequisitionStatus.SUBMITTED, submitted_at__lt=cutoff
    ).select_related("property"):
        audience = small if requisition.amount <= limit else large
        note = format_lazy("{} · {}", _purpose(requisition), _money(requisition.amount))
        waiting = timezone.localtime(requisition.submitted_at).date()
        for user in audience.for_property(requisition.property_id):
            if user.pk == requisition.requested_by_id:
                continue
            yield Reminder(user, WAITING_APPROVAL, requisition, waiting, Severity.WARNING, note)


BUDGET_HIGH = ReminderKind("procurement.budget_used", _("Budgets past 80%"))


def budgets_past_80(day):
    """This year's budgets with 80% or more committed, spent or reserved (100%: danger)."""
    budgets = list(Budget.objects.filter(year=day.year).select_related("category", "property"))
    if not budgets:
        return
    figures = usage({budget.property_id for budget in budgets}, day.year)
    audience = Audience(STORES, DIRECTOR)
    for budget in budgets:
        used = figures.get((budget.property_id, budget.category_id))
        if used is None or used.ratio is None or used.ratio < 0.8:
            continue
        severity = Severity.DANGER if used.ratio >= 1 else Severity.WARNING
        note = format_lazy(
            # xgettext:no-python-format
            _("{percent}% used, ¥{remaining} left"),
            percent=used.percent,
            remaining=_amount(used.remaining),
        )
        for user in audience.for_property(budget.property_id):
            yield Reminder(user, BUDGET_HIGH, budget, None, severity, note)
