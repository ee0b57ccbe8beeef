"""What the stores area reminds people of (stores & procurement role and the director)."""

from datetime import timedelta

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.models import Severity
from core.reminders import Reminder, ReminderKind, reminder_source
from core.scoping import Audience

from .dashboard import levels_below_minimum
from .models import PurchaseOrder, StockLevel, SupplierDocument, SupplierStatus

BELOW_MINIMUM = ReminderKind("procurement.below_minimum", _("Items below their minimum"))


@reminder_source
def items_below_minimum(day):
    """Every stock level under its minimum (items never stocked count as zero), to the
    storekeepers and the director."""
    low = levels_below_minimum(StockLevel.objects.filter(storeroom__active=True)).select_related(
        "item", "storeroom"
    )
    audience = Audience("stores", "director")
    for level in low:
        note = format_lazy(
            _("{quantity} {unit} left, minimum {minimum}"),
            quantity=level.on_hand.normalize(),
            unit=level.item.unit,
            minimum=level.minimum.normalize(),
        )
        for user in audience.for_property(level.storeroom.property_id):
            yield Reminder(user, BELOW_MINIMUM, level, day, Severity.WARNING, note)


DOCUMENT_EXPIRING = ReminderKind("procurement.supplier_document", _("Supplier documents expiring"))


@reminder_source
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
    recipients = Audience("stores", "director").everyone()
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


@reminder_source
def orders_overdue(day):
    audience = Audience("stores", "director")
    for order in PurchaseOrder.objects.overdue(day).select_related("supplier", "storeroom"):
        note = format_lazy("{}", order.supplier)
        for user in audience.for_property(order.storeroom.property_id):
            yield Reminder(user, ORDER_OVERDUE, order, order.promised_on, Severity.DANGER, note)
