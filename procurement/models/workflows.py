"""The status machines of procurement's documents (``core.workflow``): which action moves a
plan, a requisition, an order, a request for quotation, a return, an issue or a count from
which status to which, and who is offered it. The services keep their domain checks
(amounts, budgets, stock) and move the status only through these tables."""

from django.utils.translation import pgettext_lazy

from core.workflow import Transition, Workflow

from .counts import CountStatus, StockCount
from .ledger import IssueStatus, StockIssue
from .orders import OrderStatus, PurchaseOrder
from .planning import PlanStatus, PurchasePlan, Requisition, RequisitionStatus
from .sourcing import RequestForQuotation, ReturnStatus, RfqStatus, SupplierReturn

# The actions as past participles ("… cannot be approved", and the timeline's "Approved").
SUBMITTED = pgettext_lazy("workflow action", "submitted")
APPROVED = pgettext_lazy("workflow action", "approved")
CANCELLED = pgettext_lazy("workflow action", "cancelled")

P = PlanStatus
PURCHASE_PLAN = Workflow(
    PurchasePlan,
    transitions={
        "submit": Transition((P.DRAFT,), P.SUBMITTED, SUBMITTED, "procurement.change_purchaseplan"),
        "send_back": Transition(
            (P.SUBMITTED,),
            P.DRAFT,
            pgettext_lazy("workflow action", "sent back"),
            "procurement.approve_purchaseplan",
        ),
        "approve": Transition(
            (P.SUBMITTED,), P.APPROVED, APPROVED, "procurement.approve_purchaseplan"
        ),
    },
)

R = RequisitionStatus
REQUISITION = Workflow(
    Requisition,
    transitions={
        "submit": Transition((R.DRAFT,), R.SUBMITTED, SUBMITTED, "procurement.change_requisition"),
        # Who may decide also depends on the amount: services.can_approve().
        "approve": Transition(
            (R.SUBMITTED,), R.APPROVED, APPROVED, "procurement.approve_requisition"
        ),
        "reject": Transition(
            (R.SUBMITTED,),
            R.REJECTED,
            pgettext_lazy("workflow action", "rejected"),
            "procurement.approve_requisition",
        ),
        "order": Transition(
            (R.APPROVED,),
            R.ORDERED,
            pgettext_lazy("workflow action", "ordered"),
            "procurement.add_purchaseorder",
        ),
        # Its order was cancelled: the requisition is to be ordered again.
        "reopen": Transition(
            (R.ORDERED,), R.APPROVED, pgettext_lazy("workflow action", "given back")
        ),
        "cancel": Transition(
            (R.DRAFT, R.SUBMITTED, R.APPROVED),
            R.CANCELLED,
            CANCELLED,
            "procurement.change_requisition",
        ),
    },
)

PO = OrderStatus
CHANGE_ORDER = "procurement.change_purchaseorder"
RECEIVE = "procurement.add_goodsreceipt"
PURCHASE_ORDER = Workflow(
    PurchaseOrder,
    transitions={
        "approve": Transition((PO.DRAFT,), PO.APPROVED, APPROVED, CHANGE_ORDER),
        "place": Transition(
            (PO.APPROVED,), PO.ORDERED, pgettext_lazy("workflow action", "placed"), CHANGE_ORDER
        ),
        # A delivery: the order is received when nothing is left to come.
        "receive_part": Transition(
            (PO.ORDERED, PO.PARTIAL),
            PO.PARTIAL,
            pgettext_lazy("workflow action", "partly received"),
            RECEIVE,
        ),
        "receive": Transition(
            (PO.ORDERED, PO.PARTIAL),
            PO.RECEIVED,
            pgettext_lazy("workflow action", "received"),
            RECEIVE,
        ),
        "close": Transition(
            (PO.PARTIAL, PO.RECEIVED),
            PO.CLOSED,
            pgettext_lazy("workflow action", "closed"),
            CHANGE_ORDER,
        ),
        "cancel": Transition(
            (PO.DRAFT, PO.APPROVED, PO.ORDERED), PO.CANCELLED, CANCELLED, CHANGE_ORDER
        ),
    },
)

Q = RfqStatus
CHANGE_RFQ = "procurement.change_requestforquotation"
REQUEST_FOR_QUOTATION = Workflow(
    RequestForQuotation,
    transitions={
        "send": Transition(
            (Q.DRAFT,), Q.SENT, pgettext_lazy("workflow action", "sent"), CHANGE_RFQ
        ),
        "award": Transition(
            (Q.SENT,), Q.AWARDED, pgettext_lazy("workflow action", "awarded"), CHANGE_RFQ
        ),
        # The awarded order was cancelled: the quotes are open again.
        "reopen": Transition((Q.AWARDED,), Q.SENT, pgettext_lazy("workflow action", "reopened")),
        "cancel": Transition((Q.DRAFT, Q.SENT), Q.CANCELLED, CANCELLED, CHANGE_RFQ),
    },
)

SUPPLIER_RETURN = Workflow(
    SupplierReturn,
    transitions={
        "mark_returned": Transition(
            (ReturnStatus.PENDING,),
            ReturnStatus.RETURNED,
            pgettext_lazy("workflow action", "returned"),
            "procurement.change_supplierreturn",
        ),
    },
)

STOCK_ISSUE = Workflow(
    StockIssue,
    transitions={
        "issue": Transition(
            (IssueStatus.DRAFT,),
            IssueStatus.ISSUED,
            pgettext_lazy("workflow action", "issued"),
            "procurement.change_stockissue",
        ),
    },
)

C = CountStatus
STOCK_COUNT = Workflow(
    StockCount,
    transitions={
        "submit": Transition((C.OPEN,), C.SUBMITTED, SUBMITTED, "procurement.change_stockcount"),
        # Variances within the limit post on submission; above it the director approves.
        "post": Transition((C.SUBMITTED,), C.POSTED, pgettext_lazy("workflow action", "posted")),
        "approve": Transition((C.SUBMITTED,), C.POSTED, APPROVED, "procurement.approve_stockcount"),
        "cancel": Transition(
            (C.OPEN, C.SUBMITTED), C.CANCELLED, CANCELLED, "procurement.change_stockcount"
        ),
    },
)
