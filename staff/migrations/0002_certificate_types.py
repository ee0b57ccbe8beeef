"""The certificate types every logistics team deals with (editable afterwards)."""

from django.db import migrations

COMMON_TYPES = [
    ("电工特种作业操作证", "应急管理部门"),
    ("高处作业证", "应急管理部门"),
    ("焊工证", "应急管理部门"),
    ("电梯安全管理员", "市场监督管理部门"),
    ("消防设施操作员", "人力资源和社会保障部门"),
    ("保安员证", "公安机关"),
    ("健康证", "疾病预防控制机构"),
    ("机动车驾驶证", "公安交通管理部门"),
]


def create_types(apps, schema_editor):
    CertificateType = apps.get_model("staff", "CertificateType")
    for name, issuer in COMMON_TYPES:
        CertificateType.objects.get_or_create(name=name, defaults={"issuing_authority": issuer})


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_initial")]

    operations = [migrations.RunPython(create_types, migrations.RunPython.noop)]
