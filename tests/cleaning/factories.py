import datetime
from decimal import Decimal

import factory

from cleaning.models import (
    AreaKind,
    CleaningArea,
    CleaningStandard,
    StandardItem,
)
from core.checklists import ChecklistKind
from tests.factories import LocationFactory, PropertyFactory
from tests.staff.factories import EmployeeFactory

DAY = datetime.date(2026, 11, 23)


class CleaningAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CleaningArea

    property = factory.SubFactory(PropertyFactory)
    name = factory.Sequence(lambda n: f"大堂{n}")
    location = factory.SubFactory(LocationFactory, property=factory.SelfAttribute("..property"))
    kind = AreaKind.LOBBY
    size_m2 = Decimal("120.00")
    cleaner = factory.SubFactory(EmployeeFactory, property=factory.SelfAttribute("..property"))


class CleaningStandardFactory(factory.django.DjangoModelFactory):
    """A daily lobby standard at 08:00 and 14:00, three hours each, with items of 50/30/20
    points (pass at 85)."""

    class Meta:
        model = CleaningStandard
        skip_postgeneration_save = True

    property = factory.SubFactory(PropertyFactory)
    name = factory.Sequence(lambda n: f"大堂保洁标准{n}")
    kind = AreaKind.LOBBY
    unit = "days"
    interval = 1
    lead_days = 0
    times = "08:00 14:00"
    window_hours = 3
    starts_on = DAY
    next_due = DAY
    sop = "扫地、拖地、擦拭玻璃门"

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if not create:
            return
        weights = extracted if extracted is not None else (50, 30, 20)
        for position, weight in enumerate(weights, start=1):
            StandardItem.objects.create(
                standard=self,
                position=position,
                text=f"检查项{position}",
                kind=ChecklistKind.SCORE,
                weight=weight,
            )
