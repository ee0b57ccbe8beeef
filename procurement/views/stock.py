"""Catalogue, storerooms, the stock-on-hand report, the ledger, issues and stock operations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from core.scoping import scope_queryset
from core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectWithLinesEditView,
)
from core.views.generic import add_errors
from core.views.mixins import PermissionMixin

from .. import filters, forms, services, tables
from ..dashboard import with_on_hand
from ..models import (
    STOCK_ISSUE,
    Item,
    ItemCategory,
    MovementKind,
    StockBalance,
    StockIssue,
    StockLevel,
    StockMovement,
    Storeroom,
)
from .mixins import DraftOnlyMixin


class ItemCategoryListView(ObjectListView):
    model = ItemCategory
    queryset = ItemCategory.objects.select_related("parent")
    filterset_class = filters.ItemCategoryFilter
    columns = ("name", "parent")


class ItemCategoryDetailView(ObjectDetailView):
    model = ItemCategory


class ItemCategoryEditView(ObjectEditView):
    model = ItemCategory
    form_class = forms.ItemCategoryForm


class ItemCategoryDeleteView(ObjectDeleteView):
    model = ItemCategory


class ItemListView(ObjectListView):
    model = Item
    filterset_class = filters.ItemFilter
    columns = ("code", "name", "specification", "unit", "category", "standard_price", "active")

    def get_queryset(self):
        return super().get_queryset().select_related("category__parent")


class ItemDetailView(ObjectDetailView):
    """The item, what each of the user's storerooms holds, and its latest movements."""

    model = Item
    template_name = "procurement/item_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["balances"] = scope_queryset(self.object.balances.select_related("storeroom"), user)
        context["movements"] = scope_queryset(
            self.object.movements.select_related("storeroom", "by"), user
        )[:20]
        return context


class ItemEditView(ObjectEditView):
    model = Item
    form_class = forms.ItemForm


class ItemDeleteView(ObjectDeleteView):
    model = Item


class StoreroomListView(ObjectListView):
    model = Storeroom
    queryset = Storeroom.objects.select_related("property", "keeper")
    filterset_class = filters.StoreroomFilter
    columns = ("code", "name", "property", "keeper", "active")


class StoreroomDetailView(ObjectDetailView):
    model = Storeroom
    template_name = "procurement/storeroom_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = self.object.balances.aggregate(value=Sum("value"))
        return context


class StoreroomEditView(ObjectEditView):
    model = Storeroom
    form_class = forms.StoreroomForm


class StoreroomDeleteView(ObjectDeleteView):
    model = Storeroom


class StockLevelListView(ObjectListView):
    """Reorder points with what is on hand; the below-minimum filter also finds items never
    stocked (no balance row), which the stock-on-hand page cannot list."""

    model = StockLevel
    filterset_class = filters.StockLevelFilter
    table_class = tables.StockLevelTable

    def get_queryset(self):
        return with_on_hand(super().get_queryset().select_related("item", "storeroom"))


class StockLevelDetailView(ObjectDetailView):
    model = StockLevel


class StockLevelEditView(ObjectEditView):
    model = StockLevel
    form_class = forms.StockLevelForm


class StockLevelDeleteView(ObjectDeleteView):
    model = StockLevel


class StockOnHandView(ObjectListView):
    """Stock on hand and its value, per storeroom: read from the balances, never by adding
    up the ledger. Rows below their minimum are highlighted (and can be filtered)."""

    model = StockBalance
    filterset_class = filters.StockBalanceFilter
    table_class = tables.StockBalanceTable
    template_name = "procurement/stock_on_hand.html"

    def get_queryset(self):
        minimum = StockLevel.objects.filter(
            item=OuterRef("item"), storeroom=OuterRef("storeroom")
        ).values("minimum")[:1]
        return (
            super()
            .get_queryset()
            .select_related("item", "storeroom")
            .annotate(minimum=Subquery(minimum))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["total_value"] = self.object_list.aggregate(
            total=Coalesce(Sum("value"), 0, output_field=DecimalField())
        )["total"]
        return context


class StockMovementListView(ObjectListView):
    """The ledger, filterable down to one item's history in one storeroom."""

    model = StockMovement
    queryset = StockMovement.objects.select_related("item", "storeroom", "by")
    filterset_class = filters.StockMovementFilter
    table_class = tables.StockMovementTable


class StockMovementDetailView(ObjectDetailView):
    model = StockMovement
    detail_fields = (
        "at",
        "kind",
        "item",
        "storeroom",
        "quantity",
        "unit_cost",
        "value",
        "balance_after",
        "reference",
        "department",
        "employee",
        "work_order_ref",
        "note",
        "by",
    )


class StockIssueListView(ObjectListView):
    model = StockIssue
    queryset = StockIssue.objects.select_related("storeroom", "department", "employee")
    filterset_class = filters.StockIssueFilter
    columns = ("id", "storeroom", "department", "employee", "purpose", "status", "issued_at")


class StockIssueDetailView(ObjectDetailView):
    model = StockIssue
    template_name = "procurement/stockissue_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = self.object.lines.select_related("item")
        context["can_post"] = STOCK_ISSUE.allowed(self.object, "issue", self.request.user)
        return context


class StockIssueEditView(DraftOnlyMixin, ObjectWithLinesEditView):
    """The issue and its lines; only a draft can be edited."""

    model = StockIssue
    form_class = forms.StockIssueForm
    formset_class = forms.IssueLineFormSet
    lines_title = _("Lines")


class StockIssueDeleteView(DraftOnlyMixin, ObjectDeleteView):
    model = StockIssue


class PostIssueView(ObjectActionView):
    """POST: hand the goods out; refused whole if any line is short."""

    model = StockIssue
    success_message = _("Issued: stock and ledger updated.")

    def perform(self, issue, data):
        services.post_issue(issue, by=self.request.user)


class StockOperationView(PermissionMixin, FormView):
    """An adjustment (with its reason) or goods returned to stock."""

    permission_required = "procurement.add_stockmovement"
    form_class = forms.StockOperationForm
    template_name = "procurement/stock_operation.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if data["kind"] == MovementKind.RETURN:
                    movement = services.return_items(
                        data["storeroom"],
                        data["item"],
                        data["quantity"],
                        by=self.request.user,
                        note=data["reason"],
                    )
                else:
                    movement = services.adjust(
                        data["storeroom"],
                        data["item"],
                        data["quantity"],
                        by=self.request.user,
                        reason=data["reason"],
                        unit_cost=data["unit_cost"],
                    )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Posted: %(movement)s.") % {"movement": movement})
        return HttpResponseRedirect(movement.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [
            (_("Procurement & stores"), reverse("procurement:index")),
            (_("Stock operation"), None),
        ]
        return context


class TransferView(StockOperationView):
    form_class = forms.TransferForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            out, _into = services.transfer(
                data["item"],
                data["source"],
                data["target"],
                data["quantity"],
                by=self.request.user,
                note=data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Transferred."))
        return HttpResponseRedirect(out.get_absolute_url())
