from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement & stores")

    def ready(self):
        from core.navigation import NavLink, register_links

        from . import dashboard  # noqa: F401  (registers the area's figures)

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
                _("Purchase orders"),
                "procurement:purchaseorder_list",
                "procurement.view_purchaseorder",
            ),
            NavLink(
                _("Goods receipts"),
                "procurement:goodsreceipt_list",
                "procurement.view_goodsreceipt",
            ),
            NavLink(_("Suppliers"), "procurement:supplier_list", "procurement.view_supplier"),
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
