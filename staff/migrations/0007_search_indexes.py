"""Search: trigram indexes on the searched columns, on PostgreSQL only (core.trigram)."""

from django.db import migrations

from core.trigram import AddTrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0006_sane_dates"),
        ("core", "0004_search_trigram"),
    ]

    operations = [
        AddTrigramIndex('employee', 'name', 'staff_employee_name_trgm'),
        AddTrigramIndex('employee', 'staff_no', 'staff_employee_no_trgm'),
        AddTrigramIndex('candidate', 'name', 'staff_candidate_name_trgm'),
    ]
