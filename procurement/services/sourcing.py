"""Requests for quotation (询价比价), orders from requisitions, returns to suppliers."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workflow import save_with_history

from ..models import (
    REQUEST_FOR_QUOTATION,
    REQUISITION,
    SUPPLIER_RETURN,
    Item,
    PurchaseOrder,
    PurchaseOrderLine,
    Quotation,
    QuotationLine,
    RequestForQuotation,
    RequisitionStatus,
    RfqLine,
    RfqStatus,
    SupplierStatus,
)
from .stock import CENT, MAX_VALUE


def _locked_requisition(requisition):
    requisition = REQUISITION.lock(requisition, "property")
    if requisition.status != RequisitionStatus.APPROVED:
        raise ValidationError(_("Only an approved requisition can be ordered or quoted."))
    return requisition


def _locked_rfq(rfq):
    return REQUEST_FOR_QUOTATION.lock(rfq, "property")


def _check_storeroom(storeroom, property_id):
    if storeroom.property_id != property_id or not storeroom.active:
        raise ValidationError(_("Deliver to an active storeroom of the same property."))


def _create_order(supplier, storeroom, promised_on, lines, *, by, requisition=None, rfq=None):
    if supplier.status != SupplierStatus.APPROVED:
        raise ValidationError(_("Orders go only to approved suppliers."))
    if promised_on < timezone.localdate():
        raise ValidationError(_("The promised delivery cannot be in the past."))
    order = PurchaseOrder(
        supplier=supplier,
        storeroom=storeroom,
        promised_on=promised_on,
        requisition=requisition,
        rfq=rfq,
        note=str(requisition or rfq or ""),
    )
    save_with_history(order, by)
    standards = dict(
        Item.objects.filter(pk__in=[item_id for item_id, _q, _p in lines]).values_list(
            "pk", "standard_price"
        )
    )
    PurchaseOrderLine.objects.bulk_create(
        PurchaseOrderLine(
            order=order,
            item_id=item_id,
            quantity=quantity,
            unit_price=price,
            standard_price=standards[item_id],
        )
        for item_id, quantity, price in lines
    )
    return order


@transaction.atomic
def order_from_requisition(requisition, *, supplier, storeroom, promised_on, by):
    """A draft order with the requisition's lines at their estimated prices (editable
    before approval); the requisition is then ordered."""
    requisition = _locked_requisition(requisition)
    if requisition.rfqs.exclude(status=RfqStatus.CANCELLED).exists():
        raise ValidationError(_("This requisition is out for quotation: award the RFQ."))
    _check_storeroom(storeroom, requisition.property_id)
    lines = [
        (line.item_id, line.quantity, line.estimated_price) for line in requisition.lines.all()
    ]
    order = _create_order(supplier, storeroom, promised_on, lines, by=by, requisition=requisition)
    REQUISITION.step(requisition, "order", by=by, text=str(order))
    return order


@transaction.atomic
def rfq_from_requisition(requisition, *, by, reply_by, suppliers=(), title=""):
    """A draft request for quotation with the requisition's lines, asking ``suppliers``
    (approved or candidates; whoever chooses them decides whether they supply the items)."""
    requisition = _locked_requisition(requisition)
    if requisition.rfqs.exclude(status=RfqStatus.CANCELLED).exists():
        raise ValidationError(_("This requisition already has a request for quotation."))
    if reply_by < timezone.localdate():
        raise ValidationError(_("Quotes cannot be due in the past."))
    suppliers = list(suppliers)
    if any(
        supplier.status not in (SupplierStatus.APPROVED, SupplierStatus.CANDIDATE)
        for supplier in suppliers
    ):
        raise ValidationError(_("Suspended or blacklisted suppliers are not asked for quotes."))
    rfq = RequestForQuotation(
        property=requisition.property,
        requisition=requisition,
        title=title or requisition.purpose,
        reply_by=reply_by,
    )
    save_with_history(rfq, by)
    RfqLine.objects.bulk_create(
        RfqLine(rfq=rfq, item_id=line.item_id, quantity=line.quantity)
        for line in requisition.lines.all()
    )
    if suppliers:
        rfq.suppliers.add(*suppliers)
    return rfq


def minimum_quotes():
    return settings.PROCUREMENT_MIN_QUOTES


@transaction.atomic
def send_rfq(rfq, *, by):
    rfq = _locked_rfq(rfq)
    REQUEST_FOR_QUOTATION.check(rfq, "send")
    if not rfq.lines.exists():
        raise ValidationError(_("Add at least one line before sending."))
    asked = rfq.suppliers.exclude(status=SupplierStatus.BLACKLISTED).count()
    if not asked:
        raise ValidationError(
            _("Choose the suppliers to ask (at least %(count)d) before sending.")
            % {"count": minimum_quotes()}
        )
    if asked < minimum_quotes():
        raise ValidationError(
            _("Ask at least %(count)d suppliers (%(asked)d chosen).")
            % {"count": minimum_quotes(), "asked": asked}
        )
    return REQUEST_FOR_QUOTATION.step(rfq, "send", by=by)


@transaction.atomic
def record_quotation(
    rfq, supplier, prices, *, by, received_on=None, valid_until=None, lead_days=7, note=""
):
    """Record (or correct) one supplier's quote: ``prices`` maps every RFQ line to its unit
    price."""
    rfq = _locked_rfq(rfq)
    if rfq.status != RfqStatus.SENT:
        raise ValidationError(_("Quotes are recorded while the request is out."))
    if not rfq.suppliers.filter(pk=supplier.pk).exists():
        raise ValidationError(_("This supplier was not asked."))
    lines = {line.pk: line for line in rfq.lines.all()}
    prices = {getattr(key, "pk", key): value for key, value in prices.items()}
    if set(prices) != set(lines) or any(value is None for value in prices.values()):
        raise ValidationError(_("Give a price for every line."))
    if received_on and received_on > timezone.localdate():
        raise ValidationError(_("A quote cannot be received in the future."))
    total = Decimal(0)
    for line_id, price in prices.items():
        price = Decimal(price)
        if not price.is_finite() or price < 0 or price != price.quantize(CENT):
            raise ValidationError(_("Prices are zero or more, with at most two decimals."))
        total += lines[line_id].quantity * price
    if total >= MAX_VALUE:
        raise ValidationError(_("The total is beyond what can be recorded: check the prices."))
    quotation, _created = Quotation.objects.update_or_create(
        rfq=rfq,
        supplier=supplier,
        defaults={
            "received_on": received_on or timezone.localdate(),
            "valid_until": valid_until,
            "lead_days": lead_days,
            "note": note,
            "total": total.quantize(CENT),
            "recorded_by": by,
        },
    )
    quotation.lines.all().delete()
    QuotationLine.objects.bulk_create(
        QuotationLine(quotation=quotation, rfq_line_id=line_id, unit_price=Decimal(price))
        for line_id, price in prices.items()
    )
    return quotation


@transaction.atomic
def award_rfq(rfq, quotation, *, by, storeroom, reason=""):
    """Choose a quote: a draft order at its prices goes to that supplier. Choosing other
    than the cheapest, or with fewer quotes than the minimum, needs a written reason."""
    rfq = _locked_rfq(rfq)
    REQUEST_FOR_QUOTATION.check(rfq, "award")
    if quotation.rfq_id != rfq.pk:
        raise ValidationError(_("This quote answers another request."))
    if quotation.valid_until and quotation.valid_until < timezone.localdate():
        raise ValidationError(_("This quote has expired: ask the supplier to confirm it."))
    _check_storeroom(storeroom, rfq.property_id)
    quotations = list(rfq.quotations.all())
    cheapest = min(quote.total for quote in quotations)
    reason = reason.strip()
    if quotation.total > cheapest and not reason:
        raise ValidationError(_("This is not the cheapest quote: give the reason for choosing it."))
    if len(quotations) < minimum_quotes() and not reason:
        raise ValidationError(
            _("Fewer than %(count)d quotes: give the reason for deciding now.")
            % {"count": minimum_quotes()}
        )
    prices = {line.rfq_line_id: line.unit_price for line in quotation.lines.all()}
    lines = [(line.item_id, line.quantity, prices[line.pk]) for line in rfq.lines.all()]
    promised_on = timezone.localdate() + timedelta(days=quotation.lead_days)
    requisition = rfq.requisition
    order = _create_order(
        quotation.supplier, storeroom, promised_on, lines, by=by, requisition=requisition, rfq=rfq
    )
    REQUEST_FOR_QUOTATION.step(
        rfq,
        "award",
        by=by,
        text="\n".join(filter(None, [str(quotation.supplier), reason])),
        awarded_to=quotation.supplier,
        award_reason=reason,
    )
    if requisition is not None:
        requisition = REQUISITION.lock(requisition.pk)
        if requisition.status != RequisitionStatus.ORDERED:
            REQUISITION.step(requisition, "order", by=by, text=str(order))
    return order


@transaction.atomic
def cancel_rfq(rfq, *, by, reason):
    rfq = _locked_rfq(rfq)
    REQUEST_FOR_QUOTATION.check(rfq, "cancel")
    if not reason.strip():
        raise ValidationError(_("Give the reason for cancelling."))
    return REQUEST_FOR_QUOTATION.step(
        rfq, "cancel", by=by, text=reason.strip(), cancel_reason=reason.strip()
    )


@transaction.atomic
def mark_returned(supplier_return, *, by, returned_on=None, carrier=""):
    """The rejected goods have left with the supplier. Twice changes nothing."""
    supplier_return = SUPPLIER_RETURN.lock(supplier_return, "receipt")
    SUPPLIER_RETURN.check(supplier_return, "mark_returned")
    returned_on = returned_on or timezone.localdate()
    if returned_on > timezone.localdate() or returned_on < supplier_return.receipt.received_on:
        raise ValidationError(_("The return date lies between the receipt and today."))
    return SUPPLIER_RETURN.step(
        supplier_return,
        "mark_returned",
        by=by,
        text=carrier.strip(),
        returned_on=returned_on,
        carrier=carrier.strip(),
        returned_by=by,
    )
