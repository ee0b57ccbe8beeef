import factory

from cleaning.models import GreeningPlan, GreeningTask, GreenZone, PesticideApplication
from tests.factories import PropertyFactory
from tests.staff.factories import EmployeeFactory

from .factories_waste import DAY


class GreenZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GreenZone

    property = factory.SubFactory(PropertyFactory)
    name = factory.Sequence(lambda n: f"{n}号绿地")
    area_m2 = 500
    main_plants = "香樟、麦冬"


class GreeningPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GreeningPlan

    zone = factory.SubFactory(GreenZoneFactory)
    kind = "weeding"
    unit = "weeks"
    interval = 1
    lead_days = 0
    starts_on = DAY
    next_due = DAY


class GreeningTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GreeningTask

    zone = factory.SubFactory(GreenZoneFactory)
    kind = "pruning"
    due_on = DAY


class PesticideApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PesticideApplication

    zone = factory.SubFactory(GreenZoneFactory)
    product = "高效氯氰菊酯"
    dose = 500
    dose_unit = "ml"
    applied_by = factory.LazyAttribute(lambda p: EmployeeFactory(property=p.zone.property))
