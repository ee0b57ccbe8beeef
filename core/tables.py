"""Tables for the generic list view (django-tables2): sortable, paginated, exportable."""

from datetime import datetime

import django_tables2 as tables
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PER_PAGE = 25
MAX_PER_PAGE = 200


class HouqinTable(tables.Table):
    """Base of every list table. A page size from the query string is kept within reason."""

    class Meta:
        template_name = "django_tables2/bootstrap5-responsive.html"
        attrs = {"class": "table table-hover table-sm align-middle mb-0"}
        empty_text = _("Nothing to show.")
        per_page = PER_PAGE

    def as_values(self, exclude_columns=None):
        """Rows for CSV/Excel export. A cell that a spreadsheet would take for a formula
        (=, +, -, @ …) is prefixed with an apostrophe, so an export can never run one."""
        for row in super().as_values(exclude_columns):
            yield [_export_value(value) for value in row]

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        per_page = min(max(per_page or PER_PAGE, 1), MAX_PER_PAGE)
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)


def make_table(model, columns):
    """A table over ``columns`` of ``model``; the first column links to the detail page."""
    meta = type("Meta", (HouqinTable.Meta,), {"model": model, "fields": tuple(columns)})
    return type(
        f"{model.__name__}Table",
        (HouqinTable,),
        {columns[0]: tables.Column(linkify=True), "Meta": meta},
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _export_value(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, datetime) and timezone.is_aware(value):
        # Spreadsheets have no time zones: export the local wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None)
    return value
