"""Tables for the generic list view (django-tables2): sortable, paginated, exportable."""

import django_tables2 as tables
from django.core.paginator import Paginator
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
        """Rows as django-tables2 exports them, each cell typed and guarded as Houqin's
        exports are (``core.exports.cell_value``: a would-be formula gets an apostrophe).
        Houqin's own exports use ``core.exports.TableExport``, which reads rows in chunks."""
        from .exports import cell_value

        for row in super().as_values(exclude_columns):
            yield [cell_value(value) for value in row]

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
