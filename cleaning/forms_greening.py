"""Forms of greening: zones, plans, tasks, the pesticide log and the phone's "done" page."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.autocomplete import AutocompleteFormMixin
from core.dates import validate_sane_date
from core.forms import PropertyFilteredSelect, ScopedModelForm
from facilities.forms import ScheduleFormMixin
from procurement.models import Storeroom
from staff.models import Employee

from .forms_consumables import ItemLinesMixin
from .forms_waste import DATETIME_INPUT
from .models import (
    DoseUnit,
    GreeningPlan,
    GreeningTask,
    GreenZone,
    PesticideApplication,
)

MONTHS = [(n, str(n)) for n in range(1, 13)]


class GreenZoneForm(ScopedModelForm):
    class Meta:
        model = GreenZone
        fields = ["property", "name", "location", "area_m2", "main_plants", "active", "note"]
        widgets = {"location": PropertyFilteredSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_m2"].min_value = Decimal("0.1")
        if self.instance.pk is not None:
            self.fields["property"].disabled = True


class GreeningPlanForm(ScheduleFormMixin, ScopedModelForm):
    class Meta:
        model = GreeningPlan
        fields = [
            "zone",
            "kind",
            "season",
            "from_month",
            "to_month",
            "unit",
            "interval",
            "weekdays",
            "lead_days",
            "starts_on",
            "next_due",
            "assignee",
            "instructions",
            "active",
        ]
        widgets = {
            "from_month": forms.Select(choices=MONTHS),
            "to_month": forms.Select(choices=MONTHS),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_weekdays()
        self.fields["assignee"].queryset = self.fields["assignee"].queryset.current()
        self.fields["lead_days"].help_text = _(
            "The task is opened this many days before it is due."
        )
        if self.instance.pk is None:
            self.fields["next_due"].required = False
            self.fields["next_due"].help_text = _("Empty: the first due date.")

    def clean(self):
        cleaned = super().clean()
        return self.default_next_due(cleaned)


class GreeningTaskForm(ScopedModelForm):
    """A task added by hand (planned ones come from their plan)."""

    class Meta:
        model = GreeningTask
        fields = ["zone", "kind", "due_on", "assignee", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = self.fields["assignee"].queryset.current()


class PesticideApplicationForm(ScopedModelForm):
    class Meta:
        model = PesticideApplication
        fields = [
            "zone",
            "task",
            "product",
            "dose",
            "dose_unit",
            "dilution",
            "applied_by",
            "applied_at",
            "safety_interval_days",
            "reentry_note",
        ]
        widgets = {"applied_at": DATETIME_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applied_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["dose"].min_value = Decimal("0.001")
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault(
                "applied_at", timezone.localtime().replace(second=0, microsecond=0)
            )


class TaskDoneForm(ItemLinesMixin, AutocompleteFormMixin, forms.Form):
    """The phone's "done" page: who, when, a note, up to three materials from one storeroom,
    and for pest control the pesticide applied."""

    done_by = forms.ModelChoiceField(label=_("Done by"), queryset=Employee.objects.none())
    done_at = forms.DateTimeField(
        label=_("Done at"),
        required=False,
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Empty: now."),
        validators=[validate_sane_date],
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    storeroom = forms.ModelChoiceField(
        label=_("Materials from storeroom"), queryset=Storeroom.objects.none(), required=False
    )
    product = forms.CharField(label=_("Pesticide product"), max_length=100, required=False)
    dose = forms.DecimalField(
        label=_("Dose"), required=False, min_value=Decimal("0.001"), max_digits=10, decimal_places=3
    )
    dose_unit = forms.ChoiceField(label=_("Unit"), choices=DoseUnit.choices, initial=DoseUnit.ML)
    dilution = forms.CharField(label=_("Dilution"), max_length=30, required=False)
    safety_interval_days = forms.IntegerField(
        label=_("Safety interval (days)"), min_value=0, max_value=365, required=False
    )
    reentry_note = forms.CharField(label=_("Re-entry note"), max_length=200, required=False)

    PESTICIDE_FIELDS = (
        "product",
        "dose",
        "dose_unit",
        "dilution",
        "safety_interval_days",
        "reentry_note",
    )

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        property_id = task.zone.property_id
        self.fields["done_by"].queryset = Employee.objects.filter(property=property_id).current()
        self.fields["storeroom"].queryset = Storeroom.objects.filter(
            property=property_id, active=True
        )
        self.add_item_lines()
        if not task.needs_pesticide:
            for name in self.PESTICIDE_FIELDS:
                del self.fields[name]
        else:
            self.fields["product"].required = True
            self.fields["dose"].required = True
        if task.assignee_id and not self.is_bound:
            self.initial["done_by"] = task.assignee_id
        # The autocomplete widgets were set up before the querysets narrowed above.
        from core.autocomplete import use_autocomplete

        use_autocomplete(self.fields.values())

    def clean(self):
        cleaned = super().clean()
        lines = self.clean_item_lines(cleaned)
        if lines and cleaned.get("storeroom") is None and "storeroom" not in self.errors:
            self.add_error("storeroom", _("Choose the storeroom the materials come from."))
        cleaned["materials"] = lines
        return cleaned

    def pesticide(self):
        if not self.task.needs_pesticide:
            return None
        data = {name: self.cleaned_data.get(name) for name in self.PESTICIDE_FIELDS}
        data["dilution"] = data["dilution"] or ""
        data["reentry_note"] = data["reentry_note"] or ""
        return data
