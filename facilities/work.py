"""What facilities puts on My work: orders assigned to the person or waiting to be taken,
orders to verify, and inspection rounds to walk. One query per source (``core.work``)."""

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.registry import WorkAction, WorkItem
from core.scoping import scope_queryset
from core.work import WorkSource

from .models import InspectionRound, Priority, WorkOrder, WorkOrderStatus

WORK_ON = "facilities.work_on_workorder"
VERIFY = "facilities.verify_workorder"
AREA = "facilities"
ORDERS, ROUNDS, VERIFICATION = "work_orders", "rounds", "verification"
STARTABLE = (WorkOrderStatus.NEW, WorkOrderStatus.ASSIGNED)


def employee_of(user):
    """The user's employee record, or None (read once per request, then cached)."""
    try:
        return user.employee
    except ObjectDoesNotExist:
        return None


def _orders(user):
    return scope_queryset(
        WorkOrder.objects.select_related("equipment", "location", "property"), user
    )


def _order_item(order, kind, *, group=ORDERS, group_label=None, actions=()):
    severity = ""
    if order.priority == Priority.URGENT:
        severity = "danger"
    elif order.priority == Priority.HIGH:
        severity = "warning"
    where = " ".join(
        part
        for part in (
            order.equipment and f"{order.equipment.asset_code} {order.equipment.name}",
            order.location and order.location.full_name,
        )
        if part
    )
    detail = " · ".join(
        str(part) for part in (order.number, order.get_status_display(), where) if part
    )
    return WorkItem(
        area=AREA,
        kind=kind,
        title=order.display_title,
        url=order.get_absolute_url(),
        due=order.resolve_by or order.due_on,
        severity=severity,
        detail=detail,
        property_code=order.property.code,
        group=group,
        group_label=group_label or _("Work orders"),
        actions=actions,
    )


def _start(order, label, icon="play-fill"):
    return WorkAction(
        label, reverse("facilities:workorder_start", args=[order.pk]), "btn-primary", icon
    )


def _assigned(user, day):
    if not user.has_perm(WORK_ON):
        return None
    return _orders(user).open().for_user(user).by_urgency()


def _assigned_item(order, user):
    actions = (_start(order, _("Start")),) if order.status in STARTABLE else ()
    return _order_item(order, _("Assigned to you"), actions=actions)


def _to_take(user, day):
    if not user.has_perm(WORK_ON):
        return None
    return _orders(user).to_take().by_urgency()


def _to_take_item(order, user):
    employee = employee_of(user)
    # Starting an order nobody has gives it to whoever starts it, if they work there.
    can_take = employee is not None and employee.property_id == order.property_id
    take = pgettext_lazy("work order", "Take")
    actions = (_start(order, take, "hand-index"),) if can_take else ()
    return _order_item(order, _("New, not yet taken"), actions=actions)


def _to_verify(user, day):
    if not user.has_perm(VERIFY):
        return None
    return _orders(user).to_verify(user).order_by("completed_at", "pk")


def _to_verify_item(order, user):
    return _order_item(
        order,
        _("Completed, to verify"),
        group=VERIFICATION,
        group_label=_("Work orders to verify"),
    )


def _rounds(user, day):
    if not user.has_perm("facilities.change_inspectionround"):
        return None
    return scope_queryset(
        InspectionRound.objects.to_walk(user, day)
        .select_related("route__property")
        .order_by("due_on", "route__name", "pk"),
        user,
    )


def _round_item(round_, user):
    return WorkItem(
        area=AREA,
        kind=_("Inspection round to walk"),
        title=round_.route.name,
        url=round_.get_absolute_url(),
        due=round_.due_on,
        detail=round_.route.property.name,
        property_code=round_.route.property.code,
        group=ROUNDS,
        group_label=_("Inspection rounds"),
    )


assigned_orders = WorkSource(_assigned, _assigned_item, list_url="facilities:workorder_list")
orders_to_take = WorkSource(_to_take, _to_take_item, limit=20, list_url="facilities:workorder_list")
orders_to_verify = WorkSource(_to_verify, _to_verify_item, list_url="facilities:workorder_list")
rounds_to_walk = WorkSource(
    _rounds, _round_item, limit=20, list_url="facilities:inspectionround_list"
)
