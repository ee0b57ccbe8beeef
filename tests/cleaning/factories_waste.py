import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from cleaning.models import (
    CollectionPoint,
    CollectionSchedule,
    WasteCategory,
    WasteCategoryLabel,
    WasteCollection,
)
from tests.factories import PropertyFactory

DAY = datetime.date(2026, 11, 23)


class CollectionPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionPoint

    property = factory.SubFactory(PropertyFactory)
    name = factory.Sequence(lambda n: f"{n}号垃圾房")


class CollectionScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionSchedule

    point = factory.SubFactory(CollectionPointFactory)
    category = WasteCategory.KITCHEN
    unit = "days"
    interval = 1
    window_start = datetime.time(7, 0)
    window_hours = 2
    starts_on = DAY
    next_due = DAY


class WasteCollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WasteCollection

    point = factory.SubFactory(CollectionPointFactory)
    category = WasteCategory.KITCHEN
    collected_at = factory.LazyFunction(timezone.now)
    bins = 4
    weight_kg = Decimal("180.50")


class WasteCategoryLabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WasteCategoryLabel

    property = factory.SubFactory(PropertyFactory)
    category = WasteCategory.KITCHEN
    label = "易腐垃圾"
