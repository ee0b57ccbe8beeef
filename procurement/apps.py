from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_count_schedule(**kwargs):
    from django.conf import settings

    from core.schedules import ensure_daily_task

    ensure_daily_task(
        "procurement.tasks.open_due_counts_task",
        "Open stock counts due / 开启到期盘点",
        "Opens each storeroom's count sheet on its due day. 每天按计划开启仓库盘点单。",
        hour=settings.PROCUREMENT_COUNT_HOUR,
    )


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement & stores")

    def ready(self):
        from core.navigation import NavLink, register_links

        from . import dashboard  # noqa: F401  (registers the area's figures)

        post_migrate.connect(
            ensure_count_schedule, sender=self, dispatch_uid="procurement.count_schedule"
        )

        register_links(
            "procurement",
            NavLink(
                _("Stock on hand"), "procurement:stockbalance_list", "procurement.view_stockbalance"
            ),
            NavLink(
                _("Stock issues"), "procurement:stockissue_list", "procurement.view_stockissue"
            ),
            NavLink(
                _("Stock ledger"),
                "procurement:stockmovement_list",
                "procurement.view_stockmovement",
            ),
            NavLink(
                _("Stock counts"), "procurement:stockcount_list", "procurement.view_stockcount"
            ),
            NavLink(
                _("Requisitions"), "procurement:requisition_list", "procurement.view_requisition"
            ),
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
            NavLink(
                _("Stock levels"), "procurement:stocklevel_list", "procurement.view_stocklevel"
            ),
        )
