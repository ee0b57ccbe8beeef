from django.db import migrations

CRITERIA = ["专业技能", "服务意识", "沟通表达", "安全意识", "工作稳定性"]


def create_criteria(apps, schema_editor):
    InterviewCriterion = apps.get_model("staff", "InterviewCriterion")
    for order, name in enumerate(CRITERIA, start=1):
        InterviewCriterion.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("staff", "0002_certificate_types")]

    operations = [migrations.RunPython(create_criteria, migrations.RunPython.noop)]
