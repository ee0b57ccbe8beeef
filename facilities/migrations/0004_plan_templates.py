"""The usual maintenance obligations, as editable plan templates (also read by the demo)."""

from django.db import migrations

# code, category, title, basis, unit, interval, mode, lead days, checks
# A check is (text, kind, minimum, maximum, unit).
TEMPLATES = [
    (
        "elevator-half-monthly",
        "elevator",
        "电梯半月维护保养",
        "TSG T5002《电梯维护保养规则》",
        "days",
        15,
        "fixed",
        3,
        [
            ("机房、滑轮间环境清洁，照明正常", "check", None, None, ""),
            ("曳引机运行无异常声响和振动", "check", None, None, ""),
            ("制动器动作灵活，制动间隙符合要求", "check", None, None, ""),
            ("轿厢内紧急报警装置、五方对讲有效", "check", None, None, ""),
            ("层门、轿门门锁电气触点清洁、可靠", "check", None, None, ""),
            ("平层准确度（偏差绝对值）", "number", None, "10", "mm"),
            ("保养后机房照片", "photo", None, None, ""),
        ],
    ),
    (
        "fire-monthly",
        "fire",
        "消防设施月度检查",
        "GB 25201《建筑消防设施的维护管理》",
        "months",
        1,
        "fixed",
        3,
        [
            ("火灾报警控制器自检、消音、复位功能正常", "check", None, None, ""),
            ("消防水泵、喷淋泵手动启停正常", "check", None, None, ""),
            ("消防水池水位", "number", "2.0", None, "m"),
            ("末端试水装置压力", "number", "0.05", None, "MPa"),
            ("灭火器压力指针在绿区，在有效期内", "check", None, None, ""),
            ("疏散指示标志、应急照明正常", "check", None, None, ""),
            ("发现问题及处理情况", "text", None, None, ""),
        ],
    ),
    (
        "water-tank-cleaning",
        "water",
        "二次供水水箱清洗消毒",
        "GB 17051《二次供水设施卫生规范》",
        "months",
        6,
        "floating",
        7,
        [
            ("停水通知已张贴，水箱排空清洗", "check", None, None, ""),
            ("水箱消毒并冲洗干净", "check", None, None, ""),
            ("出水余氯", "number", "0.05", "4", "mg/L"),
            ("浊度", "number", None, "1", "NTU"),
            ("水质检测报告编号", "text", None, None, ""),
            ("清洗后水箱内部照片", "photo", None, None, ""),
        ],
    ),
    (
        "power-cabinet-half-yearly",
        "power",
        "配电柜半年维护",
        "DL/T 596《电力设备预防性试验规程》",
        "months",
        6,
        "fixed",
        7,
        [
            ("停电、验电、挂牌上锁", "check", None, None, ""),
            ("柜体清扫除尘，通风良好", "check", None, None, ""),
            ("母排及接线端子紧固，无变色", "check", None, None, ""),
            ("接线端子温度（红外测温）", "number", None, "70", "℃"),
            ("主回路绝缘电阻", "number", "0.5", None, "MΩ"),
            ("断路器分合闸试验正常", "check", None, None, ""),
        ],
    ),
    (
        "chiller-quarterly",
        "hvac",
        "冷水机组季度保养",
        "",
        "months",
        3,
        "fixed",
        5,
        [
            ("冷凝器、蒸发器进出水温差", "number", "3", "7", "℃"),
            ("压缩机运行电流", "number", None, "520", "A"),
            ("润滑油位、油色正常", "check", None, None, ""),
            ("冷媒无泄漏", "check", None, None, ""),
        ],
    ),
]


def seed(apps, schema_editor):
    EquipmentCategory = apps.get_model("facilities", "EquipmentCategory")
    PlanTemplate = apps.get_model("facilities", "PlanTemplate")
    PlanTemplateItem = apps.get_model("facilities", "PlanTemplateItem")
    categories = {c.code: c for c in EquipmentCategory.objects.all()}
    for code, category, title, basis, unit, interval, mode, lead, checks in TEMPLATES:
        if category not in categories or PlanTemplate.objects.filter(code=code).exists():
            continue
        template = PlanTemplate.objects.create(
            code=code,
            category=categories[category],
            title=title,
            basis=basis,
            unit=unit,
            interval=interval,
            mode=mode,
            lead_days=lead,
        )
        PlanTemplateItem.objects.bulk_create(
            PlanTemplateItem(
                template=template,
                position=position,
                text=text,
                kind=kind,
                minimum=minimum,
                maximum=maximum,
                unit=item_unit,
            )
            for position, (text, kind, minimum, maximum, item_unit) in enumerate(checks, 1)
        )


class Migration(migrations.Migration):
    dependencies = [("facilities", "0003_plans_work_orders_inspections")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
