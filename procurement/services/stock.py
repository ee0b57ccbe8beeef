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

from core.texts import stored
from core.workflow import save_with_history

from ..models import (
    PURCHASE_ORDER,
    REQUEST_FOR_QUOTATION,
    REQUISITION,
    STOCK_ISSUE,
    GoodsReceipt,
    GoodsReceiptLine,
    MovementKind,
    OrderStatus,
    StockBalance,
    StockMovement,
    SupplierReturn,
    SupplierReturnLine,
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


# What the ledger's columns can hold (QUANTITY 12,3 and MONEY 14,2), with room to spare.
MAX_QUANTITY = Decimal("100000000")
MAX_VALUE = Decimal("1000000000000")
THOUSANDTH = Decimal("0.001")


def _clean_quantity(quantity):
    quantity = Decimal(quantity)
    if not quantity.is_finite() or quantity == 0:
        raise ValidationError(_("Give a quantity other than zero."))
    if quantity != quantity.quantize(THOUSANDTH) or abs(quantity) >= MAX_QUANTITY:
        raise ValidationError(
            _("Quantities have at most three decimals and stay below 100,000,000.")
        )
    return quantity


def _positive(quantity):
    quantity = _clean_quantity(quantity)
    if quantity < 0:
        raise ValidationError(_("Give a positive quantity."))
    return quantity


@transaction.atomic
def post_movement(
    item,
    storeroom,
    quantity,
    kind,
    *,
    by,
    unit_cost=None,
    value=None,
    reference="",
    department=None,
    employee=None,
    work_order_ref="",
    note="",
    note_key="",
    note_params=None,
):
    """Move ``quantity`` (positive in, negative out) of ``item`` in ``storeroom``.

    Goods coming in carry their ``unit_cost`` (default: the current average, or the item's
    standard price) or an exact ``value`` (a transfer carries what left the other room);
    goods going out take their share of the balance's value, so the balance never holds
    rounding dust and the ledger always adds up to it. ``note`` is what a person wrote; a
    note the app writes is a message (``note_key``, ``note_params``: ``core.texts``), with
    ``note`` its facts for search.
    """
    note_key, note_params = stored(note_key, note_params)
    quantity = _clean_quantity(quantity)
    balance = _locked_balance(item, storeroom)
    new_quantity = balance.quantity + quantity
    if new_quantity < 0:
        raise ValidationError(
            _("Only %(available)s %(unit)s of %(item)s are in %(storeroom)s.")
            % {
                "available": f"{balance.quantity.normalize():f}",
                "unit": item.unit,
                "item": item,
                "storeroom": storeroom,
            }
        )
    if quantity > 0:
        if value is not None:
            value = Decimal(value).quantize(CENT, ROUND_HALF_UP)
            cost = (value / quantity).quantize(CENT, ROUND_HALF_UP)
        else:
            cost = (
                Decimal(unit_cost)
                if unit_cost is not None
                else (balance.average_cost if balance.quantity else item.standard_price)
            )
            value = (quantity * cost).quantize(CENT, ROUND_HALF_UP) if cost.is_finite() else cost
        if not cost.is_finite() or cost < 0 or value < 0:
            raise ValidationError(_("A unit cost cannot be negative."))
    else:
        # The units leaving take their proportional share of the value held.
        value = -(balance.value * -quantity / balance.quantity).quantize(CENT, ROUND_HALF_UP)
        cost = (-value / -quantity).quantize(CENT, ROUND_HALF_UP)
    if new_quantity >= MAX_QUANTITY or abs(balance.value + value) >= MAX_VALUE:
        raise ValidationError(
            _("This would take the stock of %(item)s beyond what the ledger can hold.")
            % {"item": item}
        )
    balance.quantity, balance.value = new_quantity, balance.value + value
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
        note=note[:200],
        note_key=note_key,
        note_params=note_params,
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
    note_key="",
    note_params=None,
):
    """Issue several items at once (``lines``: item → quantity), all or none.

    Balances are locked in item order, so two issues of the same items never deadlock.
    """
    movements, problems = [], []
    lines = {item: _positive(quantity) for item, quantity in lines.items()}
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
                        note_key=note_key,
                        note_params=note_params,
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
    issue = STOCK_ISSUE.lock(issue, "storeroom")
    STOCK_ISSUE.check(issue, "issue")
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
    return STOCK_ISSUE.step(issue, "issue", by=by, issued_at=timezone.now(), issued_by=by)


