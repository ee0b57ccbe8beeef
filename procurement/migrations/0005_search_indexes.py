"""Search: trigram indexes on the searched columns, on PostgreSQL only (core.trigram)."""

from django.db import migrations

from core.trigram import AddTrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0004_sane_dates"),
        ("core", "0004_search_trigram"),
    ]

    operations = [
        AddTrigramIndex('item', 'code', 'procurement_item_code_trgm'),
        AddTrigramIndex('item', 'name', 'procurement_item_name_trgm'),
        AddTrigramIndex('supplier', 'name', 'procurement_supplier_name_trgm'),
    ]
