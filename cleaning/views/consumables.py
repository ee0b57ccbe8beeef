"""Cleaning consumables: the issues (list, one issue with its items) and issuing new ones
from the stores to an area or a team. An issue is a stock movement: it is not edited or
deleted here (a return goes back through the stores)."""

from core.scoping import scope_queryset
from core.views import ObjectDetailView, ObjectEditView, ObjectListView
from core.views.mixins import query_id

from .. import filters, services
from ..forms_consumables import ConsumableIssueForm
from ..models import CleaningArea, ConsumableIssue


class ConsumableIssueListView(ObjectListView):
    model = ConsumableIssue
    queryset = ConsumableIssue.objects.select_related(
        "property", "area", "team", "storeroom", "received_by"
    )
    filterset_class = filters.ConsumableIssueFilter
    columns = ("issued_at", "property", "area", "team", "storeroom", "received_by", "value")


class ConsumableIssueDetailView(ObjectDetailView):
    model = ConsumableIssue
    template_name = "cleaning/consumableissue_detail.html"
    detail_fields = (
        "property",
        "area",
        "team",
        "storeroom",
        "received_by",
        "issued_at",
        "issued_by",
        "value",
        "note",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = list(self.object.lines.select_related("item"))
        return context


class ConsumableIssueAddView(ObjectEditView):
    """Issue consumables; only "new" (``pk`` in the URL is never routed here)."""

    model = ConsumableIssue
    form_class = ConsumableIssueForm
    template_name = "cleaning/consumableissue_form.html"

    def get_initial(self):
        initial = super().get_initial()
        area_id = query_id(self.request, "area")
        if area_id is not None:
            area = (
                scope_queryset(CleaningArea.objects.filter(pk=area_id), self.request.user)
                .only("property_id")
                .first()
            )
            if area is not None:
                initial.update(area=area_id, property=area.property_id)
        return initial

    def save_form(self, form):
        data = form.cleaned_data
        return services.issue_consumables(
            data["storeroom"],
            data["lines"],
            by=self.request.user,
            area=data.get("area"),
            team=data.get("team"),
            received_by=data.get("received_by"),
            issued_at=data.get("issued_at"),
            note=data.get("note") or "",
        )
