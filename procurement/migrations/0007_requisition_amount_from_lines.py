"""Drafts kept 0.00 as their amount until submitted while their lines added up to more: store
the sum of its lines as every draft's amount. (Lines freeze once a requisition is
submitted, and submitting stored their sum, so the others are left as they are.)"""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

MONEY = {"max_digits": 14, "decimal_places": 2}


def store_line_totals(apps, schema_editor):
    Requisition = apps.get_model("procurement", "Requisition")
    RequisitionLine = apps.get_model("procurement", "RequisitionLine")
    total = (
        RequisitionLine.objects.filter(requisition=OuterRef("pk"))
        .order_by()
        .values("requisition")
        .annotate(total=Sum(F("quantity") * F("estimated_price")))
        .values("total")
    )
    field = models.DecimalField(**MONEY)
    # One statement, idempotent.
    Requisition.objects.filter(status="draft").update(
        amount=Coalesce(Subquery(total, output_field=field), Value(Decimal(0)), output_field=field)
    )


class Migration(migrations.Migration):
    dependencies = [("procurement", "0006_list_order_indexes")]

    operations = [migrations.RunPython(store_line_totals, migrations.RunPython.noop)]
