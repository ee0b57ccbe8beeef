"""Budget figures, computed in SQL from the documents (never typed in).

For a property, year and top-level category:

- committed: what approved and placed orders still have to deliver (at the order price);
- spent: what was accepted at receipts that year (at the order price);
- reserved: approved requisitions not yet turned into orders (at their estimated price),
  and draft orders written from them (at the order price);
- remaining: the budget minus all three.

Sub-categories count towards their top-level category (the tree has two levels).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, F, Q, Sum
from django.db.models.functions import Coalesce

from .models import (
    Budget,
    GoodsReceiptLine,
    OrderStatus,
    PurchaseOrderLine,
    RequisitionLine,
    RequisitionStatus,
)

AMOUNT = DecimalField(max_digits=20, decimal_places=5)
CENT = Decimal("0.01")
COMMITTING = (OrderStatus.APPROVED, OrderStatus.ORDERED, OrderStatus.PARTIAL)


def _root(prefix):
    return Coalesce(F(f"{prefix}item__category__parent_id"), F(f"{prefix}item__category_id"))


@dataclass
class Usage:
    amount: Decimal | None = None  # None: no budget set
    committed: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    reserved: Decimal = Decimal(0)
    budget: Budget | None = field(default=None, repr=False)

    @property
    def used(self):
        return self.committed + self.spent + self.reserved

    @property
    def remaining(self):
        return None if self.amount is None else self.amount - self.used

    @property
    def ratio(self):
        """Share of the budget used (None without a budget; a zero budget with spending
        counts as fully used)."""
        if self.amount is None:
            return None
        if not self.amount:
            return 1.0 if self.used else 0.0
        return float(self.used / self.amount)

    @property
    def percent(self):
        ratio = self.ratio
        return None if ratio is None else round(ratio * 100)


def usage(property_ids, year, *, exclude_requisition=None) -> dict:
    """{(property_id, top-level category_id): Usage} for every budget and every category
    with spending, in five grouped queries whatever the number of rows. The reservation of
    ``exclude_requisition`` (a pk) is left out: a requisition is weighed against the rest."""
    figures = defaultdict(Usage)
    for budget in Budget.objects.filter(property_id__in=property_ids, year=year):
        entry = figures[(budget.property_id, budget.category_id)]
        entry.amount, entry.budget = budget.amount, budget
    queries = (
        (
            "committed",
            PurchaseOrderLine.objects.filter(
                order__status__in=COMMITTING,
                order__approved_at__year=year,
                order__storeroom__property_id__in=property_ids,
            ),
            "order__storeroom__property_id",
            (F("quantity") - F("received")) * F("unit_price"),
            "",
        ),
        (
            "spent",
            GoodsReceiptLine.objects.filter(
                receipt__received_on__year=year,
                receipt__order__storeroom__property_id__in=property_ids,
            ),
            "receipt__order__storeroom__property_id",
            F("accepted") * F("order_line__unit_price"),
            "order_line__",
        ),
        (
            "reserved",
            RequisitionLine.objects.filter(
                requisition__status=RequisitionStatus.APPROVED,
                requisition__approved_at__year=year,
                requisition__property_id__in=property_ids,
            ).exclude(requisition_id=exclude_requisition),
            "requisition__property_id",
            F("quantity") * F("estimated_price"),
            "",
        ),
        (
            # Draft orders written from a requisition or an RFQ: the requisition is ordered,
            # the order not yet approved; the money stays reserved in between.
            "reserved",
            PurchaseOrderLine.objects.filter(
                order__status=OrderStatus.DRAFT,
                order__created_at__year=year,
                order__storeroom__property_id__in=property_ids,
            ).filter(Q(order__requisition__isnull=False) | Q(order__rfq__isnull=False)),
            "order__storeroom__property_id",
            F("quantity") * F("unit_price"),
            "",
        ),
    )
    for name, queryset, property_path, amount, prefix in queries:
        rows = (
            queryset.values(prop=F(property_path), root=_root(prefix))
            .annotate(total=Sum(amount, output_field=AMOUNT))
            .order_by()
        )
        for row in rows:
            entry = figures[(row["prop"], row["root"])]
            total = (row["total"] or Decimal(0)).quantize(CENT)
            setattr(entry, name, getattr(entry, name) + total)
    return dict(figures)


@dataclass
class BudgetCheck:
    category_id: int
    category_name: str
    need: Decimal
    usage: Usage

    @property
    def exceeded(self):
        return self.usage.amount is not None and self.need > self.usage.remaining

    @property
    def after(self):
        return None if self.usage.amount is None else self.usage.remaining - self.need


def check_requisition(requisition, year):
    """What each top-level category of the requisition needs against what is left."""
    lines = (
        requisition.lines.values(
            root=_root(""),
        )
        .annotate(need=Sum(F("quantity") * F("estimated_price"), output_field=AMOUNT))
        .order_by()
    )
    needs = {row["root"]: (row["need"] or Decimal(0)).quantize(CENT) for row in lines}
    if not needs:
        return []
    from .models import ItemCategory

    names = dict(ItemCategory.objects.filter(pk__in=needs).values_list("pk", "name"))
    figures = usage([requisition.property_id], year, exclude_requisition=requisition.pk)
    return [
        BudgetCheck(
            root, names.get(root, ""), need, figures.get((requisition.property_id, root), Usage())
        )
        for root, need in sorted(needs.items(), key=lambda pair: names.get(pair[0], ""))
    ]
