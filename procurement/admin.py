from django.contrib import admin

from core.admin import HouqinAdmin

from .models import (
    GoodsReceipt,
    GoodsReceiptLine,
    Item,
    ItemCategory,
    PurchaseOrder,
    PurchaseOrderLine,
    StockBalance,
    StockIssue,
    StockIssueLine,
    StockLevel,
    StockMovement,
    Storeroom,
    Supplier,
    SupplierDocument,
)
from .resources import ItemResource, SupplierResource


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
    list_display = ("code", "name", "property", "keeper", "active")
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


class SettledLinesInline(admin.TabularInline):
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


class SupplierDocumentInline(admin.TabularInline):
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


class GoodsReceiptLineInline(admin.TabularInline):
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
