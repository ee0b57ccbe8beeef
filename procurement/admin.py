from django.contrib import admin

from core.admin import HouqinAdmin, ScopedInline

from .models import (
    Budget,
    GoodsReceipt,
    GoodsReceiptLine,
    Item,
    ItemCategory,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePlan,
    PurchasePlanLine,
    Quotation,
    RequestForQuotation,
    Requisition,
    RequisitionLine,
    RfqLine,
    StockBalance,
    StockCount,
    StockCountLine,
    StockIssue,
    StockIssueLine,
    StockLevel,
    StockMovement,
    Storeroom,
    Supplier,
    SupplierDocument,
    SupplierReturn,
    SupplierReturnLine,
)
from .resources import ItemResource, SupplierResource
from .services import refresh_requisition_amount


@admin.register(ItemCategory)
class ItemCategoryAdmin(HouqinAdmin):
    list_display = ("name", "parent")
    list_filter = ("parent",)
    search_fields = ("name",)
    list_select_related = ("parent",)


@admin.register(Item)
class ItemAdmin(HouqinAdmin):
    resource_classes = [ItemResource]
    list_display = ("code", "name", "specification", "unit", "category", "standard_price", "active")
    list_filter = ("active", "category")
    search_fields = ("code", "name", "specification")
    list_select_related = ("category__parent",)


@admin.register(Storeroom)
class StoreroomAdmin(HouqinAdmin):
    list_display = ("code", "name", "property", "keeper", "next_count_on", "active")
    list_filter = ("property", "active")
    search_fields = ("code", "name")
    list_select_related = ("property", "keeper")


@admin.register(StockLevel)
class StockLevelAdmin(HouqinAdmin):
    list_display = ("item", "storeroom", "minimum", "maximum")
    list_filter = ("storeroom",)
    search_fields = ("item__code", "item__name")
    list_select_related = ("item", "storeroom")
    autocomplete_fields = ("item",)


class DocumentAdminMixin:
    """Issues, orders and receipts change through the app's services: no import here, and
    once past draft nothing is edited or deleted in admin."""

    def has_import_permission(self, request):
        return False

    def _settled(self, obj):
        return obj is not None and getattr(obj, "status", "posted") != "draft"

    def get_readonly_fields(self, request, obj=None):
        if self._settled(obj):
            return [f.name for f in self.model._meta.fields]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._settled(obj) and super().has_delete_permission(request, obj)


