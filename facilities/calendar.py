"""What facilities puts on the calendar (and the iCal feed): preventive maintenance (orders by
their due day, and the days plans fall due from today on), open repairs at their resolution
target, and warranty and inspection-certificate expiries. A few queries per call, whatever the
number of entries."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import day_bounds
from core.registry import CalendarEvent
from core.scoping import scope_queryset

from .models import (
    DONE_STATUSES,
    Equipment,
    EquipmentStatus,
    MaintenancePlan,
    WorkOrder,
    WorkOrderKind,
    WorkOrderStatus,
)

AREA = "facilities"
MAINTENANCE = "maintenance"


def _label(equipment, title):
    return f"{equipment.asset_code} {title}" if equipment else title


def maintenance(user, start, end):
    """Facilities' maintenance calendar (``?group=maintenance``): the preventive orders due in
    the window, done or not, and the dates active plans fall due (from today on: a date gone
    by without its order is the generator's to catch up)."""
    if not user.has_perm("facilities.view_maintenanceplan"):
        return []
    today = timezone.localdate()
    events, ordered = [], set()
    if user.has_perm("facilities.view_workorder"):
        orders = scope_queryset(
            WorkOrder.objects.filter(
                kind=WorkOrderKind.PREVENTIVE, due_on__gte=start, due_on__lt=end
            )
            .exclude(status=WorkOrderStatus.CANCELLED)
            .select_related("equipment", "property"),
            user,
        )
        for order in orders:
            ordered.add((order.plan_id, order.due_on))
            done = order.status in DONE_STATUSES
            events.append(
                CalendarEvent(
                    uid=f"facilities.workorder.{order.pk}",
                    area=AREA,
                    kind=_("Maintenance due"),
                    title=_label(order.equipment, order.display_title),
                    start=order.due_on,
                    url=order.get_absolute_url(),
                    group=MAINTENANCE,
                    property_code=order.property.code,
                    severity="danger" if not done and order.due_on < today else "",
                    detail=f"{order.number} · {order.get_status_display()}",
                    done=done,
                )
            )
    plans = scope_queryset(
        MaintenancePlan.objects.active()
        .filter(next_due__lt=end)
        .select_related("equipment__property"),
        user,
    )
    for plan in plans:
        try:
            for due in plan.upcoming(since=max(start, today)):
                if due >= end:
                    break
                if (plan.pk, due) in ordered:
                    continue
                events.append(
                    CalendarEvent(
                        uid=f"facilities.plan.{plan.pk}.{due:%Y%m%d}",
                        area=AREA,
                        kind=_("Maintenance planned"),
                        title=_label(plan.equipment, plan.title),
                        start=due,
                        url=plan.get_absolute_url(),
                        group=MAINTENANCE,
                        property_code=plan.equipment.property.code,
                        detail=plan.describe_schedule(),
                    )
                )
        except (ValueError, OverflowError):  # a schedule running past the last valid date
            continue
    return events


def open_repairs(user, start, end):
    """Repairs and inspections still open, at the moment their resolution target falls."""
    if not user.has_perm("facilities.view_workorder"):
        return []
    now = timezone.now()
    first, last = day_bounds(start, end)
    orders = scope_queryset(
        WorkOrder.objects.open()
        .exclude(kind=WorkOrderKind.PREVENTIVE)
        .filter(resolve_by__gte=first, resolve_by__lt=last)
        .select_related("equipment", "property"),
        user,
    )
    return [
        CalendarEvent(
            uid=f"facilities.workorder.{order.pk}",
            area=AREA,
            kind=_("Work order to resolve"),
            title=_label(order.equipment, order.display_title),
            start=order.resolve_by,
            url=order.get_absolute_url(),
            group="work_orders",
            property_code=order.property.code,
            severity="danger" if order.resolve_by < now else "",
            detail=f"{order.number} · {order.get_priority_display()}",
        )
        for order in orders
    ]


def expiries(user, start, end):
    """Warranties ending and statutory inspection certificates expiring (equipment in use)."""
    if not user.has_perm("facilities.view_equipment"):
        return []
    window = {"gte": start, "lt": end}
    equipment = scope_queryset(
        Equipment.objects.exclude(status=EquipmentStatus.RETIRED)
        .filter(
            Q(**{f"warranty_ends_on__{k}": v for k, v in window.items()})
            | Q(**{f"certificate_expires_on__{k}": v for k, v in window.items()})
        )
        .select_related("property"),
        user,
    )
    events = []
    for piece in equipment:
        for field, suffix, kind, severity in (
            ("warranty_ends_on", "warranty", _("Warranty ends"), ""),
            (
                "certificate_expires_on",
                "certificate",
                _("Inspection certificate expires"),
                "danger",
            ),
        ):
            day = getattr(piece, field)
            if day is not None and start <= day < end:
                events.append(
                    CalendarEvent(
                        uid=f"facilities.equipment.{piece.pk}.{suffix}",
                        area=AREA,
                        kind=kind,
                        title=str(piece),
                        start=day,
                        url=piece.get_absolute_url(),
                        group="expiries",
                        property_code=piece.property.code,
                        severity=severity,
                        detail=piece.registration_number if suffix == "certificate" else "",
                    )
                )
    return events
