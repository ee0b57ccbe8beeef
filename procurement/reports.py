"""The stores reports: parameters, queries (aggregated in SQL) and tables."""

from datetime import timedelta
from decimal import Decimal

import django_tables2 as tables
from django import forms
from django.db.models import DecimalField, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext_lazy as _

from core.scoping import scope_queryset, visible_property_ids
from core.tables import HouqinTable

from .models import (
    CountStatus,
    GoodsReceiptLine,
    MovementKind,
    StockBalance,
    StockCount,
    StockLevel,
    StockMovement,
    Storeroom,
    Supplier,
    SupplierStatus,
)
from .scorecard import scorecards

AMOUNT = DecimalField(max_digits=20, decimal_places=2)


def _storerooms(user):
    return scope_queryset(Storeroom.objects.select_related("property"), user)


def _year_choices():
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year, this_year - 6, -1)]


# --- slow-moving and overstock ------------------------------------------------------------


class SlowMovingForm(forms.Form):
    SHOW = (
        ("both", _("Slow-moving or overstocked")),
        ("slow", _("Slow-moving")),
        ("overstock", _("Above the maximum")),
    )
    storeroom = forms.ModelChoiceField(
        label=_("Storeroom"), queryset=Storeroom.objects.none(), required=False
    )
    days = forms.IntegerField(
        label=_("No issue for (days)"), min_value=1, max_value=3650, initial=90
    )
    show = forms.ChoiceField(label=_("Show"), choices=SHOW, initial="both")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["storeroom"].queryset = _storerooms(user)


def slow_moving(user, params):
    """Balances in stock that nothing has been issued from for ``days``, or above their
    maximum; each with its last issue and its maximum."""
    last_issue = (
        StockMovement.objects.filter(
            item=OuterRef("item"), storeroom=OuterRef("storeroom"), kind=MovementKind.ISSUE
        )
        .order_by()
        .values("item")
        .annotate(last=Max("at"))
        .values("last")
    )
    maximum = StockLevel.objects.filter(
        item=OuterRef("item"), storeroom=OuterRef("storeroom")
    ).values("maximum")[:1]
    rows = (
        scope_queryset(StockBalance.objects.filter(quantity__gt=0), user)
        .select_related("item", "storeroom")
        .annotate(last_issue=Subquery(last_issue), maximum=Subquery(maximum))
    )
    if params.get("storeroom"):
        rows = rows.filter(storeroom=params["storeroom"])
    since = timezone.now() - timedelta(days=params["days"])
    slow = Q(last_issue__isnull=True) | Q(last_issue__lt=since)
    over = Q(maximum__isnull=False, quantity__gt=F("maximum"))
    condition = {"slow": slow, "overstock": over}.get(params["show"], slow | over)
    return rows.filter(condition).order_by("-value")


class SlowMovingTable(HouqinTable):
    item = tables.Column(linkify=lambda record: record.item.get_absolute_url())
    last_issue = tables.DateTimeColumn(
        verbose_name=_("last issued"), format="SHORT_DATE_FORMAT", default="—"
    )
    maximum = tables.Column(verbose_name=_("maximum"), default="—")

    class Meta(HouqinTable.Meta):
        model = StockBalance
        fields = ("item", "storeroom", "quantity", "maximum", "value", "last_issue")
        row_attrs = {
            "class": lambda record: (
                "table-warning"
                if record.maximum is not None and record.quantity > record.maximum
                else ""
            )
        }


# --- spend per month ----------------------------------------------------------------------


