"""Waste collection pages: points, category labels, schedules, the expected collections, the
collection log (with the phone's "record a collection") and the figures."""

from dateutil.relativedelta import relativedelta
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.models import Property
from core.scoping import scope_queryset
from core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
)
from core.views.mixins import PermissionMixin, query_id

from .. import figures_waste, filters_waste, forms_waste, tables_waste
from ..models import (
    CollectionPoint,
    CollectionSchedule,
    ExpectedCollection,
    WasteCategory,
    WasteCategoryLabel,
    WasteCollection,
    category_labels,
)
from ..models.waste import CATEGORY_COLOURS, label_of
from ..services.waste import record_collection

RECENT = 10


def cleaning_crumbs(*crumbs):
    return [(_("Cleaning & environment"), reverse("cleaning:index")), *crumbs]


class CategoryDetailMixin:
    """The detail page names the category as the record's property does."""

    def get_field_rows(self):
        rows = super().get_field_rows()
        label = self.model._meta.get_field("category").verbose_name
        return [
            (name, self.object.category_label() if name == label else value) for name, value in rows
        ]


# --- points -----------------------------------------------------------------------------------


class CollectionPointListView(ObjectListView):
    model = CollectionPoint
    queryset = CollectionPoint.objects.select_related("property", "location")
    filterset_class = filters_waste.CollectionPointFilter
    columns = ("name", "property", "location", "active")


class CollectionPointDetailView(ObjectDetailView):
    model = CollectionPoint
    template_name = "cleaning/collectionpoint_detail.html"
    detail_fields = ("property", "location", "active", "note")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        point = self.object
        context.update(
            schedules=tables_waste.CollectionScheduleTable(
                point.schedules.select_related("point__property", "hauler"), orderable=False
            ),
            collections=tables_waste.WasteCollectionTable(
                point.collections.select_related("point__property", "hauler", "recorded_by")[
                    :RECENT
                ],
                orderable=False,
            ),
            can_record=self.request.user.has_perm("cleaning.add_wastecollection"),
        )
        return context


class CollectionPointEditView(ObjectEditView):
    model = CollectionPoint
    form_class = forms_waste.CollectionPointForm


class CollectionPointDeleteView(ObjectDeleteView):
    model = CollectionPoint


# --- category labels --------------------------------------------------------------------------


class WasteCategoryLabelListView(ObjectListView):
    model = WasteCategoryLabel
    queryset = WasteCategoryLabel.objects.select_related("property")
    filterset_class = filters_waste.WasteCategoryLabelFilter
    table_class = tables_waste.WasteCategoryLabelTable


class WasteCategoryLabelDetailView(ObjectDetailView):
    model = WasteCategoryLabel


class WasteCategoryLabelEditView(ObjectEditView):
    model = WasteCategoryLabel
    form_class = forms_waste.WasteCategoryLabelForm


class WasteCategoryLabelDeleteView(ObjectDeleteView):
    model = WasteCategoryLabel


# --- schedules --------------------------------------------------------------------------------


class CollectionScheduleListView(ObjectListView):
    model = CollectionSchedule
    queryset = CollectionSchedule.objects.select_related("point__property", "hauler")
    filterset_class = filters_waste.CollectionScheduleFilter
    table_class = tables_waste.CollectionScheduleTable


class CollectionScheduleDetailView(CategoryDetailMixin, ObjectDetailView):
    model = CollectionSchedule
    template_name = "cleaning/collectionschedule_detail.html"
    detail_fields = (
        "point",
        "category",
        "hauler",
        "window_start",
        "window_hours",
        "starts_on",
        "next_due",
        "active",
        "note",
    )
    related = ("point__property",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            schedule=self.object.describe_schedule(),
            expected=tables_waste.ExpectedCollectionTable(
                self.object.expected.with_collected().select_related("point__property", "hauler")[
                    :RECENT
                ],
                orderable=False,
            ),
        )
        return context


class CollectionScheduleEditView(ObjectEditView):
    model = CollectionSchedule
    form_class = forms_waste.CollectionScheduleForm

    def get_initial(self):
        initial = super().get_initial()
        point = query_id(self.request, "point")
        if point is not None:
            initial["point"] = point
        return initial


class CollectionScheduleDeleteView(ObjectDeleteView):
    model = CollectionSchedule


# --- expected collections ---------------------------------------------------------------------


class ExpectedCollectionListView(ObjectListView):
    model = ExpectedCollection
    queryset = ExpectedCollection.objects.with_collected().select_related(
        "point__property", "hauler"
    )
    filterset_class = filters_waste.ExpectedCollectionFilter
    table_class = tables_waste.ExpectedCollectionTable


class ExpectedCollectionDetailView(CategoryDetailMixin, ObjectDetailView):
    model = ExpectedCollection
    template_name = "cleaning/expectedcollection_detail.html"
    detail_fields = (
        "schedule",
        "point",
        "category",
        "due_on",
        "window_start",
        "window_end",
        "hauler",
    )
    related = ("point__property",)

    def get_queryset(self):
        return super().get_queryset().with_collected()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        expected = self.object
        context.update(
            logs=list(expected.logs_in_window().select_related("hauler")),
            missed=expected.is_missed(),
            can_record=self.request.user.has_perm("cleaning.add_wastecollection"),
        )
        return context


# --- the collection log -----------------------------------------------------------------------


