import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.filters import ConditionFilter, HouqinFilterSet
from core.models import Property

from .models import (
    IN_PROGRESS,
    Budget,
    GoodsReceipt,
    Item,
    ItemCategory,
    MovementKind,
    PurchaseOrder,
    PurchasePlan,
    RequestForQuotation,
    Requisition,
    StockBalance,
    StockCount,
    StockIssue,
    StockLevel,
    StockMovement,
    Storeroom,
    Supplier,
    SupplierReturn,
)


class ItemCategoryFilter(HouqinFilterSet):
    search_fields = ("name",)

    class Meta:
        model = ItemCategory
        fields = ["parent"]


class ItemFilter(HouqinFilterSet):
    search_fields = ("code", "name", "specification")

    class Meta:
        model = Item
        fields = ["category", "active"]


class StoreroomFilter(HouqinFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = Storeroom
        fields = ["property", "active"]


class StockLevelFilter(HouqinFilterSet):
    search_fields = ("item__code", "item__name")
    below_minimum = django_filters.BooleanFilter(
        label=_("Below minimum"),
        method="filter_below_minimum",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = StockLevel
        fields = ["storeroom"]

    def filter_below_minimum(self, queryset, name, value):
        # The list view annotates each level with what is on hand (zero if never stocked).
        below = queryset.filter(on_hand__lt=F("minimum"))
        return below if value else queryset.exclude(pk__in=below.values("pk"))


class StockBalanceFilter(HouqinFilterSet):
    search_fields = ("item__code", "item__name", "item__specification")
    property = django_filters.ModelChoiceFilter(
        field_name="storeroom__property", label=_("Property"), queryset=Property.objects.all()
    )
    category = django_filters.ModelChoiceFilter(
        field_name="item__category", label=_("Category"), queryset=ItemCategory.objects.all()
    )
    below_minimum = django_filters.BooleanFilter(
        label=_("Below minimum"),
        method="filter_below_minimum",
        widget=django_filters.widgets.BooleanWidget(),
    )
    in_stock = ConditionFilter(Q(quantity__gt=0), label=_("In stock"))

    class Meta:
        model = StockBalance
        fields = ["storeroom"]

    def filter_below_minimum(self, queryset, name, value):
        # The list view annotates each balance with its storeroom minimum.
        below = queryset.filter(quantity__lt=F("minimum"))
        return below if value else queryset.exclude(pk__in=below.values("pk"))


class StockMovementFilter(HouqinFilterSet):
    search_fields = ("reference", "note", "work_order_ref", "item__name", "item__code")
    at = django_filters.DateFromToRangeFilter(label=_("Date"))
    item = django_filters.ModelChoiceFilter(label=_("Item"), queryset=Item.objects.all())
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MovementKind.choices)

    class Meta:
        model = StockMovement
        fields = ["storeroom"]


class StockIssueFilter(HouqinFilterSet):
    search_fields = ("purpose", "work_order_ref")

    class Meta:
        model = StockIssue
        fields = ["storeroom", "department", "status"]


class SupplierFilter(HouqinFilterSet):
    search_fields = ("name", "credit_code", "contact", "phone")
    category = django_filters.ModelChoiceFilter(
        field_name="categories",
        label=_("Category"),
        queryset=ItemCategory.objects.select_related("parent"),
    )

    class Meta:
        model = Supplier
        fields = ["status"]


class PurchaseOrderFilter(HouqinFilterSet):
    search_fields = ("note", "supplier__name")
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = PurchaseOrder
        fields = ["status", "supplier", "storeroom"]

    def filter_overdue(self, queryset, name, value):
        from django.utils import timezone

        overdue = queryset.model.objects.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class GoodsReceiptFilter(HouqinFilterSet):
    search_fields = ("note", "order__supplier__name")

    class Meta:
        model = GoodsReceipt
        fields = ["order__supplier"]


class BudgetFilter(HouqinFilterSet):
    search_fields = ("category__name", "note")

    class Meta:
        model = Budget
        fields = ["property", "year", "category"]


class PurchasePlanFilter(HouqinFilterSet):
    search_fields = ("note",)

    class Meta:
        model = PurchasePlan
        fields = ["property", "status", "period", "year"]


class RequisitionFilter(HouqinFilterSet):
    search_fields = ("purpose", "work_order_ref", "lines__item__name")

    class Meta:
        model = Requisition
        fields = ["property", "status", "department"]


class RequestForQuotationFilter(HouqinFilterSet):
    search_fields = ("title",)

    class Meta:
        model = RequestForQuotation
        fields = ["property", "status"]


class SupplierReturnFilter(HouqinFilterSet):
    search_fields = ("supplier__name", "carrier")

    class Meta:
        model = SupplierReturn
        fields = ["supplier", "status"]


class StockCountFilter(HouqinFilterSet):
    in_progress = django_filters.BooleanFilter(
        label=_("In progress"),
        method="filter_in_progress",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = StockCount
        fields = ["storeroom", "status"]

    def filter_in_progress(self, queryset, name, value):
        if value is None:
            return queryset
        return (queryset.filter if value else queryset.exclude)(status__in=IN_PROGRESS)
