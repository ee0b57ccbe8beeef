"""What procurement offers the rest of the site (core.registry): declared here, and only here."""

from django.utils.translation import gettext_lazy as _

from core.autocomplete import Source
from core.navigation import NavLink
from core.registry import declare

from . import calendar, dashboard, demo, period, reminders, search, work
from .models import Item, Supplier

declare(
    "procurement",
    nav_links=[
        NavLink(
            _("Stock on hand"), "procurement:stockbalance_list", "procurement.view_stockbalance"
        ),
        NavLink(_("Stock issues"), "procurement:stockissue_list", "procurement.view_stockissue"),
        NavLink(
            _("Stock ledger"),
            "procurement:stockmovement_list",
            "procurement.view_stockmovement",
        ),
        NavLink(_("Stock counts"), "procurement:stockcount_list", "procurement.view_stockcount"),
        NavLink(_("Requisitions"), "procurement:requisition_list", "procurement.view_requisition"),
        NavLink(
            _("Purchase plans"),
            "procurement:purchaseplan_list",
            "procurement.view_purchaseplan",
        ),
        NavLink(
            _("Requests for quotation"),
            "procurement:requestforquotation_list",
            "procurement.view_requestforquotation",
        ),
        NavLink(
            _("Purchase orders"),
            "procurement:purchaseorder_list",
            "procurement.view_purchaseorder",
        ),
        NavLink(
            _("Goods receipts"),
            "procurement:goodsreceipt_list",
            "procurement.view_goodsreceipt",
        ),
        NavLink(
            _("Returns to suppliers"),
            "procurement:supplierreturn_list",
            "procurement.view_supplierreturn",
        ),
        NavLink(_("Suppliers"), "procurement:supplier_list", "procurement.view_supplier"),
        NavLink(_("Budgets"), "procurement:budget_list", "procurement.view_budget"),
        NavLink(_("Reports"), "procurement:reports", "procurement.view_stockbalance"),
        NavLink(_("Items"), "procurement:item_list", "procurement.view_item"),
        NavLink(
            _("Item categories"),
            "procurement:itemcategory_list",
            "procurement.view_itemcategory",
        ),
        NavLink(_("Storerooms"), "procurement:storeroom_list", "procurement.view_storeroom"),
        NavLink(_("Stock levels"), "procurement:stocklevel_list", "procurement.view_stocklevel"),
    ],
    dashboard=[dashboard.stock_figures],
    reminders=[
        reminders.items_below_minimum,
        reminders.supplier_documents_expiring,
        reminders.orders_overdue,
        reminders.counts_due,
        reminders.requisitions_waiting,
        reminders.budgets_past_80,
    ],
    work_items=[
        work.counts_to_do,
        work.counts_not_opened,
        work.requisitions_to_approve,
        work.plans_to_approve,
        work.orders_to_approve,
        work.variances_to_approve,
    ],
    calendar=[
        calendar.counts,
        calendar.deliveries,
        calendar.supplier_documents,
    ],
    search=[
        search.documents,
        search.items,
        search.suppliers,
    ],
    period_figures=[
        period.month_figures,
    ],
    demo=demo.seed,
    autocomplete=[
        # Technicians pick the parts they issue to a work order without seeing the catalogue.
        Source(
            "procurement.item",
            Item,
            search_fields=("code", "name", "specification"),
            label=lambda item: f"{item.code} {item}",
            order_by=("code",),
            permissions=("procurement.view_item", "facilities.work_on_workorder"),
        ),
        Source("procurement.supplier", Supplier, search_fields=("name", "contact")),
    ],
)
