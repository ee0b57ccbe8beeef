from django.urls import path

from core.urlhelpers import crud_urls, document_urls
from core.views import AreaView

from .views import counts, documents, orders, planning, reports, sourcing, stock, suppliers

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
    *document_urls("orders/<int:pk>", documents.PurchaseOrderDocument),
    *document_urls("receipts/<int:pk>", documents.GoodsReceiptDocument),
    *document_urls("issues/<int:pk>", documents.StockIssueDocument),
    *document_urls("requisitions/<int:pk>", documents.RequisitionDocument),
    *document_urls("counts/<int:pk>", documents.StockCountSheetDocument),
    *document_urls(
        "counts/<int:pk>/variances",
        documents.StockCountVarianceDocument,
        name="stockcount_variances",
    ),
    path("receipts/", orders.GoodsReceiptListView.as_view(), name="goodsreceipt_list"),
    path("returns/", sourcing.SupplierReturnListView.as_view(), name="supplierreturn_list"),
    path(
        "returns/<int:pk>/",
        sourcing.SupplierReturnDetailView.as_view(),
        name="supplierreturn_detail",
    ),
    path(
        "returns/<int:pk>/returned/",
        sourcing.MarkReturnedView.as_view(),
        name="supplierreturn_returned",
    ),
    *crud_urls(
        "budgets",
        planning.BudgetListView,
        planning.BudgetDetailView,
        planning.BudgetEditView,
        planning.BudgetDeleteView,
    ),
    *crud_urls(
        "plans",
        planning.PurchasePlanListView,
        planning.PurchasePlanDetailView,
        planning.PurchasePlanEditView,
        planning.PurchasePlanDeleteView,
    ),
    path(
        "plans/<int:pk>/suggest/",
        planning.SuggestPlanLinesView.as_view(),
        name="purchaseplan_suggest",
    ),
    path("plans/<int:pk>/submit/", planning.SubmitPlanView.as_view(), name="purchaseplan_submit"),
    path(
        "plans/<int:pk>/approve/", planning.ApprovePlanView.as_view(), name="purchaseplan_approve"
    ),
    path("plans/<int:pk>/return/", planning.ReturnPlanView.as_view(), name="purchaseplan_return"),
    path(
        "stock-levels/<int:pk>/add-to-plan/",
        planning.AddToPlanView.as_view(),
        name="stocklevel_add_to_plan",
    ),
    *crud_urls(
        "requisitions",
        planning.RequisitionListView,
        planning.RequisitionDetailView,
        planning.RequisitionEditView,
        planning.RequisitionDeleteView,
    ),
    path(
        "requisitions/<int:pk>/submit/",
        planning.SubmitRequisitionView.as_view(),
        name="requisition_submit",
    ),
    path(
        "requisitions/<int:pk>/approve/",
        planning.ApproveRequisitionView.as_view(),
        name="requisition_approve",
    ),
    path(
        "requisitions/<int:pk>/reject/",
        planning.RejectRequisitionView.as_view(),
        name="requisition_reject",
    ),
    path(
        "requisitions/<int:pk>/cancel/",
        planning.CancelRequisitionView.as_view(),
        name="requisition_cancel",
    ),
    path(
        "requisitions/<int:pk>/order/",
        planning.OrderFromRequisitionView.as_view(),
        name="requisition_order",
    ),
    path(
        "requisitions/<int:pk>/rfq/",
        planning.RfqFromRequisitionView.as_view(),
        name="requisition_rfq",
    ),
    *crud_urls(
        "rfqs",
        sourcing.RequestForQuotationListView,
        sourcing.RequestForQuotationDetailView,
        sourcing.RequestForQuotationEditView,
        sourcing.RequestForQuotationDeleteView,
    ),
    path("rfqs/<int:pk>/send/", sourcing.SendRfqView.as_view(), name="requestforquotation_send"),
    path(
        "rfqs/<int:pk>/quote/",
        sourcing.RecordQuotationView.as_view(),
        name="requestforquotation_quote",
    ),
    path("rfqs/<int:pk>/award/", sourcing.AwardRfqView.as_view(), name="requestforquotation_award"),
    path(
        "rfqs/<int:pk>/cancel/",
        sourcing.CancelRfqView.as_view(),
        name="requestforquotation_cancel",
    ),
    path("counts/", counts.StockCountListView.as_view(), name="stockcount_list"),
    path("counts/new/", counts.OpenCountView.as_view(), name="stockcount_add"),
    path("counts/<int:pk>/", counts.StockCountDetailView.as_view(), name="stockcount_detail"),
    path("counts/<int:pk>/count/", counts.CountEntryView.as_view(), name="stockcount_enter"),
    path("counts/<int:pk>/approve/", counts.ApproveCountView.as_view(), name="stockcount_approve"),
    path("counts/<int:pk>/cancel/", counts.CancelCountView.as_view(), name="stockcount_cancel"),
    path("reports/", reports.ReportsIndexView.as_view(), name="reports"),
    path(
        "reports/slow-moving/",
        reports.SlowMovingReport.as_view(),
        name="report_slow_moving",
    ),
    path("reports/spend/", reports.SpendReport.as_view(), name="report_spend"),
    path("reports/scorecards/", reports.ScorecardReport.as_view(), name="report_scorecards"),
    path(
        "reports/count-accuracy/",
        reports.CountAccuracyReport.as_view(),
        name="report_count_accuracy",
    ),
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
