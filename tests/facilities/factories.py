import datetime

import factory

from facilities.models import (
    ChecklistItem,
    ChecklistKind,
    Equipment,
    EquipmentCategory,
    FrequencyUnit,
    MaintenancePlan,
    PlanTemplate,
    ScheduleMode,
    WorkOrder,
    WorkOrderKind,
)
from tests.factories import PropertyFactory


class EquipmentCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentCategory
        django_get_or_create = ("code",)

    code = "other"
    name = "其他"


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment

    property = factory.SubFactory(PropertyFactory)
    category = factory.SubFactory(EquipmentCategoryFactory)
    name = factory.Sequence(lambda n: f"水泵{n}")
    asset_code = factory.Sequence(lambda n: f"EQ-{n:04d}")


class PlanTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTemplate

    category = factory.SubFactory(EquipmentCategoryFactory)
    code = factory.Sequence(lambda n: f"template-{n}")
    title = factory.Sequence(lambda n: f"保养模板{n}")
    unit = FrequencyUnit.MONTHS
    interval = 1


class MaintenancePlanFactory(factory.django.DjangoModelFactory):
    """A monthly fixed plan; pass ``equipment__property=`` to place it."""

    class Meta:
        model = MaintenancePlan

    equipment = factory.SubFactory(EquipmentFactory)
    title = factory.Sequence(lambda n: f"月度保养{n}")
    unit = FrequencyUnit.MONTHS
    interval = 1
    mode = ScheduleMode.FIXED
    lead_days = 0
    starts_on = datetime.date(2026, 1, 10)
    next_due = factory.SelfAttribute("starts_on")


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    plan = factory.SubFactory(MaintenancePlanFactory)
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"检查项{n}")
    kind = ChecklistKind.CHECK


class WorkOrderFactory(factory.django.DjangoModelFactory):
    """A new repair order on a piece of equipment of its property (saved directly, with a
    number; services.open_work_order is what the app uses)."""

    class Meta:
        model = WorkOrder

    property = factory.SubFactory(PropertyFactory)
    equipment = factory.SubFactory(EquipmentFactory, property=factory.SelfAttribute("..property"))
    number = factory.Sequence(lambda n: f"WO-2026-{n + 900000:06d}")
    title = factory.Sequence(lambda n: f"维修{n}")
    kind = WorkOrderKind.REPAIR
