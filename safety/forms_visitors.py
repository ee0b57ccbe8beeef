"""Forms of visitors and access cards."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PropertyFilteredSelect, ScopedModelForm

from .models import AccessCard, Visitor
from .models.visitors import SEE_PHONE

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class VisitorForm(ScopedModelForm):
    """Register a visitor: expected later (pre-registered) or signed in now (a walk-in).
    The ID field takes the last four characters only: a full ID number is refused, never
    stored. Who may not see phones in full cannot see (or change) a stored one here."""

    sign_in_now = forms.BooleanField(
        label=_("Signed in now"),
        required=False,
        help_text=_("A walk-in at the gate; leave unticked to pre-register an expected visit."),
    )

    class Meta:
        model = Visitor
        fields = [
            "property",
            "name",
            "phone",
            "host",
            "host_name",
            "unit",
            "purpose",
            "id_type",
            "id_last_four",
            "plate",
            "badge",
            "expected_at",
        ]
        widgets = {
            "host": PropertyFilteredSelect,
            "unit": PropertyFilteredSelect,
            "expected_at": DATETIME_INPUT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last_four = self.fields["id_last_four"]
        # Refuse more than four characters with a message that says why, not the browser's
        # silent cut (which would still leave a long number in the request).
        last_four.max_length = None
        last_four.validators = [v for v in last_four.validators if v.code != "max_length"]
        last_four.widget.attrs.update(maxlength="4", autocomplete="off", inputmode="text")
        if self.instance.pk is not None:
            self.fields["property"].disabled = True
            del self.fields["sign_in_now"]
            if self.instance.phone and not self.user.has_perm(SEE_PHONE):
                del self.fields["phone"]

    def clean_id_last_four(self):
        value = (self.cleaned_data.get("id_last_four") or "").strip().upper()
        if len(value) > 4:
            raise forms.ValidationError(
                _("Type only the last four characters; a full ID number is never kept."),
                code="id_too_long",
            )
        return value

    def clean(self):
        data = super().clean()
        if (
            "sign_in_now" in self.fields
            and not data.get("sign_in_now")
            and not data.get("expected_at")
            and "expected_at" not in self.errors
        ):
            self.add_error(
                "expected_at",
                _("Give the expected time, or tick “Signed in now” for a walk-in."),
            )
        return data


class AccessCardForm(ScopedModelForm):
    class Meta:
        model = AccessCard
        fields = [
            "property",
            "number",
            "holder_name",
            "holder_kind",
            "unit",
            "issued_on",
            "expires_on",
            "note",
        ]
        widgets = {"unit": PropertyFilteredSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["property"].disabled = True


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class BadgeForm(forms.Form):
    badge = forms.CharField(label=_("Badge number"), max_length=20, required=False)
