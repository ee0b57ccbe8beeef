"""Forms of patrols: routes, checkpoints, schedules, the scan page and the typed code."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import validate_sane_date
from core.forms import PropertyFilteredSelect, ScopedModelForm
from facilities.forms import ScheduleFormMixin

from .models import Checkpoint, PatrolRoute, PatrolSchedule
from .models.patrols import SCAN_PHOTO

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PatrolRouteForm(ScopedModelForm):
    class Meta:
        model = PatrolRoute
        fields = ["property", "name", "active", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["property"].disabled = True


class CheckpointForm(ScopedModelForm):
    class Meta:
        model = Checkpoint
        fields = [
            "route",
            "position",
            "name",
            "location",
            "latitude",
            "longitude",
            "radius_m",
            "offset_minutes",
            "active",
        ]
        widgets = {"location": PropertyFilteredSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].queryset = self.fields["route"].queryset.select_related("property")
        if self.instance.pk is not None:
            self.fields["route"].disabled = True

    def clean(self):
        cleaned = super().clean()
        route = cleaned.get("route")
        if route is not None:
            self.instance.property_id = route.property_id
        return cleaned


class PatrolScheduleForm(ScheduleFormMixin, ScopedModelForm):
    class Meta:
        model = PatrolSchedule
        fields = [
            "route",
            "unit",
            "interval",
            "weekdays",
            "times",
            "first_round",
            "every_hours",
            "window_minutes",
            "starts_on",
            "next_due",
            "active",
        ]
        widgets = {"first_round": TIME_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_weekdays()
        self.fields["route"].queryset = self.fields["route"].queryset.select_related("property")
        if self.instance.pk is None:
            self.fields["next_due"].required = False
            self.fields["next_due"].help_text = _("Empty: the first due date.")

    def clean(self):
        cleaned = super().clean()
        return self.default_next_due(cleaned)


class ScanForm(forms.Form):
    """What the phone sends with a scan (the position and time are filled in by the page's
    script when the phone allows it)."""

    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    anomaly = forms.BooleanField(label=_("Something is wrong here"), required=False)
    photo = forms.FileField(label=_("Photo"), required=False, validators=[SCAN_PHOTO])
    latitude = forms.DecimalField(
        min_value=-90,
        max_value=90,
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.HiddenInput,
    )
    longitude = forms.DecimalField(
        min_value=-180,
        max_value=180,
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.HiddenInput,
    )
    accuracy = forms.IntegerField(
        min_value=0, max_value=100_000, required=False, widget=forms.HiddenInput
    )
    device_time = forms.DateTimeField(
        required=False, widget=forms.HiddenInput, validators=[validate_sane_date]
    )
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["client_id"] = uuid.uuid4()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("anomaly") and not cleaned.get("note") and "note" not in self.errors:
            self.add_error("note", _("Say what is wrong."))
        return cleaned

    def scan_kwargs(self):
        data = self.cleaned_data
        return {
            "note": data.get("note") or "",
            "anomaly": bool(data.get("anomaly")),
            "photo": data.get("photo"),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "accuracy": data.get("accuracy"),
            "device_time": data.get("device_time"),
            "client_id": data.get("client_id"),
        }


class TypedCodeForm(ScanForm):
    """The short code on the label, typed when the QR code cannot be read."""

    code = forms.CharField(label=_("Checkpoint code"), max_length=12)
    field_order = ["code", "note", "anomaly", "photo"]


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=300)
