"""facilities' part of seed_demo: ~80 equipment across the two properties, with special
equipment registered, a certificate and a warranty running out within the month."""

from datetime import timedelta

from django.utils import timezone

from core.models import Location, Property

from .models import Criticality, Equipment, EquipmentCategory

# (category code, asset prefix, name, model, manufacturer, location code suffix or None, count)
RESIDENTIAL_BUILDING = [
    ("elevator", "DT", "客梯", "GeN2-MR 1000kg", "奥的斯", "F01-HALL", 2),
    ("water", "SB", "二次供水变频泵", "CDLF 8-40", "南方泵业", "B1-PUMP", 2),
    ("water", "SX", "不锈钢生活水箱", "18m³", "沪通水箱", "B1-PUMP", 1),
    ("power", "PD", "低压配电柜", "GGD-2", "正泰电气", "B1-POWER", 2),
    ("lighting", "ZM", "应急照明配电箱", "A 型 3kW", "华荣", "F01-HALL", 1),
    ("fire", "XF", "室内消火栓箱", "SG24A65", "淞江消防", "F03-HALL", 2),
]
RESIDENTIAL_SITE = [
    ("weak_current", "AF", "视频监控录像机", "DS-9632NX", "海康威视", "GATE-GUARD", 1),
    ("weak_current", "DZ", "车辆道闸", "DS-TMG4B", "海康威视", "GATE", 2),
    ("water", "JG", "景观水池循环泵", "QDX 1.5kW", "新界泵业", "GARDEN-POND", 1),
    ("lighting", "LD", "庭院灯控制箱", "定时 20A", "正泰电气", "GARDEN", 1),
    ("fire", "BJ", "火灾报警控制器", "JB-QB-GST200", "海湾安全", "GATE-GUARD", 1),
]
OFFICE_TOWER = [
    ("elevator", "DT", "客梯", "KONE MonoSpace 1350kg", "通力", "F01-LOBBY", 6),
    ("hvac", "LJ", "离心式冷水机组", "19XR 600RT", "开利", "B2-CHILLER", 2),
    ("hvac", "LB", "冷冻水泵", "NBG 200-150", "格兰富", "B2-CHILLER", 4),
    ("hvac", "KT", "组合式空调机组", "AHU-20000", "约克", None, 12),
    ("pressure", "RY", "分集水器", "DN300 1.6MPa", "沪东容器", "B2-CHILLER", 2),
    ("fire", "XB", "消防泵", "XBD 8/40", "上海凯泉", "B2-PUMP", 2),
    ("fire", "PL", "喷淋泵", "XBD 8/30", "上海凯泉", "B2-PUMP", 2),
    ("fire", "BJ", "火灾报警控制器", "JB-QG-GST5000", "海湾安全", "F01-FCC", 1),
    ("power", "BY", "干式变压器", "SCB13-1600kVA", "特变电工", "B1-POWER", 2),
    ("power", "GD", "低压开关柜", "MNS", "施耐德", "B1-POWER", 4),
    ("power", "FD", "柴油发电机组", "500kW", "康明斯", "B1-POWER", 1),
    ("weak_current", "MJ", "门禁控制器", "DS-K2604", "海康威视", "F01-LOBBY", 2),
    ("water", "SB", "生活变频供水设备", "CDM 10-6", "格兰富", "B2-PUMP", 2),
]


def seed(*, scale=1, stdout=None):
    from . import demo_work

    today = timezone.localdate()
    if not Equipment.objects.exists():
        _equipment(today, stdout)
    demo_work.seed(today, stdout)
    if scale > 1:
        from . import demo_bulk

        demo_bulk.seed(scale, stdout)


def _equipment(today, stdout):
    _categories()
    categories = {c.code: c for c in EquipmentCategory.objects.all()}
    contractor = _contractor()
    jlg, hmc = Property.objects.get(code="JLG"), Property.objects.get(code="HMC")
    made = []
    for b in range(1, 4):
        for template in RESIDENTIAL_BUILDING:
            made += _make(jlg, f"B{b:02d}", template, categories, contractor, today)
    for template in RESIDENTIAL_SITE:
        made += _make(jlg, None, template, categories, contractor, today)
    for template in OFFICE_TOWER:
        made += _make(hmc, "TA", template, categories, contractor, today)
    Equipment.objects.bulk_create(made)
    # Something for the reminders: a certificate and a warranty running out this month.
    lift = Equipment.objects.filter(property=jlg, category__code="elevator").first()
    Equipment.objects.filter(pk=lift.pk).update(certificate_expires_on=today + timedelta(days=20))
    pump = Equipment.objects.filter(property=hmc, category__code="fire").first()
    Equipment.objects.filter(pk=pump.pk).update(warranty_ends_on=today + timedelta(days=12))
    if stdout:
        stdout.write(f"facilities: {Equipment.objects.count()} equipment")


def _categories():
    """The seeded classes (a flushed test database has lost what the migration wrote): the
    data migration's own function, run on the live models."""
    from importlib import import_module

    from django.apps import apps

    import_module("facilities.migrations.0002_equipment_categories").seed(apps, None)


def _contractor():
    from procurement.models import Supplier
    from procurement.validators import credit_code_check_character

    first17 = "91310000MA1FL7X2Q"
    supplier, _created = Supplier.objects.get_or_create(
        credit_code=first17 + credit_code_check_character(first17),
        defaults={"name": "通力电梯维保服务有限公司", "contact": "郑工", "status": "approved"},
    )
    return supplier


def _make(property_, building, template, categories, contractor, today):
    from staff.models import Employee

    code, prefix, name, model, maker, where, count = template
    category = categories[code]
    responsible = (
        Employee.objects.filter(property=property_, department__name="工程部")
        .order_by("pk")
        .first()
    )
    location = None
    if where:
        location_code = f"{building}-{where}" if building else where
        location = Location.objects.filter(property=property_, code=location_code).first()
    made = []
    for n in range(1, count + 1):
        asset = f"{prefix}-{building or 'S'}-{n:02d}"
        commissioned = today.replace(year=today.year - 3 - n % 3, day=1)
        special = category.special
        made.append(
            Equipment(
                property=property_,
                location=location,
                category=category,
                name=f"{name} {n}#" if count > 1 else name,
                asset_code=asset,
                model_number=model,
                manufacturer=maker,
                serial_number=f"{prefix}{commissioned:%Y%m}{n:03d}",
                commissioned_on=commissioned,
                warranty_ends_on=commissioned.replace(year=commissioned.year + 8),
                contractor=contractor if code == "elevator" else None,
                responsible=responsible,
                criticality=Criticality.HIGH
                if code in ("elevator", "fire", "power")
                else Criticality.MEDIUM,
                registration_number=f"31{property_.pk:02d}{prefix}{n:04d}" if special else "",
                certificate_expires_on=today + timedelta(days=120 + 30 * n) if special else None,
            )
        )
    return made
