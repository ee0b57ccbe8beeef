"""Search: trigram indexes on the searched columns, on PostgreSQL only (core.trigram)."""

from django.db import migrations

from core.trigram import AddTrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("cleaning", "0002_waste_and_greening"),
        ("core", "0004_search_trigram"),
    ]

    operations = [
        AddTrigramIndex("collectionpoint", "name", "cleaning_cpoint_name_trgm"),
        AddTrigramIndex("greenzone", "name", "cleaning_gzone_name_trgm"),
        AddTrigramIndex("greenzone", "main_plants", "cleaning_gzone_plants_trgm"),
    ]
