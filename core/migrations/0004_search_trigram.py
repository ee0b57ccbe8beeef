"""Search: pg_trgm and the trigram indexes of locations, on PostgreSQL only (core.trigram)."""

from django.db import migrations

from core.trigram import AddTrigramIndex, TrigramExtension


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_calendar_feed"),
    ]

    operations = [
        TrigramExtension(),
        AddTrigramIndex("location", "full_name", "core_location_name_trgm"),
        AddTrigramIndex("location", "code", "core_location_code_trgm"),
    ]
