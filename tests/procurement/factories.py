import datetime
from decimal import Decimal

import factory

from procurement.models import (
    Budget,
    Item,
    ItemCategory,
    PurchaseOrder,
    PurchasePlan,
    Requisition,
    StockIssue,
    StockLevel,
    Storeroom,
    Supplier,
)
from tests.factories import PropertyFactory
from tests.staff.factories import DepartmentFactory


class ItemCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemCategory

    name = factory.Sequence(lambda n: f"类别{n}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    code = factory.Sequence(lambda n: f"IT{n:05d}")
    name = factory.Sequence(lambda n: f"物资{n}")
    unit = "个"
    category = factory.SubFactory(ItemCategoryFactory)
    standard_price = Decimal("10.00")


class StoreroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Storeroom

    property = factory.SubFactory(PropertyFactory)
    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"仓库{n}")


class StockLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockLevel

    item = factory.SubFactory(ItemFactory)
    storeroom = factory.SubFactory(StoreroomFactory)
    minimum = Decimal(5)
    maximum = Decimal(50)


class StockIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockIssue

    storeroom = factory.SubFactory(StoreroomFactory)
    department = factory.SubFactory(DepartmentFactory)
    purpose = "维修"


def credit_code(n):
    from procurement.validators import credit_code_check_character

    first17 = f"9131011{n:010d}"
    return first17 + credit_code_check_character(first17)


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"供应商{n}")
    credit_code = factory.Sequence(credit_code)
    status = "approved"


class PurchaseOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrder

    supplier = factory.SubFactory(SupplierFactory)
    storeroom = factory.SubFactory(StoreroomFactory)
    promised_on = datetime.date(2026, 12, 1)


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    property = factory.SubFactory(PropertyFactory)
    year = 2026
    category = factory.SubFactory(ItemCategoryFactory)
    amount = Decimal("10000.00")


class PurchasePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchasePlan

    property = factory.SubFactory(PropertyFactory)
    period = "month"
    # Far from the years the tests type in, and never the same period twice.
    year = factory.Sequence(lambda n: 2050 + (n // 12) % 50)
    number = factory.Sequence(lambda n: n % 12 + 1)


class RequisitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requisition

    property = factory.SubFactory(PropertyFactory)
    purpose = factory.Sequence(lambda n: f"维修用料{n}")