@transaction.atomic
def return_items(storeroom, item, quantity, *, by, reference="", note=""):
    """Goods coming back from a department: they re-enter at the current average cost."""
    return post_movement(
        item,
        storeroom,
        _positive(quantity),
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
    """Move stock between two storerooms; the value that leaves one arrives in the other."""
    quantity = _positive(quantity)
    if source.pk == target.pk:
        raise ValidationError(_("Choose two different storerooms."))
    for storeroom in sorted((source, target), key=lambda room: room.pk):
        _locked_balance(item, storeroom)  # always in the same order: no deadlock
    out = post_movement(
        item,
        source,
        -quantity,
        MovementKind.TRANSFER_OUT,
        by=by,
        reference=str(target),
        note=note,
    )
    into = post_movement(
        item,
        target,
        quantity,
        MovementKind.TRANSFER_IN,
        by=by,
        value=-out.value,
        reference=str(source),
        note=note,
    )
    return out, into


# --- orders and receipts --------------------------------------------------------------------


def _order_for_update(order):
    return PURCHASE_ORDER.lock(order, "supplier", "storeroom")


@transaction.atomic
def approve_order(order, *, by):
    order = _order_for_update(order)
    PURCHASE_ORDER.check(order, "approve")
    if not order.lines.exists():
        raise ValidationError(_("Add at least one line before approving."))
    if order.supplier.status != SupplierStatus.APPROVED:
        raise ValidationError(_("Orders go only to approved suppliers."))
    return PURCHASE_ORDER.step(order, "approve", by=by, approved_by=by, approved_at=timezone.now())


@transaction.atomic
def place_order(order, *, by):
    order = _order_for_update(order)
    return PURCHASE_ORDER.step(order, "place", by=by, ordered_at=timezone.now())


@transaction.atomic
def cancel_order(order, *, by, reason):
    order = _order_for_update(order)
    if order.status in (OrderStatus.PARTIAL, OrderStatus.RECEIVED):
        raise ValidationError(_("An order with deliveries cannot be cancelled; close it."))
    PURCHASE_ORDER.check(order, "cancel")
    if not reason.strip():
        raise ValidationError(_("Give the reason for cancelling."))
    PURCHASE_ORDER.step(order, "cancel", by=by, text=reason.strip(), cancel_reason=reason.strip())
    _release_sources(order, by=by)
    return order


def _release_sources(order, *, by):
    """A cancelled order gives its requisition back (approved, to be ordered again) and
    reopens the award of its request for quotation."""
    from ..models import RequisitionStatus, RfqStatus

    if order.rfq_id:
        rfq = REQUEST_FOR_QUOTATION.lock(order.rfq_id)
        if rfq.status == RfqStatus.AWARDED:
            REQUEST_FOR_QUOTATION.step(
                rfq, "reopen", by=by, text=str(order), awarded_to=None, award_reason=""
            )
    if order.requisition_id:
        requisition = REQUISITION.lock(order.requisition_id)
        still_ordered = requisition.orders.exclude(status=OrderStatus.CANCELLED).exists()
        if requisition.status == RequisitionStatus.ORDERED and not still_ordered:
            REQUISITION.step(requisition, "reopen", by=by, text=str(order))


@transaction.atomic
def close_order(order, *, by):
    order = _order_for_update(order)
    return PURCHASE_ORDER.step(order, "close", by=by)


@transaction.atomic
def receive(order, lines, *, by, token, received_on=None, note=""):
    """Check in a delivery: ``lines`` maps order lines to (received, accepted, reason).

    Accepted goods enter stock at the order price; rejected ones stay out, with their reason,
    for the return to the supplier. Over-receipt is refused. The same submission (``token``)
    sent twice changes nothing the second time.
    """
    order = _order_for_update(order)
    # Under the order's lock: a second submission of the same form waits, then finds this.
    existing = GoodsReceipt.objects.filter(token=token, order=order).first()
    if existing is not None:
        return existing, False
    if GoodsReceipt.objects.filter(token=token).exists():
        raise ValidationError(_("This form belongs to another order; open it again."))
    PURCHASE_ORDER.check(order, "receive")
    received_on = received_on or timezone.localdate()
    placed_on = timezone.localtime(order.ordered_at).date() if order.ordered_at else None
    if received_on > timezone.localdate() or (placed_on and received_on < placed_on):
        raise ValidationError(_("The delivery date must lie between the order date and today."))
    order_lines = {
        line.pk: line for line in order.lines.select_for_update(of=("self",)).select_related("item")
    }
    # Balances are locked in item order, like issues, so the two never deadlock.
    lines = dict(
        sorted(
            lines.items(),
            key=lambda pair: (
                order_lines.get(getattr(pair[0], "pk", pair[0]), pair[0]).item_id
                if getattr(pair[0], "pk", pair[0]) in order_lines
                else 0
            ),
        )
    )
    receipt = GoodsReceipt(
        order=order,
        token=token,
        note=note,
        posted_at=timezone.now(),
        posted_by=by,
        received_on=received_on,
    )
    save_with_history(receipt, by)
    problems, posted, rejected = [], 0, []
    for line_id, (received, accepted, reason) in lines.items():
        line = order_lines.get(getattr(line_id, "pk", line_id))
        if line is None or not received:
            continue
        received, accepted = Decimal(received), Decimal(accepted)
        if received != received.quantize(THOUSANDTH) or accepted != accepted.quantize(THOUSANDTH):
            problems.append(_("%(item)s: at most three decimals.") % {"item": line.item})
            continue
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
        receipt_line = GoodsReceiptLine.objects.create(
            receipt=receipt,
            order_line=line,
            received=received,
            accepted=accepted,
            rejection_reason=reason.strip(),
        )
        if accepted < received:
            rejected.append(receipt_line)
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
    if rejected:
        # The rejected goods go back: the return to the supplier is written with the receipt.
        supplier_return = SupplierReturn(receipt=receipt, supplier=order.supplier)
        save_with_history(supplier_return, by)
        SupplierReturnLine.objects.bulk_create(
            SupplierReturnLine(
                supplier_return=supplier_return,
                receipt_line=line,
                quantity=line.received - line.accepted,
                reason=line.rejection_reason,
            )
            for line in rejected
        )
    done = all(line.received >= line.quantity for line in order_lines.values())
    PURCHASE_ORDER.step(order, "receive" if done else "receive_part", by=by, text=str(receipt))
    return receipt, True
