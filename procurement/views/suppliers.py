"""Suppliers and their qualification documents."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectWithLinesEditView,
)

from .. import filters, forms
from ..models import Supplier
from ..scorecard import scorecards


class SupplierListView(ObjectListView):
    model = Supplier
    filterset_class = filters.SupplierFilter
    columns = ("name", "credit_code", "status", "contact", "phone")


class SupplierDetailView(ObjectDetailView):
    model = Supplier
    template_name = "procurement/supplier_detail.html"
    detail_fields = (
        "name",
        "credit_code",
        "status",
        "status_reason",
        "contact",
        "phone",
        "email",
        "address",
        "note",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["documents"] = self.object.documents.all()
        context["categories"] = self.object.categories.select_related("parent")
        context["today"] = timezone.localdate()
        context["card"] = scorecards([self.object.pk])[self.object.pk]
        return context


class SupplierEditView(ObjectWithLinesEditView):
    """The supplier and its qualification documents, saved together."""

    model = Supplier
    form_class = forms.SupplierForm
    formset_class = forms.DocumentFormSet
    lines_title = _("Qualification documents")


class SupplierDeleteView(ObjectDeleteView):
    model = Supplier
