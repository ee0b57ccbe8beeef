"""Stock operations. Every change of stock goes through ``post_movement``, which locks the
balance row, refuses to go below zero, keeps the moving-average value, and writes the ledger
line in the same transaction: the ledger and the balances always agree.

Other apps (facilities issuing parts to a work order) call ``issue_items``; procurement never
imports them.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    OPEN_FOR_RECEIPT,
    GoodsReceipt,
    GoodsReceiptLine,
    IssueStatus,
    MovementKind,
    OrderStatus,
    PurchaseOrder,
    StockBalance,
    StockIssue,
    StockMovement,
    SupplierStatus,
)

CENT = Decimal("0.01")
INCOMING = (
    MovementKind.OPENING,
    MovementKind.RECEIPT,
    MovementKind.RETURN,
    MovementKind.TRANSFER_IN,
)


def _locked_balance(item, storeroom):
    """The balance row, locked for this transaction (created at zero the first time)."""
    try:
        with transaction.atomic():
            StockBalance.objects.get_or_create(item=item, storeroom=storeroom)
    except IntegrityError:  # created meanwhile by another transaction: fine
        pass
    return StockBalance.objects.select_for_update().get(item=item, storeroom=storeroom)


@transaction.atomic
def post_movement(
    item,
    storeroom,
    quantity,
    kind,
    *,
    by,
    unit_cost=None,
    reference="",
    department=None,
    employee=None,
    work_order_ref="",
    note="",
):
    """Move ``quantity`` (positive in, negative out) of ``item`` in ``storeroom``.

    Goods coming in carry their ``unit_cost`` (default: the current average, or the item's
    standard price); goods going out leave at the moving-average cost.
    """
    quantity = Decimal(quantity)
    if not quantity.is_finite() or quantity == 0:
        raise ValidationError(_("Give a quantity other than zero."))
    balance = _locked_balance(item, storeroom)
    new_quantity = balance.quantity + quantity
    if new_quantity < 0:
        raise ValidationError(
            _("Only %(available)s %(unit)s of %(item)s are in %(storeroom)s.")
            % {
                "available": balance.quantity.normalize(),
                "unit": item.unit,
                "item": item,
                "storeroom": storeroom,
            }
        )
    average = balance.average_cost
    if quantity > 0:
        cost = (
            Decimal(unit_cost)
            if unit_cost is not None
            else (average if average is not None else item.standard_price)
        )
        if not cost.is_finite() or cost < 0:
            raise ValidationError(_("A unit cost cannot be negative."))
        value = (quantity * cost).quantize(CENT, ROUND_HALF_UP)
    else:
        cost = average or Decimal(0)
        # The last units out take whatever value is left, so no rounding dust remains.
        value = (
            -balance.value if new_quantity == 0 else (quantity * cost).quantize(CENT, ROUND_HALF_UP)
        )
    balance.quantity, balance.value = new_quantity, max(balance.value + value, Decimal(0))
    balance.save(update_fields=["quantity", "value", "updated_at"])
    return StockMovement.objects.create(
        item=item,
        storeroom=storeroom,
        kind=kind,
        quantity=quantity,
        unit_cost=cost,
        value=value,
        balance_after=new_quantity,
        reference=reference,
        department=department,
        employee=employee,
        work_order_ref=work_order_ref,
        note=note,
        by=by,
    )


@transaction.atomic
def issue_items(
    storeroom,
    lines,
    *,
    by,
    department=None,
    employee=None,
    work_order_ref="",
    reference="",
    note="",
):
    """Issue several items at once (``lines``: item → quantity), all or none.

    Balances are locked in item order, so two issues of the same items never deadlock.
    """
    movements, problems = [], []
    for item, quantity in sorted(lines.items(), key=lambda pair: pair[0].pk):
        try:
            with transaction.atomic():
                movements.append(
                    post_movement(
                        item,
                        storeroom,
                        -Decimal(quantity),
                        MovementKind.ISSUE,
                        by=by,
                        reference=reference,
                        department=department,
                        employee=employee,
                        work_order_ref=work_order_ref,
                        note=note,
                    )
                )
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError(problems)
    return movements


@transaction.atomic
def post_issue(issue, *, by):
    """Hand out a draft issue's lines. Submitting it twice changes nothing the second time."""
    issue = StockIssue.objects.select_for_update().select_related("storeroom").get(pk=issue.pk)
    if issue.status != IssueStatus.DRAFT:
        raise ValidationError(_("This issue has already been handled."))
    lines = {line.item: line.quantity for line in issue.lines.select_related("item")}
    if not lines:
        raise ValidationError(_("Add at least one line before issuing."))
    issue_items(
        issue.storeroom,
        lines,
        by=by,
        department=issue.department,
        employee=issue.employee,
        work_order_ref=issue.work_order_ref,
        reference=str(issue),
        note=issue.purpose,
    )
    issue.status, issue.issued_at, issue.issued_by = IssueStatus.ISSUED, timezone.now(), by
    issue._history_user = by
    issue.save(update_fields=["status", "issued_at", "issued_by", "updated_at"])
    return issue


@transaction.atomic
def return_items(storeroom, item, quantity, *, by, reference="", note=""):
    """Goods coming back from a department: they re-enter at the current average cost."""
    return post_movement(
        item,
        storeroom,
        Decimal(quantity),
        MovementKind.RETURN,
        by=by,
        reference=reference,
        note=note,
    )


