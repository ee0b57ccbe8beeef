"""Procurement's documents (core.documents): purchase order, goods receipt, stock issue,
stock count sheet and count variance report, requisition. Each prints as a page and as a
PDF, with the permission and property scoping of the record's detail page."""

from django.utils.translation import gettext_lazy as _

from core.texts import worded_field
from core.views.documents import ObjectDocumentView

from ..models import CountStatus, GoodsReceipt, PurchaseOrder, Requisition, StockCount, StockIssue


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


class PurchaseOrderDocument(ObjectDocumentView):
    """采购订单: for the supplier, signed by who prepared and approved it."""

    model = PurchaseOrder
    title = _("Purchase order")
    template_name = "procurement/documents/purchaseorder.html"
    related = ("supplier", "approved_by", "requisition", "storeroom")

    def get_document_context(self):
        order = self.object
        lines = list(order.lines.select_related("item"))
        for line in lines:
            line.amount = line.quantity * line.unit_price
        supplier = order.supplier
        return {
            "fields": [
                (_("Supplier"), supplier.name),
                (_("Unified social credit code"), supplier.credit_code),
                (_("Contact"), " ".join(filter(None, [supplier.contact, supplier.phone]))),
                (_("Supplier address"), supplier.address),
                (_("Deliver to"), f"{order.storeroom} · {order.storeroom.property}"),
                (_("Promised delivery"), order.promised_on),
                (_("Order date"), order.ordered_at or order.approved_at or order.created_at),
                (_("Status"), order.get_status_display()),
                (_("Requisition"), order.requisition or ""),
                (_("Note"), order.note),
            ],
            "lines": lines,
            "total": sum((line.amount for line in lines), 0),
            "signatures": [
                (_("Prepared by"), ""),
                (_("Approved by"), _name(order.approved_by)),
                (_("Supplier's confirmation (seal)"), ""),
            ],
        }


class GoodsReceiptDocument(ObjectDocumentView):
    """验收入库单: what came, what passed inspection, what went back, at the order's prices."""

    model = GoodsReceipt
    title = _("Goods receipt")
    template_name = "procurement/documents/goodsreceipt.html"
    related = ("order__supplier", "order__storeroom", "posted_by")

    def get_document_context(self):
        receipt = self.object
        lines = list(receipt.lines.select_related("order_line__item"))
        for line in lines:
            line.amount = line.accepted * line.order_line.unit_price
        order = receipt.order
        return {
            "fields": [
                (_("Supplier"), order.supplier.name),
                (_("Purchase order"), order),
                (_("Storeroom"), order.storeroom),
                (_("Received on"), receipt.received_on),
                (_("Posted"), receipt.posted_at),
                (_("Note"), receipt.note),
            ],
            "lines": lines,
            "total": sum((line.amount for line in lines), 0),
            "signatures": [
                (_("Delivered by (supplier)"), ""),
                (_("Inspected by"), ""),
                (_("Received into stock by"), _name(receipt.posted_by)),
            ],
        }


class StockIssueDocument(ObjectDocumentView):
    """领用单: goods handed out, signed by who issued and who received them."""

    model = StockIssue
    title = _("Stock issue")
    template_name = "procurement/documents/stockissue.html"
    related = ("department", "employee", "issued_by")

    def get_document_context(self):
        issue = self.object
        return {
            "fields": [
                (_("Storeroom"), issue.storeroom),
                (_("Department"), issue.department),
                (_("Received by"), issue.employee),
                (_("Work order"), issue.work_order_ref),
                (_("Issued"), issue.issued_at),
                (_("Status"), issue.get_status_display()),
                (_("Purpose"), issue.purpose, True),
            ],
            "lines": list(issue.lines.select_related("item")),
            "signatures": [
                (_("Issued by"), _name(issue.issued_by)),
                (_("Received by"), issue.employee.name if issue.employee else ""),
                (_("Approved by"), ""),
            ],
        }


class StockCountSheetDocument(ObjectDocumentView):
    """盘点表: the lines to count by hand, with the book quantities unless the count is blind
    and still open."""

    model = StockCount
    title = _("Stock count sheet")
    template_name = "procurement/documents/stockcount_sheet.html"
    related = ("submitted_by",)

    def get_document_context(self):
        count = self.object
        return {
            "fields": [
                (_("Storeroom"), count.storeroom),
                (_("Scheduled for"), count.scheduled_for),
                (_("Snapshot taken"), count.snapshot_at),
                (_("Blind count"), _("Yes") if count.blind else _("No")),
            ],
            "lines": list(count.lines.select_related("item")),
            "hide_book": count.blind and count.status == CountStatus.OPEN,
            "signatures": [(_("Counted by"), ""), (_("Checked by"), ""), (_("Storekeeper"), "")],
        }


class StockCountVarianceDocument(ObjectDocumentView):
    """盘点差异表: each line's variance in quantity and value, with its reason, and the net
    and absolute variance in figures and capitals."""

    model = StockCount
    title = _("Count variance report")
    template_name = "procurement/documents/stockcount_variances.html"
    related = ("submitted_by", "approved_by")

    def get_number(self):
        return f"{self.object}-V"

    def get_document_context(self):
        count = self.object
        lines = [
            line
            for line in count.lines.select_related("item")
            if line.variance is not None and line.variance != 0
        ]
        net = sum((line.variance_value for line in lines), 0)
        return {
            "fields": [
                (_("Storeroom"), count.storeroom),
                (_("Scheduled for"), count.scheduled_for),
                (_("Status"), count.get_status_display()),
                (_("Submitted"), count.submitted_at),
                (_("Lines counted"), count.lines_counted),
                (_("Lines without variance"), count.lines_matching),
            ],
            "lines": lines,
            "net": net,
            "absolute": sum((abs(line.variance_value) for line in lines), 0),
            "signatures": [
                (_("Submitted by"), _name(count.submitted_by)),
                (_("Approved by"), _name(count.approved_by)),
                (_("Finance"), ""),
            ],
        }


class RequisitionDocument(ObjectDocumentView):
    """请购单: what a department asks for, at estimated prices, signed on the way up."""

    model = Requisition
    title = _("Requisition")
    template_name = "procurement/documents/requisition.html"
    related = ("department", "requested_by", "approved_by")

    def get_document_context(self):
        requisition = self.object
        lines = list(requisition.lines.select_related("item"))
        return {
            "fields": [
                (_("Department"), requisition.department),
                (_("Needed by"), requisition.needed_by),
                (_("Work order"), requisition.work_order_ref),
                (_("Submitted"), requisition.submitted_at),
                (_("Status"), requisition.get_status_display()),
                (_("Decided"), requisition.approved_at),
                (_("Purpose"), worded_field(requisition, "purpose"), True),
            ],
            "lines": lines,
            "total": sum((line.amount for line in lines), 0),
            "signatures": [
                (_("Requested by"), _name(requisition.requested_by)),
                (_("Department head"), ""),
                (_("Approved by"), _name(requisition.approved_by)),
            ],
        }
