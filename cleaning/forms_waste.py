"""Forms of waste collection: points, category labels, schedules and the collection log."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PropertyFilteredSelect, ScopedModelForm
from facilities.forms import ScheduleFormMixin

from .models import (
    CollectionPoint,
    CollectionSchedule,
    WasteCategoryLabel,
    WasteCollection,
    category_labels,
)
from .models.waste import label_of

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CollectionPointForm(ScopedModelForm):
    class Meta:
        model = CollectionPoint
        fields = ["property", "name", "location", "active", "note"]
        widgets = {"location": PropertyFilteredSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["property"].disabled = True


class WasteCategoryLabelForm(ScopedModelForm):
    class Meta:
        model = WasteCategoryLabel
        fields = ["property", "category", "label"]
        help_texts = {
            "label": _(
                "What this property calls the category (cities name some of them differently)."
            ),
        }


class CollectionScheduleForm(ScheduleFormMixin, ScopedModelForm):
    class Meta:
        model = CollectionSchedule
        fields = [
            "point",
            "category",
            "hauler",
            "unit",
            "interval",
            "weekdays",
            "window_start",
            "window_hours",
            "starts_on",
            "next_due",
            "active",
            "note",
        ]
        widgets = {"window_start": TIME_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_weekdays()
        self.fields["point"].queryset = self.fields["point"].queryset.select_related("property")
        if self.instance.pk is None:
            self.fields["next_due"].required = False
            self.fields["next_due"].help_text = _("Empty: the first due date.")
        else:
            relabel_categories(self.fields["category"], self.instance.point.property_id)

    def clean(self):
        cleaned = super().clean()
        return self.default_next_due(cleaned)


def relabel_categories(field, property_id):
    """The category choices as ``property_id`` names them."""
    labels = category_labels([property_id])
    field.choices = [
        (value, label_of(labels, property_id, value) if value else label)
        for value, label in field.choices
    ]


class WasteCollectionForm(ScopedModelForm):
    """The collection log, also the phone's "record a collection" page."""

    class Meta:
        model = WasteCollection
        fields = [
            "point",
            "category",
            "collected_at",
            "bins",
            "weight_kg",
            "hauler",
            "manifest_number",
            "photo",
            "note",
        ]
        widgets = {"collected_at": DATETIME_INPUT}

    def __init__(self, *args, point=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collected_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        for name in ("bins", "weight_kg"):
            self.fields[name].widget.attrs.update(min="0", inputmode="decimal")
        point = point or (self.instance.point if self.instance.point_id else None)
        if point is not None:
            relabel_categories(self.fields["category"], point.property_id)

    def clean(self):
        cleaned = super().clean()
        bins, weight = cleaned.get("bins"), cleaned.get("weight_kg")
        if (
            "bins" not in self.errors
            and "weight_kg" not in self.errors
            and bins is None
            and weight is None
        ):
            raise forms.ValidationError(_("Give the number of bins, the weight, or both."))
        return cleaned
