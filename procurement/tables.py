import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import HouqinTable

from .models import StockBalance, StockMovement


class StockBalanceTable(HouqinTable):
    item = tables.Column(linkify=lambda record: record.get_absolute_url())
    unit = tables.Column(accessor="item__unit", verbose_name=_("unit"), orderable=False)
    minimum = tables.Column(verbose_name=_("minimum"), orderable=False)
    average = tables.Column(
        accessor="average_cost", verbose_name=_("average cost"), orderable=False
    )

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
