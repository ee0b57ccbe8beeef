import factory

from facilities.models import Equipment, EquipmentCategory
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
