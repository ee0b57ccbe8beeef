"""The usual system classes, as editable defaults (also read by the demo)."""

from django.db import migrations

CATEGORIES = [
    # code, name (zh), special equipment
    ("elevator", "电梯", True),
    ("fire", "消防", False),
    ("water", "给排水/二次供水", False),
    ("power", "配电", False),
    ("hvac", "暖通空调", False),
    ("pressure", "压力容器", True),
    ("lighting", "照明", False),
    ("weak_current", "弱电/安防系统", False),
    ("other", "其他", False),
]


def seed(apps, schema_editor):
    EquipmentCategory = apps.get_model("facilities", "EquipmentCategory")
    for order, (code, name, special) in enumerate(CATEGORIES):
        EquipmentCategory.objects.get_or_create(
            code=code, defaults={"name": name, "special": special, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_equipment")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
