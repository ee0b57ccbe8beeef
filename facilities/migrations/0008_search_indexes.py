"""Search: trigram indexes on the searched columns, on PostgreSQL only (core.trigram)."""

from django.db import migrations

from core.trigram import AddTrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0007_sane_dates"),
        ("core", "0004_search_trigram"),
    ]

    operations = [
        AddTrigramIndex('workorder', 'number', 'facilities_wo_number_trgm'),
        AddTrigramIndex('workorder', 'title', 'facilities_wo_title_trgm'),
        AddTrigramIndex('equipment', 'asset_code', 'facilities_eq_code_trgm'),
        AddTrigramIndex('equipment', 'name', 'facilities_eq_name_trgm'),
    ]
