from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.checklists import PHOTO_VALIDATOR, AnswersForm, ChecklistFormSet, ChecklistKind
from core.dates import validate_sane_date
from core.forms import PropertyFilteredSelect, ScopedModelForm
from facilities.forms import SCHEDULE_FIELDS, ScheduleFormMixin

from .models import (
    CleaningArea,
    CleaningInspection,
    CleaningStandard,
    FollowUp,
    Rectification,
    StandardItem,
)


class CleaningAreaForm(ScopedModelForm):
    class Meta:
        model = CleaningArea
        fields = [
            "property",
            "name",
            "location",
            "kind",
            "size_m2",
            "cleaner",
            "team",
            "active",
            "note",
        ]
        widgets = {
            "location": PropertyFilteredSelect,
            "cleaner": PropertyFilteredSelect,
            "team": PropertyFilteredSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cleaner"].queryset = self.fields["cleaner"].queryset.current()
        self.fields["size_m2"].min_value = 0.01
        if self.instance.pk:
            self.fields["property"].disabled = True


class CleaningStandardForm(ScheduleFormMixin, ScopedModelForm):
    class Meta:
        model = CleaningStandard
        fields = [
            "property",
            "name",
            "kind",
            *SCHEDULE_FIELDS,
            "times",
            "window_hours",
            "starts_on",
            "next_due",
            "pass_mark",
            "sop",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_weekdays()
        self.fields.pop("lead_days", None)
        self.fields.pop("mode", None)
        if self.instance.pk is None:
            self.fields["next_due"].required = False
            self.fields["next_due"].help_text = _("Empty: the first due date.")
        else:
            self.fields["property"].disabled = True

    def clean(self):
        cleaned = super().clean()
        return self.default_next_due(cleaned)


class StandardItemForm(forms.ModelForm):
    """A scored item: its points (the items add up to 100) and, optionally, the points
    below which it fails (empty: anything short of full marks fails)."""

    class Meta:
        model = StandardItem
        fields = ["position", "text", "weight", "minimum"]
        labels = {"minimum": _("pass at")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = ChecklistKind.SCORE
        self.fields["weight"].required = True

    def clean(self):
        cleaned = super().clean()
        self.instance.kind = ChecklistKind.SCORE
        return cleaned


class StandardItemFormSet(ChecklistFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("text")
        ]
        if not kept:
            raise forms.ValidationError(
                _("Give the standard its inspection items (their points add up to 100).")
            )


StandardItemFormSet = forms.inlineformset_factory(
    CleaningStandard,
    StandardItem,
    form=StandardItemForm,
    formset=StandardItemFormSet,
    extra=3,
    can_delete=True,
)


class CleaningInspectionForm(ScopedModelForm):
    """Start an inspection: the area, who inspects (never the area's cleaner) and when."""

    class Meta:
        model = CleaningInspection
        fields = ["area", "inspector", "inspected_at", "note"]
        widgets = {
            "inspected_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, reinspects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reinspects = reinspects
        self.fields["inspected_at"].validators.append(validate_sane_date)
        self.fields["inspector"].queryset = self.fields["inspector"].queryset.current()
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault(
                "inspected_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            employee = getattr(self.user, "employee", None)
            if employee is not None:
                self.initial.setdefault("inspector", employee.pk)
        if self.instance.pk:
            self.fields["area"].disabled = True
            self.fields["inspector"].disabled = True

    def clean(self):
        cleaned = super().clean()
        area, inspector = cleaned.get("area"), cleaned.get("inspector")
        if area is not None and inspector is not None:
            if area.cleaner_id and area.cleaner_id == inspector.pk:
                self.add_error("inspector", _("The area's own cleaner cannot inspect it."))
            elif inspector.property_id != area.property_id:
                self.add_error("inspector", _("This person works at another property."))
        return cleaned


class ScoreForm(AnswersForm):
    """The phone page of an inspection: per item its points, and for a failed one what is
    wrong, what it needs and a photo."""

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, results=results, **kwargs)
        for result in self.results:
            field = self.fields[result.field_name]
            field.widget.attrs.update(
                {"class": "form-control form-control-lg", "inputmode": "decimal", "step": "0.5"}
            )
            self.fields[f"n{result.pk}"] = forms.CharField(
                label=_("What is wrong"), max_length=300, required=False, initial=result.note
            )
            self.fields[f"f{result.pk}"] = forms.ChoiceField(
                label=_("Needs"), choices=FollowUp.choices, initial=result.needs
            )
            self.fields[f"p{result.pk}"] = forms.FileField(
                label=_("Photo"),
                required=False,
                validators=[PHOTO_VALIDATOR],
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/jpeg,image/png", "capture": "environment"}
                ),
            )
            self.fields[f"n{result.pk}"].widget.attrs["class"] = "form-control form-control-lg"
            self.fields[f"f{result.pk}"].widget.attrs["class"] = "form-select form-select-lg"
            self.fields[f"p{result.pk}"].widget.attrs["class"] = "form-control"
            result.note_field = f"n{result.pk}"
            result.needs_field = f"f{result.pk}"
            result.photo_field = f"p{result.pk}"

    def details(self):
        details = {}
        for result in self.results:
            entry = {
                "note": self.cleaned_data.get(result.note_field, ""),
                "needs": self.cleaned_data.get(result.needs_field),
            }
            photo = self.cleaned_data.get(result.photo_field)
            if photo:
                entry["photo"] = photo
            details[result.pk] = entry
        return details


class RectificationForm(ScopedModelForm):
    class Meta:
        model = Rectification
        fields = ["responsible", "deadline"]
        widgets = {
            "deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "responsible": PropertyFilteredSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].validators.append(validate_sane_date)
        self.fields["responsible"].queryset = (
            self.fields["responsible"]
            .queryset.current()
            .filter(property=self.instance.area.property_id)
            if self.instance.pk
            else self.fields["responsible"].queryset.current()
        )


class DoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=500, required=False)
