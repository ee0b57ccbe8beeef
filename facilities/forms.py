from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.autocomplete import AutocompleteFormMixin
from core.checklists import PHOTO_VALIDATOR, ChecklistFormSet
from core.dates import validate_sane_date
from core.forms import PropertyFilteredSelect, ScopedModelForm
from core.models import Location
from core.recurrence import WEEKDAY_NAMES
from core.scoping import scope_queryset
from procurement.models import Item, Storeroom, Supplier
from staff.models import Employee

from .models import (
    ChecklistItem,
    DowntimeReason,
    Equipment,
    EquipmentCategory,
    EquipmentStatus,
    FrequencyUnit,
    InspectionCheck,
    InspectionPoint,
    InspectionRoute,
    MaintenancePlan,
    PhotoStage,
    PlanTemplate,
    PlanTemplateItem,
    Priority,
    WorkOrder,
    weekday_mask,
    weekday_set,
)


class EquipmentCategoryForm(ScopedModelForm):
    class Meta:
        model = EquipmentCategory
        fields = ["code", "name", "special", "sort_order"]


class EquipmentForm(ScopedModelForm):
    class Meta:
        model = Equipment
        fields = [
            "property",
            "asset_code",
            "name",
            "category",
            "location",
            "model_number",
            "manufacturer",
            "serial_number",
            "commissioned_on",
            "warranty_ends_on",
            "contractor",
            "responsible",
            "criticality",
            "status",
            "registration_number",
            "certificate_expires_on",
            "note",
        ]
        widgets = {"location": PropertyFilteredSelect, "responsible": PropertyFilteredSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = self.fields["location"].queryset.select_related(
            "property"
        )
        self.fields["responsible"].queryset = self.fields["responsible"].queryset.current()
        if self.instance.pk:
            # Its history belongs to the property: equipment does not move between them.
            self.fields["property"].disabled = True
            if self.instance.downtimes.open().exists():
                # While it is down, its status follows the downtime ("back in service").
                self.fields["status"].disabled = True
                self.fields["status"].help_text = _(
                    "The equipment is down: end its downtime to put it back in service."
                )


def in_use_or(pk):
    """Equipment that is not retired, or the one a record already points at."""
    return ~Q(status=EquipmentStatus.RETIRED) | Q(pk=pk)


def current_or(pk):
    """Employees still on the books, or the one a record already points at."""
    return ~Q(status="resigned") | Q(pk=pk)


# --- schedules: templates and plans -------------------------------------------------------


class ScheduleFormMixin:
    """The weekdays of a schedule as checkboxes (stored as a bit mask)."""

    def setup_weekdays(self):
        self.fields["weekdays"] = forms.TypedMultipleChoiceField(
            label=_("Weekdays"),
            choices=[(day, name) for day, name in enumerate(WEEKDAY_NAMES)],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-inline"}),
            help_text=_("For “chosen weekdays”: which days."),
        )
        if not self.is_bound:
            self.initial["weekdays"] = weekday_set(self.instance.weekdays or 0)

    def clean_weekdays(self):
        return weekday_mask(self.cleaned_data.get("weekdays") or [])

    def default_next_due(self, cleaned):
        """A new schedule left without a next date starts from its first date, or, when that
        is in the past, from its first date on or after today: a plan typed in today does not
        open a year of back-dated orders."""
        starts_on = cleaned.get("starts_on")
        if not starts_on or cleaned.get("next_due"):
            return cleaned
        series = self._meta.model(
            unit=cleaned.get("unit") or FrequencyUnit.DAYS,
            interval=cleaned.get("interval") or 1,
            weekdays=cleaned.get("weekdays") or 0,
        )
        try:
            next_due = series.first_on_or_after(starts_on, max(starts_on, timezone.localdate()))
        except (ValueError, OverflowError):
            next_due = starts_on
        cleaned["next_due"] = self.instance.next_due = next_due
        return cleaned


SCHEDULE_FIELDS = ["unit", "interval", "weekdays", "mode", "lead_days"]


class PlanTemplateForm(ScheduleFormMixin, ScopedModelForm):
    class Meta:
        model = PlanTemplate
        fields = ["category", "code", "title", "basis", *SCHEDULE_FIELDS, "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_weekdays()


class MaintenancePlanForm(ScheduleFormMixin, ScopedModelForm):
    class Meta:
        model = MaintenancePlan
        fields = [
            "equipment",
            "template",
            "title",
            *SCHEDULE_FIELDS,
            "starts_on",
            "next_due",
            "assignee",
            "contractor",
            "estimated_hours",
            "instructions",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_weekdays()
        instance = self.instance
        self.fields["equipment"].queryset = (
            self.fields["equipment"]
            .queryset.filter(in_use_or(instance.equipment_id))
            .select_related("property")
        )
        self.fields["assignee"].queryset = (
            self.fields["assignee"]
            .queryset.filter(current_or(instance.assignee_id))
            .select_related("property")
        )
        # A plan keeps its template (and its equipment) even once those are retired.
        self.fields["template"].queryset = PlanTemplate.objects.filter(
            Q(active=True) | Q(pk=instance.template_id)
        )
        self.fields["template"].help_text = _(
            "A new plan with no checklist of its own takes the template's."
        )
        if self.instance.pk is None:
            self.fields["next_due"].required = False
            self.fields["next_due"].help_text = _("Empty: the first due date.")
        else:
            self.fields["equipment"].disabled = True
            self.fields["template"].disabled = True

    def clean(self):
        cleaned = super().clean()
        return self.default_next_due(cleaned)


CHECKLIST_FIELDS = ["position", "text", "kind", "minimum", "maximum", "unit", "weight"]
PlanTemplateItemFormSet = forms.inlineformset_factory(
    PlanTemplate,
    PlanTemplateItem,
    formset=ChecklistFormSet,
    fields=CHECKLIST_FIELDS,
    extra=3,
    can_delete=True,
)
ChecklistItemFormSet = forms.inlineformset_factory(
    MaintenancePlan,
    ChecklistItem,
    formset=ChecklistFormSet,
    fields=CHECKLIST_FIELDS,
    extra=3,
    can_delete=True,
)


class EquipmentChoices(forms.ModelMultipleChoiceField):
    def clean(self, value):
        # An id no database column holds is not a choice (SQLite would overflow on it).
        for pk in value or ():
            if not (str(pk).isascii() and str(pk).isdigit() and len(str(pk)) <= 18):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)

    def label_from_instance(self, obj):
        return f"{obj.property.code} · {obj.asset_code} {obj.name}"


class ApplyTemplateForm(forms.Form):
    """Plans from a template for many pieces of equipment at once."""

    equipment = EquipmentChoices(
        label=_("Equipment"),
        queryset=Equipment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(
        label=_("First due"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_sane_date],
    )

    def clean_starts_on(self):
        starts_on = self.cleaned_data["starts_on"]
        if starts_on < timezone.localdate():
            raise forms.ValidationError(
                _("Plans start today or later: past dates would open overdue orders at once.")
            )
        return starts_on

    def __init__(self, *args, user, template, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["equipment"].queryset = scope_queryset(
            Equipment.objects.filter(category=template.category)
            .exclude(status=EquipmentStatus.RETIRED)
            .exclude(plans__template=template)
            .select_related("property"),
            user,
        ).order_by("property__code", "asset_code")


# --- work orders --------------------------------------------------------------------------


class WorkOrderForm(ScopedModelForm):
    """A work order typed in by the office (faults come through the fault report)."""

    class Meta:
        model = WorkOrder
        fields = [
            "property",
            "kind",
            "title",
            "equipment",
            "location",
            "priority",
            "due_on",
            "assignee",
            "contractor",
            "description",
            "contact",
        ]
        widgets = {
            "equipment": PropertyFilteredSelect,
            "location": PropertyFilteredSelect,
            "assignee": PropertyFilteredSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A generated title is shown as the reader reads it (cut to the field's length, as
        # the service compares it): ScopedModelForm's WordedFieldsMixin.
        # An open order keeps its equipment and assignee even once retired or resigned.
        self.fields["equipment"].queryset = self.fields["equipment"].queryset.filter(
            in_use_or(self.instance.equipment_id)
        )
        self.fields["location"].queryset = self.fields["location"].queryset.select_related(
            "property"
        )
        self.fields["assignee"].queryset = self.fields["assignee"].queryset.filter(
            current_or(self.instance.assignee_id)
        )
        if self.instance.pk:
            # Its number, timeline and costs belong to the property; who does it changes
            # through "assign".
            for name in ("property", "kind", "assignee", "contractor"):
                self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        equipment = cleaned.get("equipment")
        if (
            equipment is not None
            and cleaned.get("property")
            and (equipment.property_id != cleaned["property"].pk)
        ):
            self.add_error("equipment", _("This equipment is at another property."))
        if not equipment and not cleaned.get("location"):
            raise forms.ValidationError(_("Say which equipment or which place the work is on."))
        if cleaned.get("assignee") and cleaned.get("contractor"):
            self.add_error(
                "contractor", _("Assign the order to an employee or to a contractor, not both.")
            )
        return cleaned


class FaultReportForm(AutocompleteFormMixin, forms.Form):
    """报修: a few taps on a phone."""

    PRIORITIES = [
        (Priority.URGENT, _("Urgent: danger or people trapped")),
        (Priority.HIGH, _("High: out of service")),
        (Priority.NORMAL, _("Normal")),
    ]

    equipment = forms.ModelChoiceField(
        label=_("Equipment"), queryset=Equipment.objects.none(), required=False
    )
    location = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Location.objects.none(),
        required=False,
        help_text=_("When it is not a piece of equipment (a leak, a broken door …)."),
    )
    description = forms.CharField(
        label=_("What is wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=PRIORITIES, initial=Priority.NORMAL)
    out_of_service = forms.BooleanField(label=_("The equipment is out of service"), required=False)
    contact = forms.CharField(label=_("Contact"), max_length=100, required=False)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        validators=[PHOTO_VALIDATOR],
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png", "capture": "environment"}
        ),
        help_text=_("JPG or PNG, up to 8 MB."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["equipment"].queryset = scope_queryset(
            Equipment.objects.exclude(status=EquipmentStatus.RETIRED).select_related("property"),
            user,
        )
        self.fields["location"].queryset = scope_queryset(
            Location.objects.select_related("property"), user
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("equipment") and not cleaned.get("location"):
            raise forms.ValidationError(_("Say which equipment or which place the work is on."))
        equipment, location = cleaned.get("equipment"), cleaned.get("location")
        if equipment and location and equipment.property_id != location.property_id:
            self.add_error("location", _("This place is at another property."))
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class AssignForm(AutocompleteFormMixin, forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Employee"), queryset=Employee.objects.none(), required=False
    )
    contractor = forms.ModelChoiceField(
        label=_("Contractor"), queryset=Supplier.objects.none(), required=False
    )

    def __init__(self, *args, work_order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = Employee.objects.current().filter(
            property=work_order.property_id
        )
        self.fields["contractor"].queryset = Supplier.objects.filter(status="approved")

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("assignee")) == bool(cleaned.get("contractor")):
            raise forms.ValidationError(_("Choose who does the work: an employee or a contractor."))
        return cleaned


class CompleteForm(forms.Form):
    resolution = forms.CharField(
        label=_("Work done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    labour_hours = forms.DecimalField(
        label=_("Labour hours"), min_value=0, max_value=9999, decimal_places=2, initial=0
    )
    external_cost = forms.DecimalField(
        label=_("Contractor cost"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    back_in_service = forms.BooleanField(
        label=_("The equipment is back in service"), required=False, initial=True
    )


class VerifyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Quality"),
        coerce=int,
        choices=[
            (5, _("5 · excellent")),
            (4, _("4 · good")),
            (3, _("3 · acceptable")),
            (2, _("2 · poor")),
            (1, _("1 · unacceptable")),
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PhotoForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=PhotoStage.choices)
    image = forms.FileField(
        label=_("Photo"),
        validators=[PHOTO_VALIDATOR],
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png", "capture": "environment"}
        ),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class PartForm(AutocompleteFormMixin, forms.Form):
    """A part used: from which storeroom, what, how many."""

    storeroom = forms.ModelChoiceField(label=_("Storeroom"), queryset=Storeroom.objects.none())
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.none())
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.001"), max_digits=12, decimal_places=3
    )

    def __init__(self, *args, work_order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["storeroom"].queryset = Storeroom.objects.filter(
            property=work_order.property_id, active=True
        )
        self.fields["item"].queryset = Item.objects.filter(active=True).order_by("code")


class ReturnPartForm(forms.Form):
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.001"), max_digits=12, decimal_places=3
    )


class FollowUpForm(forms.Form):
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.HIGH
    )


class StartDowntimeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DowntimeReason.choices)
    started_at = forms.DateTimeField(
        label=_("Since"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: now."),
        validators=[validate_sane_date],
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class EndDowntimeForm(forms.Form):
    ended_at = forms.DateTimeField(
        label=_("Back in service at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: now."),
        validators=[validate_sane_date],
    )


# --- inspection rounds --------------------------------------------------------------------


class InspectionRouteForm(ScheduleFormMixin, ScopedModelForm):
    class Meta:
        model = InspectionRoute
        fields = [
            "property",
            "name",
            "unit",
            "interval",
            "weekdays",
            "starts_on",
            "next_due",
            "assignee",
            "active",
            "note",
        ]
        widgets = {"assignee": PropertyFilteredSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_weekdays()
        self.fields["assignee"].queryset = self.fields["assignee"].queryset.current()
        if self.instance.pk is None:
            self.fields["next_due"].required = False
            self.fields["next_due"].help_text = _("Empty: the first due date.")
        else:
            self.fields["property"].disabled = True

    def clean(self):
        cleaned = super().clean()
        return self.default_next_due(cleaned)


class RouteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.property.code} · {obj.name}"


class InspectionPointForm(ScopedModelForm):
    class Meta:
        model = InspectionPoint
        fields = ["route", "position", "name", "equipment", "location", "instructions"]
        field_classes = {"route": RouteChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].queryset = self.fields["route"].queryset.select_related("property")
        self.fields["equipment"].queryset = self.fields["equipment"].queryset.exclude(
            status=EquipmentStatus.RETIRED
        )
        if self.instance.pk:
            self.fields["route"].disabled = True


InspectionCheckFormSet = forms.inlineformset_factory(
    InspectionPoint,
    InspectionCheck,
    formset=ChecklistFormSet,
    fields=CHECKLIST_FIELDS,
    extra=2,
    can_delete=True,
)


class RoundNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
