"""What the stores put on My work: counts to do, and what waits for the person's approval
(requisitions by amount, purchase plans, purchase orders, count variances). One query per
source (``core.work``)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from core.registry import WorkItem
from core.scoping import scope_queryset
from core.texts import worded_field
from core.work import WorkSource

from .models import PurchaseOrder, PurchasePlan, Requisition, StockCount, Storeroom

AREA = "procurement"
COUNTS, APPROVALS = "counts", "approvals"
# A requisition waiting longer than this is late (the reminders' rule as well).
DECIDE_WITHIN = timedelta(days=2)


def money(amount):
    return "¥" + number_format(amount, 2, force_grouping=True)


def _item(kind, title, url, *, group, due=None, detail="", property_=None, severity=""):
    return WorkItem(
        area=AREA,
        kind=kind,
        title=title,
        url=url,
        due=due,
        severity=severity,
        detail=detail,
        property_code=property_.code if property_ else "",
        group=group,
        group_label=_("Stock counts") if group == COUNTS else _("Approvals"),
    )


def _counts(user, day):
    if not user.has_perm("procurement.change_stockcount"):
        return None
    return scope_queryset(
        StockCount.objects.to_count(day)
        .select_related("storeroom__property")
        .order_by("scheduled_for", "pk"),
        user,
    )


def _count_item(count, user):
    return _item(
        _("Stock count to do"),
        count.storeroom.name,
        reverse("procurement:stockcount_enter", args=[count.pk]),
        group=COUNTS,
        due=count.scheduled_for,
        detail=str(count),
        property_=count.storeroom.property,
    )


def _unopened(user, day):
    if not user.has_perm("procurement.add_stockcount"):
        return None
    return scope_queryset(
        Storeroom.objects.count_not_opened(day)
        .select_related("property")
        .order_by("next_count_on", "pk"),
        user,
    )


def _unopened_item(storeroom, user):
    return _item(
        _("Count sheet not opened"),
        storeroom.name,
        storeroom.get_absolute_url(),
        group=COUNTS,
        due=storeroom.next_count_on,
        detail=_("The count sheet has not been opened."),
        property_=storeroom.property,
    )


def _requisitions(user, day):
    if not user.has_perm("procurement.approve_requisition"):
        return None
    return scope_queryset(
        Requisition.objects.awaiting_approval_by(user)
        .select_related("property")
        .order_by("submitted_at", "pk"),
        user,
    )


def _requisition_item(requisition, user):
    submitted = requisition.submitted_at or requisition.created_at
    return _item(
        _("Requisition to approve"),
        worded_field(requisition, "purpose"),
        requisition.get_absolute_url(),
        group=APPROVALS,
        due=timezone.localdate(submitted + DECIDE_WITHIN),
        detail=f"{requisition} · {money(requisition.amount)}",
        property_=requisition.property,
    )


def _plans(user, day):
    if not user.has_perm("procurement.approve_purchaseplan"):
        return None
    return scope_queryset(
        PurchasePlan.objects.awaiting_approval_by(user)
        .select_related("property")
        .order_by("submitted_at", "pk"),
        user,
    )


def _plan_item(plan, user):
    return _item(
        _("Purchase plan to approve"),
        str(plan),
        plan.get_absolute_url(),
        group=APPROVALS,
        detail=plan.note,
        property_=plan.property,
    )


def _orders(user, day):
    if not user.has_perm("procurement.change_purchaseorder"):
        return None
    return scope_queryset(
        PurchaseOrder.objects.awaiting_approval()
        .select_related("supplier", "storeroom__property")
        .order_by("promised_on", "pk"),
        user,
    )


def _order_item(order, user):
    return _item(
        _("Purchase order to approve"),
        f"{order} · {order.supplier.name}",
        order.get_absolute_url(),
        group=APPROVALS,
        detail=_("Delivery promised for %(day)s")
        % {"day": date_format(order.promised_on, "SHORT_DATE_FORMAT")},
        property_=order.storeroom.property,
    )


def _variances(user, day):
    if not user.has_perm("procurement.approve_stockcount"):
        return None
    return scope_queryset(
        StockCount.objects.awaiting_approval()
        .select_related("storeroom__property")
        .order_by("submitted_at", "pk"),
        user,
    )


def _variance_item(count, user):
    return _item(
        _("Count variances to approve"),
        f"{count} · {count.storeroom.name}",
        count.get_absolute_url(),
        group=APPROVALS,
        detail=_("Variances %(value)s") % {"value": money(count.variance_abs_value)},
        property_=count.storeroom.property,
        severity="warning",
    )


counts_to_do = WorkSource(_counts, _count_item, list_url="procurement:stockcount_list")
counts_not_opened = WorkSource(_unopened, _unopened_item, list_url="procurement:storeroom_list")
requisitions_to_approve = WorkSource(
    _requisitions, _requisition_item, list_url="procurement:requisition_list"
)
plans_to_approve = WorkSource(_plans, _plan_item, list_url="procurement:purchaseplan_list")
orders_to_approve = WorkSource(_orders, _order_item, list_url="procurement:purchaseorder_list")
variances_to_approve = WorkSource(
    _variances, _variance_item, list_url="procurement:stockcount_list"
)
