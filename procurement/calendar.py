"""What the stores put on the calendar (and the iCal feed): stock counts (opened sheets on
their day, and each storeroom's next scheduled count), deliveries promised by suppliers, and
supplier documents expiring. A few queries per call, whatever the number of entries."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.registry import CalendarEvent
from core.scoping import scope_queryset

from .models import (
    OPEN_FOR_RECEIPT,
    CountStatus,
    PurchaseOrder,
    StockCount,
    Storeroom,
    SupplierDocument,
    SupplierStatus,
)

AREA = "procurement"


def counts(user, start, end):
    if not user.has_perm("procurement.view_stockcount"):
        return []
    today = timezone.localdate()
    sheets = scope_queryset(
        StockCount.objects.filter(scheduled_for__gte=start, scheduled_for__lt=end)
        .exclude(status=CountStatus.CANCELLED)
        .select_related("storeroom__property"),
        user,
    )
    events = [
        CalendarEvent(
            uid=f"procurement.stockcount.{count.pk}",
            area=AREA,
            kind=_("Stock count"),
            title=count.storeroom.name,
            start=count.scheduled_for,
            url=count.get_absolute_url(),
            group="counts",
            property_code=count.storeroom.property.code,
            severity="danger"
            if count.status == CountStatus.OPEN and count.scheduled_for < today
            else "",
            detail=f"{count} · {count.get_status_display()}",
            done=count.status == CountStatus.POSTED,
        )
        for count in sheets
    ]
    scheduled = scope_queryset(
        Storeroom.objects.filter(
            active=True, count_every_months__gt=0, next_count_on__gte=start, next_count_on__lt=end
        ).select_related("property"),
        user,
    )
    events += [
        CalendarEvent(
            uid=f"procurement.storeroom.{room.pk}.count.{room.next_count_on:%Y%m%d}",
            area=AREA,
            kind=_("Stock count scheduled"),
            title=room.name,
            start=room.next_count_on,
            url=room.get_absolute_url(),
            group="counts",
            property_code=room.property.code,
        )
        for room in scheduled
    ]
    return events


def deliveries(user, start, end):
    """Orders placed and not yet fully received, on the day the supplier promised."""
    if not user.has_perm("procurement.view_purchaseorder"):
        return []
    today = timezone.localdate()
    orders = scope_queryset(
        PurchaseOrder.objects.filter(
            status__in=OPEN_FOR_RECEIPT, promised_on__gte=start, promised_on__lt=end
        ).select_related("supplier", "storeroom__property"),
        user,
    )
    return [
        CalendarEvent(
            uid=f"procurement.purchaseorder.{order.pk}.delivery",
            area=AREA,
            kind=_("Delivery promised"),
            title=f"{order} · {order.supplier.name}",
            start=order.promised_on,
            url=order.get_absolute_url(),
            group="deliveries",
            property_code=order.storeroom.property.code,
            severity="danger" if order.promised_on < today else "",
            detail=order.storeroom.name,
        )
        for order in orders
    ]


def supplier_documents(user, start, end):
    """Qualification documents of current suppliers (shared by all properties) expiring."""
    if not user.has_perm("procurement.view_supplier"):
        return []
    documents = SupplierDocument.objects.filter(
        expires_on__gte=start,
        expires_on__lt=end,
        supplier__status__in=[SupplierStatus.APPROVED, SupplierStatus.CANDIDATE],
    ).select_related("supplier")
    return [
        CalendarEvent(
            uid=f"procurement.supplierdocument.{document.pk}.expiry",
            area=AREA,
            kind=_("Supplier document expires"),
            title=f"{document.supplier.name} · {document.get_kind_display()}",
            start=document.expires_on,
            url=document.supplier.get_absolute_url(),
            group="expiries",
            detail=document.number,
        )
        for document in documents
    ]
