import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import HouqinTable, MoneyColumn, QuantityColumn

from .models import (
    Budget,
    PurchasePlan,
    Requisition,
    StockBalance,
    StockCount,
    StockLevel,
    StockMovement,
)


class StockBalanceTable(HouqinTable):
    item = tables.Column(linkify=lambda record: record.get_absolute_url())
    unit = tables.Column(accessor="item__unit", verbose_name=_("unit"), orderable=False)
    minimum = QuantityColumn(verbose_name=_("minimum"), orderable=False)
    average = MoneyColumn(accessor="average_cost", verbose_name=_("average cost"), orderable=False)

    class Meta(HouqinTable.Meta):
        model = StockBalance
        fields = ("item", "storeroom", "quantity", "unit", "minimum", "average", "value")
        row_attrs = {
            "class": lambda record: (
                "table-warning"
                if record.minimum is not None and record.quantity < record.minimum
                else ""
            )
        }


class StockMovementTable(HouqinTable):
    at = tables.DateTimeColumn(linkify=True, format="SHORT_DATETIME_FORMAT")

    class Meta(HouqinTable.Meta):
        model = StockMovement
        fields = (
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


class BudgetTable(HouqinTable):
    """Budgets with their use; the figures come from ``views.planning.attach_usage``."""

    category = tables.Column(linkify=True, verbose_name=_("category"))
    committed = MoneyColumn(
        accessor="usage__committed", verbose_name=_("committed"), orderable=False
    )
    spent = MoneyColumn(accessor="usage__spent", verbose_name=_("spent"), orderable=False)
    reserved = MoneyColumn(accessor="usage__reserved", verbose_name=_("reserved"), orderable=False)
    remaining = MoneyColumn(
        accessor="usage__remaining", verbose_name=_("remaining"), orderable=False
    )
    percent = tables.Column(accessor="usage__percent", verbose_name=_("used %"), orderable=False)

    class Meta(HouqinTable.Meta):
        model = Budget
        fields = (
            "category",
            "property",
            "year",
            "amount",
            "committed",
            "spent",
            "reserved",
            "remaining",
            "percent",
        )
        row_attrs = {
            "class": lambda record: (
                "table-danger"
                if (record.usage.percent or 0) >= 100
                else "table-warning"
                if (record.usage.percent or 0) >= 80
                else ""
            )
        }


class PurchasePlanTable(HouqinTable):
    plan = tables.Column(
        accessor="pk",
        verbose_name=_("plan"),
        linkify=lambda record: record.get_absolute_url(),
        orderable=False,
    )

    class Meta(HouqinTable.Meta):
        model = PurchasePlan
        fields = ("plan", "property", "period", "year", "number", "status", "submitted_at")

    def render_plan(self, record):
        return str(record)

    def value_plan(self, record):
        return str(record)


class RequisitionTable(HouqinTable):
    id = tables.Column(linkify=True, verbose_name=_("requisition"))
    lines_amount = MoneyColumn(verbose_name=_("amount"))

    class Meta(HouqinTable.Meta):
        model = Requisition
        fields = (
            "id",
            "property",
            "department",
            "purpose",
            "work_order_ref",
            "lines_amount",
            "status",
            "submitted_at",
        )

    def render_id(self, record):
        return str(record)

    def value_id(self, record):
        return str(record)


class StockCountTable(HouqinTable):
    id = tables.Column(linkify=True, verbose_name=_("stock count"))
    accuracy = tables.Column(
        accessor="accuracy", verbose_name=_("accuracy"), orderable=False, empty_values=(None,)
    )

    class Meta(HouqinTable.Meta):
        model = StockCount
        fields = ("id", "storeroom", "scheduled_for", "status", "accuracy", "variance_abs_value")

    def render_id(self, record):
        return str(record)

    def value_id(self, record):
        return str(record)

    def render_accuracy(self, value):
        return f"{value:.0%}"


class StockLevelTable(HouqinTable):
    item = tables.Column(linkify=lambda record: record.get_absolute_url())
    on_hand = QuantityColumn(verbose_name=_("on hand"))
    add = tables.TemplateColumn(
        template_name="procurement/includes/add_to_plan_link.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(HouqinTable.Meta):
        model = StockLevel
        fields = ("item", "storeroom", "on_hand", "minimum", "maximum", "add")
        row_attrs = {
            "class": lambda record: "table-warning" if record.on_hand < record.minimum else ""
        }
