"""Forms of the hazards and incidents slice."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.dates import validate_sane_date
from core.forms import PropertyFilteredSelect, ScopedModelForm

from .models import SAFETY_PHOTO, CorrectiveAction, Hazard, Incident

MOMENT = {"type": "datetime-local"}


def moment_widget():
    return forms.DateTimeInput(attrs=MOMENT, format="%Y-%m-%dT%H:%M")


def day_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HazardForm(ScopedModelForm):
    class Meta:
        model = Hazard
        fields = [
            "property",
            "source",
            "found_at",
            "location",
            "category",
            "grade",
            "level",
            "description",
            "photo",
            "owner",
            "deadline",
        ]
        widgets = {
            "found_at": moment_widget(),
            "deadline": day_widget(),
            "location": PropertyFilteredSelect,
            "owner": PropertyFilteredSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["found_at"].validators.append(validate_sane_date)
        self.fields["owner"].queryset = self.fields["owner"].queryset.current()
        if self.instance.pk:
            self.fields["property"].disabled = True


class AskVerificationForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=2000)
    after_photo = forms.FileField(label=_("Photo after"), required=False, validators=[SAFETY_PHOTO])


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Why it is not accepted"), max_length=500)


class IncidentForm(ScopedModelForm):
    class Meta:
        model = Incident
        fields = [
            "property",
            "kind",
            "severity",
            "occurred_at",
            "reported_at",
            "location",
            "description",
            "people_involved",
            "actions_taken",
            "losses",
            "photo",
            "report_number",
        ]
        widgets = {
            "occurred_at": moment_widget(),
            "reported_at": moment_widget(),
            "location": PropertyFilteredSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "people_involved": forms.Textarea(attrs={"rows": 2}),
            "actions_taken": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["losses"].min_value = 0
        if self.instance.pk:
            self.fields["property"].disabled = True


class MomentForm(forms.Form):
    """The moment of a response step (now when left empty) and a note."""

    at = forms.DateTimeField(
        label=_("Time"), required=False, widget=moment_widget(), validators=[validate_sane_date]
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ResolveForm(MomentForm):
    note = forms.CharField(label=_("Actions taken"), max_length=4000, required=False)


class ReviewForm(forms.Form):
    root_cause = forms.CharField(label=_("Root cause"), max_length=2000)


class CorrectiveActionForm(ScopedModelForm):
    class Meta:
        model = CorrectiveAction
        fields = ["incident", "description", "owner", "due_on"]
        widgets = {"due_on": day_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = self.fields["owner"].queryset.current()
        if self.instance.pk:
            self.fields["incident"].disabled = True

    def clean(self):
        data = super().clean()
        incident, owner = data.get("incident"), data.get("owner")
        if incident and owner and incident.property_id != owner.property_id:
            raise ValidationError({"owner": _("This person works at another property.")})
        return data


class ActionDoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=500, required=False)
