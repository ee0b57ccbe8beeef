"""Search: trigram indexes on the searched columns, on PostgreSQL only (core.trigram)."""

from django.db import migrations

from core.trigram import AddTrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("safety", "0001_initial"),
        ("core", "0004_search_trigram"),
    ]

    operations = [
        AddTrigramIndex("visitor", "name", "safety_visitor_name_trgm"),
        AddTrigramIndex("visitor", "plate", "safety_visitor_plate_trgm"),
        AddTrigramIndex("visitor", "badge", "safety_visitor_badge_trgm"),
        AddTrigramIndex("accesscard", "number", "safety_card_number_trgm"),
        AddTrigramIndex("accesscard", "holder_name", "safety_card_holder_trgm"),
        AddTrigramIndex("checkpoint", "name", "safety_checkpoint_name_trgm"),
    ]
