from django.urls import path

from core.urlhelpers import crud_urls
from core.views import AreaView

from .views import orders, stock, suppliers

app_name = "procurement"

urlpatterns = [
    path("", AreaView.as_view(area="procurement"), name="index"),
    *crud_urls(
        "orders",
        orders.PurchaseOrderListView,
        orders.PurchaseOrderDetailView,
        orders.PurchaseOrderEditView,
        orders.PurchaseOrderDeleteView,
    ),
    path(
        "orders/<int:pk>/approve/", orders.ApproveOrderView.as_view(), name="purchaseorder_approve"
    ),
    path("orders/<int:pk>/place/", orders.PlaceOrderView.as_view(), name="purchaseorder_place"),
    path("orders/<int:pk>/cancel/", orders.CancelOrderView.as_view(), name="purchaseorder_cancel"),
    path("orders/<int:pk>/close/", orders.CloseOrderView.as_view(), name="purchaseorder_close"),
    path("orders/<int:pk>/receive/", orders.ReceiveView.as_view(), name="purchaseorder_receive"),
    path("receipts/", orders.GoodsReceiptListView.as_view(), name="goodsreceipt_list"),
    path("receipts/<int:pk>/", orders.GoodsReceiptDetailView.as_view(), name="goodsreceipt_detail"),
    *crud_urls(
        "suppliers",
        suppliers.SupplierListView,
        suppliers.SupplierDetailView,
        suppliers.SupplierEditView,
        suppliers.SupplierDeleteView,
    ),
    path("stock/", stock.StockOnHandView.as_view(), name="stockbalance_list"),
    path("stock/operation/", stock.StockOperationView.as_view(), name="stock_operation"),
    path("stock/transfer/", stock.TransferView.as_view(), name="stock_transfer"),
    path("movements/", stock.StockMovementListView.as_view(), name="stockmovement_list"),
    path(
        "movements/<int:pk>/", stock.StockMovementDetailView.as_view(), name="stockmovement_detail"
    ),
    *crud_urls(
        "issues",
        stock.StockIssueListView,
        stock.StockIssueDetailView,
        stock.StockIssueEditView,
        stock.StockIssueDeleteView,
    ),
    path("issues/<int:pk>/post/", stock.PostIssueView.as_view(), name="stockissue_post"),
    *crud_urls(
        "items", stock.ItemListView, stock.ItemDetailView, stock.ItemEditView, stock.ItemDeleteView
    ),
    *crud_urls(
        "categories",
        stock.ItemCategoryListView,
        stock.ItemCategoryDetailView,
        stock.ItemCategoryEditView,
        stock.ItemCategoryDeleteView,
    ),
    *crud_urls(
        "storerooms",
        stock.StoreroomListView,
        stock.StoreroomDetailView,
        stock.StoreroomEditView,
        stock.StoreroomDeleteView,
    ),
    *crud_urls(
        "stock-levels",
        stock.StockLevelListView,
        stock.StockLevelDetailView,
        stock.StockLevelEditView,
        stock.StockLevelDeleteView,
    ),
]