class SpendForm(forms.Form):
    BY = (
        ("supplier", _("Supplier")),
        ("category", _("Category")),
        ("property", _("Property")),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    by = forms.ChoiceField(label=_("Per"), choices=BY, initial="supplier")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.fields["year"].initial = timezone.localdate().year


# Per grouping: the key grouped on (an id, so two suppliers of the same name stay apart) and
# the name shown. Categories group on their top level (sub-categories count towards it).
GROUPS = {
    "supplier": (F("order_line__order__supplier_id"), F("order_line__order__supplier__name")),
    "category": (
        Coalesce(F("order_line__item__category__parent_id"), F("order_line__item__category_id")),
        Coalesce(
            F("order_line__item__category__parent__name"), F("order_line__item__category__name")
        ),
    ),
    "property": (
        F("receipt__order__storeroom__property_id"),
        F("receipt__order__storeroom__property__name"),
    ),
}


# What a receipt line is worth: the quantity accepted at the order's price.
ACCEPTED_VALUE = F("accepted") * F("order_line__unit_price")


def spend(user, params):
    """What was accepted at receipts (at the order price), per group and month."""
    lines = GoodsReceiptLine.objects.filter(receipt__received_on__year=params["year"])
    visible = visible_property_ids(user)
    if visible is not None:
        lines = lines.filter(receipt__order__storeroom__property_id__in=visible)
    key, name = GROUPS.get(params["by"], GROUPS["supplier"])
    amount = ACCEPTED_VALUE
    months = {
        f"m{month}": Sum(amount, filter=Q(receipt__received_on__month=month), output_field=AMOUNT)
        for month in range(1, 13)
    }
    rows = list(
        lines.values(key=key, name=name)
        .annotate(**months, total=Sum(amount, output_field=AMOUNT))
        .order_by("-total", "name")
    )
    cent = Decimal("0.01")
    for row in rows:  # the same spelling on every database: ¥ with two decimals, 0 if none
        for column in (*months, "total"):
            row[column] = Decimal(row[column] or 0).quantize(cent)
    return rows


def _month_columns():
    return {
        f"m{month}": tables.Column(
            verbose_name=MONTHS_3[month],
            default=0,
            attrs={"td": {"class": "text-end"}},
        )
        for month in range(1, 13)
    }


SpendTable = type(
    "SpendTable",
    (HouqinTable,),
    {
        "name": tables.Column(verbose_name=_("name")),
        **_month_columns(),
        "total": tables.Column(
            verbose_name=_("total"), attrs={"td": {"class": "text-end fw-bold"}}
        ),
    },
)


# --- supplier scorecards ------------------------------------------------------------------


class ScorecardForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *SupplierStatus.choices],
        required=False,
        initial=SupplierStatus.APPROVED,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)


def supplier_scorecards(user, params):
    suppliers = Supplier.objects.order_by("name")
    if params.get("status"):
        suppliers = suppliers.filter(status=params["status"])
    suppliers = list(suppliers)
    cards = scorecards([supplier.pk for supplier in suppliers])
    return [
        {
            "supplier": supplier,
            "status": supplier.get_status_display(),
            "deliveries": cards[supplier.pk].deliveries,
            "on_time": cards[supplier.pk].on_time,
            "fill_rate": cards[supplier.pk].fill_rate,
            "rejection": cards[supplier.pk].rejection,
            "price_index": cards[supplier.pk].price_index,
        }
        for supplier in suppliers
    ]


class PercentColumn(tables.Column):
    def render(self, value):
        return f"{value:.0%}"


class ScorecardTable(HouqinTable):
    supplier = tables.Column(
        verbose_name=_("supplier"), linkify=lambda record: record["supplier"].get_absolute_url()
    )
    status = tables.Column(verbose_name=_("status"))
    deliveries = tables.Column(verbose_name=_("deliveries"))
    on_time = PercentColumn(verbose_name=_("on time"))
    fill_rate = PercentColumn(verbose_name=_("quantity delivered when due"))
    rejection = PercentColumn(verbose_name=_("rejected at inspection"))
    price_index = PercentColumn(verbose_name=_("price against standard"))


# --- count accuracy -----------------------------------------------------------------------


class CountAccuracyForm(forms.Form):
    storeroom = forms.ModelChoiceField(
        label=_("Storeroom"), queryset=Storeroom.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["storeroom"].queryset = _storerooms(user)


def count_accuracy(user, params):
    """Posted counts per storeroom: lines found as the book said, and the variances."""
    counts = scope_queryset(StockCount.objects.filter(status=CountStatus.POSTED), user)
    if params.get("storeroom"):
        counts = counts.filter(storeroom=params["storeroom"])
    return counts.select_related("storeroom").order_by("-scheduled_for", "storeroom__name")


class CountAccuracyTable(HouqinTable):
    id = tables.Column(
        verbose_name=_("stock count"), linkify=lambda record: record.get_absolute_url()
    )
    accuracy = PercentColumn(verbose_name=_("accuracy"), orderable=False)

    class Meta(HouqinTable.Meta):
        model = StockCount
        fields = (
            "id",
            "storeroom",
            "scheduled_for",
            "lines_counted",
            "lines_matching",
            "accuracy",
            "variance_value",
            "variance_abs_value",
        )

    def render_id(self, record):
        return str(record)

    def value_id(self, record):
        return str(record)