class WasteCollectionListView(ObjectListView):
    model = WasteCollection
    queryset = WasteCollection.objects.select_related("point__property", "hauler", "recorded_by")
    filterset_class = filters_waste.WasteCollectionFilter
    table_class = tables_waste.WasteCollectionTable


class WasteCollectionDetailView(CategoryDetailMixin, ObjectDetailView):
    model = WasteCollection
    template_name = "cleaning/wastecollection_detail.html"
    detail_fields = (
        "point",
        "category",
        "collected_at",
        "bins",
        "weight_kg",
        "hauler",
        "manifest_number",
        "recorded_by",
        "note",
    )
    related = ("point__property",)


class WasteCollectionEditView(ObjectEditView):
    model = WasteCollection
    form_class = forms_waste.WasteCollectionForm

    def expected(self):
        """The expected collection named in ``?expected=`` (scoped), or None."""
        pk = query_id(self.request, "expected")
        if pk is None or self.object is not None:
            return None
        found = scope_queryset(
            ExpectedCollection.objects.select_related("point"), self.request.user
        )
        return found.filter(pk=pk).first()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        expected = self.expected()
        if expected is not None:
            kwargs["point"] = expected.point
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        expected = self.expected()
        if expected is not None:
            initial.update(
                point=expected.point_id, category=expected.category, hauler=expected.hauler_id
            )
        else:
            point = query_id(self.request, "point")
            if point is not None:
                initial["point"] = point
            category = self.request.GET.get("category", "")
            if category in WasteCategory.values:
                initial["category"] = category
        if self.object is None:
            initial["collected_at"] = timezone.localtime().replace(second=0, microsecond=0)
        return initial

    def save_form(self, form):
        return record_collection(form.instance, by=self.request.user)


class RecordCollectionView(WasteCollectionEditView):
    """The phone's page: the point, the category, bins or weight, a photo, one button."""

    template_name = "cleaning/record_collection.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expected"] = self.expected()
        return context


class WasteCollectionDeleteView(ObjectDeleteView):
    model = WasteCollection


class WasteCollectionPhotoView(ObjectFileView):
    model = WasteCollection
    file_field = "photo"


# --- figures ----------------------------------------------------------------------------------


class WasteFiguresForm(forms.Form):
    property = forms.ModelChoiceField(
        label=_("Property"), queryset=Property.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["property"].queryset = scope_queryset(Property.objects.all(), user)

    def chosen(self):
        """The property asked for; "All" is asked for by an empty choice. Unasked, a user of
        several properties sees the first one (all of them at once is a table of every
        collection point, and a long wait at scale)."""
        if self.is_bound:
            return self.cleaned_data.get("property") if self.is_valid() else None
        return self.fields["property"].queryset.order_by("code").first()


TIMELINESS_MONTHS = 6
VOLUME_MONTHS = 12


class WasteFiguresView(PermissionMixin, TemplateView):
    """垃圾清运指标: collection timeliness by point and month, and the monthly volume per
    category as a bar chart."""

    permission_required = "cleaning.view_wastecollection"
    template_name = "cleaning/waste_figures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = WasteFiguresForm(self.request.GET or None, user=user)
        chosen = form.chosen()
        expected = scope_queryset(ExpectedCollection.objects.all(), user)
        collections = scope_queryset(WasteCollection.objects.all(), user)
        if chosen is not None:
            expected = expected.filter(point__property=chosen)
            collections = collections.filter(point__property=chosen)
        today = timezone.localdate()
        first = today.replace(day=1) - relativedelta(months=TIMELINESS_MONTHS - 1)
        start, end = figures_waste.month_bounds(first, today)
        months = [first + relativedelta(months=k) for k in range(TIMELINESS_MONTHS)]
        group = "point" if chosen is not None else "property"
        points = figures_waste.timeliness_by_point(expected, start, end, group=group)
        month_start, month_end = figures_waste.month_bounds(today)
        labels = category_labels([chosen.pk]) if chosen is not None else {}
        property_id = chosen.pk if chosen is not None else None
        context.update(
            form=form,
            months=months,
            points=[(point, [point.months.get(month) for month in months]) for point in points],
            group=group,
            overall=figures_waste.summed(points),
            this_month=figures_waste.summed(points, today.replace(day=1)),
            volume=figures_waste.volume_by_category(
                collections, month_start, month_end, labels, property_id
            ),
            chart=self.chart(collections, today, labels, property_id),
            breadcrumbs=cleaning_crumbs((_("Waste figures"), None)),
        )
        return context

    def chart(self, collections, today, labels, property_id):
        """Monthly kilograms per category as stacked bars (CSS widths, no script)."""
        series = figures_waste.monthly_volume(collections, today, VOLUME_MONTHS)
        top = max((sum(kg for _bins, kg in cells.values()) for _month, cells in series), default=0)
        top = top or 1
        legend = [
            (label_of(labels, property_id, value), CATEGORY_COLOURS[value])
            for value in WasteCategory.values
        ]
        rows = []
        for month, cells in series:
            total = sum(kg for _bins, kg in cells.values())
            bins = sum(b for b, _kg in cells.values())
            bars = [
                (
                    label_of(labels, property_id, value),
                    CATEGORY_COLOURS[value],
                    cells[value][1],
                    round(float(cells[value][1]) * 100 / float(top), 1),
                )
                for value in WasteCategory.values
                if value in cells and cells[value][1]
            ]
            rows.append({"month": month, "total": total, "bins": bins, "bars": bars})
        return {"legend": legend, "rows": rows}
