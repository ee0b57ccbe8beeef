"""The fast form renderer writes exactly what Django's widget templates write."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django_filters.widgets import DateRangeWidget, RangeWidget

from core.models import Property
from core.renderers import FastRenderer

NASTY = "a<b>&\"c'd"


class EveryWidget(forms.Form):
    text = forms.CharField(label="名称", max_length=10, help_text="help")
    number = forms.DecimalField(max_digits=6, decimal_places=2, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    email = forms.EmailField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    flag = forms.BooleanField(required=False)
    maybe = forms.NullBooleanField(required=False)
    kind = forms.ChoiceField(
        choices=[
            ("", "---------"),
            ("a", "甲"),
            ("Group", [("b", NASTY), ("c", mark_safe("<i>c</i>"))]),
        ],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    between = forms.CharField(widget=RangeWidget(), required=False)
    dates = forms.CharField(widget=DateRangeWidget(), required=False)
    when = forms.SplitDateTimeField(required=False)
    big = forms.CharField(widget=forms.Textarea, required=False)  # left to the templates
    choice = forms.ModelChoiceField(queryset=Property.objects.order_by("code"), required=False)


DATA = {
    "text": NASTY,
    "number": "12.5",
    "day": "2026-12-07",
    "email": "x@example.com",
    "hidden": NASTY,
    "flag": "on",
    "maybe": "false",
    "kind": "b",
    "many": ["x", "y"],
    "between_min": "1",
    "between_max": NASTY,
    "dates_after": "2026-01-01",
    "when_0": "2026-12-07",
    "when_1": "08:30",
    "big": NASTY,
}


def rendered(form_class, renderer, **kwargs):
    form = form_class(renderer=renderer, **kwargs)
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs",
    [{}, {"data": DATA}, {"initial": {"day": datetime.date(2026, 1, 2), "flag": True}}],
    ids=["empty", "bound", "initial"],
)
def test_each_widget_is_written_as_the_templates_write_it(kwargs):
    Property.objects.create(name=NASTY, code="P1")
    fast = rendered(EveryWidget, FastRenderer(), **kwargs)
    slow = rendered(EveryWidget, DjangoTemplates(), **kwargs)
    assert fast == slow
    # and it is real markup, escaped
    assert "&lt;b&gt;" in fast["kind"] and "<i>c</i>" in fast["kind"]


def test_it_is_the_renderer_of_every_form(settings):
    assert settings.FORM_RENDERER == "core.renderers.FastRenderer"
    assert isinstance(EveryWidget().renderer, FastRenderer)


def test_templates_it_does_not_know_go_to_the_engine():
    class Custom(forms.TextInput):
        template_name = "django/forms/widgets/textarea.html"

    html = Custom().render("x", NASTY, renderer=FastRenderer())
    assert html.startswith("<textarea") and "&lt;b&gt;" in html
