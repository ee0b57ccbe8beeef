"""A report: a table computed in SQL from a small form of parameters, paginated and
exportable (CSV/Excel) like every list.

class SpendReport(ReportView):
    permission_required = "procurement.view_goodsreceipt"
    title = _("Spend per month")
    form_class = SpendForm
    table_class = SpendTable

    def get_rows(self, params):
        return GoodsReceiptLine.objects.values(...).annotate(...)
"""

from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from ..exports import ExportMixin, filename, table_row_count
from .mixins import PermissionMixin


class ReportView(PermissionMixin, ExportMixin, SingleTableMixin, TemplateView):
    template_name = "generic/report.html"
    title = ""
    description = ""
    form_class = None
    slug = "report"
    breadcrumbs = ()

    def get_form(self):
        if self.form_class is None:
            return None
        # Only the form's own parameters bind it: an export link, a page or a sort order on
        # the first view (?_export=csv, ?sort=…) keeps the initial values, not an empty form.
        data = self.request.GET
        if not any(name in data for name in self.form_class.base_fields):
            data = None
        return self.form_class(data, user=self.request.user)

    def get_params(self, form):
        """The cleaned parameters (the form's initial values when nothing was asked)."""
        if form is None:
            return {}
        if form.is_bound:
            return form.cleaned_data if form.is_valid() else None
        return {name: field.initial for name, field in form.fields.items()}

    def get_rows(self, params):
        raise NotImplementedError

    def get_table_data(self):
        self.form = self.get_form()
        self.params = self.get_params(self.form)
        if self.params is None:
            return []
        return self.get_rows(self.params)

    def get_table_kwargs(self):
        return {}

    def get_export_filename(self, export_format):
        return filename(self.slug, export_format)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        links = self.get_export_links(table_row_count(context["table"]))
        context.update(
            title=self.title,
            description=self.description,
            form=self.form,
            export_links=links,
            breadcrumbs=[*self.breadcrumbs, (self.title, None)],
        )
        return context