@transaction.atomic
def adjust(storeroom, item, quantity, *, by, reason, unit_cost=None):
    """A correction with its reason (breakage, found stock …), positive or negative."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the adjustment."))
    return post_movement(
        item,
        storeroom,
        Decimal(quantity),
        MovementKind.ADJUSTMENT,
        by=by,
        unit_cost=unit_cost,
        note=reason,
    )


@transaction.atomic
def transfer(item, source, target, quantity, *, by, note=""):
    """Move stock between two storerooms at its average cost."""
    if source.pk == target.pk:
        raise ValidationError(_("Choose two different storerooms."))
    for storeroom in sorted((source, target), key=lambda room: room.pk):
        _locked_balance(item, storeroom)  # always in the same order: no deadlock
    out = post_movement(
        item,
        source,
        -Decimal(quantity),
        MovementKind.TRANSFER_OUT,
        by=by,
        reference=str(target),
        note=note,
    )
    into = post_movement(
        item,
        target,
        Decimal(quantity),
        MovementKind.TRANSFER_IN,
        by=by,
        unit_cost=out.unit_cost,
        reference=str(source),
        note=note,
    )
    return out, into


# --- orders and receipts --------------------------------------------------------------------


def _order_for_update(order):
    return PurchaseOrder.objects.select_for_update().select_related("supplier").get(pk=order.pk)


@transaction.atomic
def approve_order(order, *, by):
    order = _order_for_update(order)
    if order.status != OrderStatus.DRAFT:
        raise ValidationError(_("Only a draft order can be approved."))
    if not order.lines.exists():
        raise ValidationError(_("Add at least one line before approving."))
    if order.supplier.status != SupplierStatus.APPROVED:
        raise ValidationError(_("Orders go only to approved suppliers."))
    order.status, order.approved_by, order.approved_at = OrderStatus.APPROVED, by, timezone.now()
    order._history_user = by
    order.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return order


@transaction.atomic
def place_order(order, *, by):
    order = _order_for_update(order)
    if order.status != OrderStatus.APPROVED:
        raise ValidationError(_("Only an approved order can be placed with the supplier."))
    order.status, order.ordered_at = OrderStatus.ORDERED, timezone.now()
    order._history_user = by
    order.save(update_fields=["status", "ordered_at", "updated_at"])
    return order


@transaction.atomic
def cancel_order(order, *, by, reason):
    order = _order_for_update(order)
    if order.status not in (OrderStatus.DRAFT, OrderStatus.APPROVED, OrderStatus.ORDERED):
        raise ValidationError(_("An order with deliveries cannot be cancelled; close it."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for cancelling."))
    order.status, order.cancel_reason = OrderStatus.CANCELLED, reason.strip()
    order._history_user = by
    order.save(update_fields=["status", "cancel_reason", "updated_at"])
    return order


@transaction.atomic
def close_order(order, *, by):
    order = _order_for_update(order)
    if order.status not in (OrderStatus.RECEIVED, OrderStatus.PARTIAL):
        raise ValidationError(_("Only an order with deliveries can be closed."))
    order.status = OrderStatus.CLOSED
    order._history_user = by
    order.save(update_fields=["status", "updated_at"])
    return order


@transaction.atomic
def receive(order, lines, *, by, token, received_on=None, note=""):
    """Check in a delivery: ``lines`` maps order lines to (received, accepted, reason).

    Accepted goods enter stock at the order price; rejected ones stay out, with their reason,
    for the return to the supplier. Over-receipt is refused. The same submission (``token``)
    sent twice changes nothing the second time.
    """
    existing = GoodsReceipt.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    order = _order_for_update(order)
    if order.status not in OPEN_FOR_RECEIPT:
        raise ValidationError(_("Goods can be received only on a placed order."))
    order_lines = {line.pk: line for line in order.lines.select_for_update().select_related("item")}
    receipt = GoodsReceipt(
        order=order,
        token=token,
        note=note,
        posted_at=timezone.now(),
        posted_by=by,
        received_on=received_on or timezone.localdate(),
    )
    receipt._history_user = by
    receipt.save()
    problems, posted = [], 0
    for line_id, (received, accepted, reason) in lines.items():
        line = order_lines.get(getattr(line_id, "pk", line_id))
        if line is None or not received:
            continue
        received, accepted = Decimal(received), Decimal(accepted)
        if received > line.outstanding:
            problems.append(
                _("%(item)s: only %(left)s still to come.")
                % {"item": line.item, "left": line.outstanding.normalize()}
            )
            continue
        if not 0 <= accepted <= received:
            problems.append(
                _("%(item)s: accepted must be between 0 and the quantity received.")
                % {"item": line.item}
            )
            continue
        if accepted < received and not reason.strip():
            problems.append(_("%(item)s: give the reason for rejecting.") % {"item": line.item})
            continue
        GoodsReceiptLine.objects.create(
            receipt=receipt,
            order_line=line,
            received=received,
            accepted=accepted,
            rejection_reason=reason.strip(),
        )
        line.received += received
        line.accepted += accepted
        line.save(update_fields=["received", "accepted"])
        if accepted:
            post_movement(
                line.item,
                order.storeroom,
                accepted,
                MovementKind.RECEIPT,
                by=by,
                unit_cost=line.unit_price,
                reference=str(receipt),
            )
        posted += 1
    if problems:
        raise ValidationError(problems)
    if not posted:
        raise ValidationError(_("Enter at least one quantity received."))
    done = all(line.received >= line.quantity for line in order_lines.values())
    order.status = OrderStatus.RECEIVED if done else OrderStatus.PARTIAL
    order._history_user = by
    order.save(update_fields=["status", "updated_at"])
    return receipt, True