class SettledLinesInline(ScopedInline):
    """Lines that freeze with their document."""

    extra = 0

    def _settled(self, obj):
        return obj is not None and getattr(obj, "status", "posted") != "draft"

    def has_add_permission(self, request, obj=None):
        return not self._settled(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._settled(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._settled(obj) and super().has_delete_permission(request, obj)


class ReadOnlyLedgerAdmin(admin.ModelAdmin):
    """The ledger and balances change only through the stock services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        from core.scoping import scope_queryset

        return scope_queryset(super().get_queryset(request), request.user)


@admin.register(StockBalance)
class StockBalanceAdmin(ReadOnlyLedgerAdmin):
    list_display = ("item", "storeroom", "quantity", "value", "updated_at")
    list_filter = ("storeroom__property", "storeroom")
    search_fields = ("item__code", "item__name")
    list_select_related = ("item", "storeroom")


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyLedgerAdmin):
    list_display = (
        "at",
        "kind",
        "item",
        "storeroom",
        "quantity",
        "unit_cost",
        "value",
        "balance_after",
        "reference",
        "by",
    )
    list_filter = ("kind", "storeroom__property", "storeroom")
    search_fields = ("item__code", "item__name", "reference", "work_order_ref")
    list_select_related = ("item", "storeroom", "by")
    date_hierarchy = "at"


class StockIssueLineInline(SettledLinesInline):
    model = StockIssueLine
    autocomplete_fields = ("item",)


@admin.register(StockIssue)
class StockIssueAdmin(DocumentAdminMixin, HouqinAdmin):
    list_display = ("__str__", "storeroom", "department", "employee", "status", "issued_at")
    list_filter = ("status", "storeroom__property", "department")
    search_fields = ("purpose", "work_order_ref")
    list_select_related = ("storeroom", "department", "employee")
    readonly_fields = ("status", "issued_at", "issued_by")
    inlines = [StockIssueLineInline]


class SupplierDocumentInline(ScopedInline):
    model = SupplierDocument
    extra = 0


@admin.register(Supplier)
class SupplierAdmin(HouqinAdmin):
    resource_classes = [SupplierResource]
    list_display = ("name", "credit_code", "status", "contact", "phone")
    list_filter = ("status", "categories")
    search_fields = ("name", "credit_code", "contact", "phone")
    filter_horizontal = ("categories",)
    inlines = [SupplierDocumentInline]


@admin.register(SupplierDocument)
class SupplierDocumentAdmin(HouqinAdmin):
    list_display = ("supplier", "kind", "number", "issued_on", "expires_on")
    list_filter = ("kind",)
    search_fields = ("supplier__name", "number")
    list_select_related = ("supplier",)
    date_hierarchy = "expires_on"


class PurchaseOrderLineInline(SettledLinesInline):
    model = PurchaseOrderLine
    readonly_fields = ("received", "accepted")
    autocomplete_fields = ("item",)


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(DocumentAdminMixin, HouqinAdmin):
    """Statuses change through the app's actions (approve, place, receive, close, cancel)."""

    list_display = ("__str__", "supplier", "storeroom", "promised_on", "status")
    list_filter = ("status", "storeroom__property", "supplier")
    search_fields = ("supplier__name", "note")
    list_select_related = ("supplier", "storeroom")
    readonly_fields = ("status", "cancel_reason", "approved_by", "approved_at", "ordered_at")
    inlines = [PurchaseOrderLineInline]


class GoodsReceiptLineInline(ScopedInline):
    model = GoodsReceiptLine
    extra = 0
    readonly_fields = ("order_line", "received", "accepted", "rejection_reason")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(GoodsReceipt)
class GoodsReceiptAdmin(DocumentAdminMixin, HouqinAdmin):
    list_display = ("__str__", "order", "received_on", "posted_by")
    list_filter = ("received_on",)
    search_fields = ("order__supplier__name", "note")
    list_select_related = ("order", "posted_by")
    readonly_fields = ("order", "received_on", "posted_at", "posted_by", "token")
    inlines = [GoodsReceiptLineInline]

    def has_add_permission(self, request):
        return False


@admin.register(Budget)
class BudgetAdmin(HouqinAdmin):
    list_display = ("year", "property", "category", "amount")
    list_filter = ("year", "property", "category")
    search_fields = ("category__name", "note")
    list_select_related = ("property", "category")


class PurchasePlanLineInline(SettledLinesInline):
    model = PurchasePlanLine
    autocomplete_fields = ("item",)


@admin.register(PurchasePlan)
class PurchasePlanAdmin(DocumentAdminMixin, HouqinAdmin):
    """Submitted and approved through the app (approval writes the requisition)."""

    list_display = ("__str__", "property", "period", "year", "number", "status")
    list_filter = ("status", "period", "year", "property")
    list_select_related = ("property",)
    readonly_fields = ("status", "return_reason")
    inlines = [PurchasePlanLineInline]


class RequisitionLineInline(SettledLinesInline):
    model = RequisitionLine
    autocomplete_fields = ("item",)


@admin.register(Requisition)
class RequisitionAdmin(DocumentAdminMixin, HouqinAdmin):
    """Submitted, approved (by amount, with the budget check) and ordered through the app."""

    list_display = ("__str__", "property", "department", "purpose", "amount", "status")
    list_filter = ("status", "property", "department")
    search_fields = ("purpose", "work_order_ref")
    list_select_related = ("property", "department")
    readonly_fields = ("status", "decision_note")
    inlines = [RequisitionLineInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_requisition_amount(form.instance, by=request.user)


class RfqLineInline(SettledLinesInline):
    model = RfqLine
    autocomplete_fields = ("item",)


class QuotationInline(ScopedInline):
    model = Quotation
    extra = 0
    can_delete = False
    fields = ("supplier", "received_on", "valid_until", "lead_days", "total")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RequestForQuotation)
class RequestForQuotationAdmin(DocumentAdminMixin, HouqinAdmin):
    """Sent, quoted and awarded through the app (the award needs its reason there)."""

    list_display = ("__str__", "title", "property", "reply_by", "status", "awarded_to")
    list_filter = ("status", "property")
    search_fields = ("title",)
    list_select_related = ("property", "awarded_to")
    readonly_fields = ("status", "cancel_reason")
    filter_horizontal = ("suppliers",)
    inlines = [RfqLineInline, QuotationInline]


class SupplierReturnLineInline(ScopedInline):
    model = SupplierReturnLine
    extra = 0
    can_delete = False
    readonly_fields = ("receipt_line", "quantity", "reason")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SupplierReturn)
class SupplierReturnAdmin(HouqinAdmin):
    """Written by the receipt; marked returned in the app."""

    list_display = ("__str__", "supplier", "receipt", "status", "returned_on")
    list_filter = ("status",)
    search_fields = ("supplier__name", "carrier")
    list_select_related = ("supplier", "receipt")
    readonly_fields = ("receipt", "supplier", "status", "returned_on", "carrier")
    inlines = [SupplierReturnLineInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        return False


class StockCountLineInline(ScopedInline):
    model = StockCountLine
    extra = 0
    can_delete = False
    fields = ("item", "book_quantity", "counted", "expected", "reason", "movement")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StockCount)
class StockCountAdmin(HouqinAdmin):
    """Opened, counted, submitted and approved in the app (approval posts the variances)."""

    list_display = ("__str__", "storeroom", "scheduled_for", "status", "variance_abs_value")
    list_filter = ("status", "storeroom__property", "storeroom")
    list_select_related = ("storeroom",)
    date_hierarchy = "scheduled_for"
    inlines = [StockCountLineInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        return False
