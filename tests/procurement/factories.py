from decimal import Decimal

import factory

from procurement.models import Item, ItemCategory, StockIssue, StockLevel, Storeroom
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
