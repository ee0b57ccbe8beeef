"""Scoping fails closed: a model that does not say how it is scoped stops the system check,
and a scoped form built without its user raises instead of offering every property."""

from importlib import import_module

import pytest
from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from core.checks import check_scoping, scoping_errors
from core.forms import LocationForm, PropertyForm, ScopedModelForm
from core.models import HouqinModel, Property
from staff.models import Department
from tests.factories import UserFactory


def ids(errors):
    return [error.id for error in errors]


def test_every_model_of_the_project_declares_its_scoping():
    assert check_scoping() == []


def test_the_check_runs_with_the_system_checks(monkeypatch):
    monkeypatch.setattr(Department, "shared_reference", False)
    errors = checks.run_checks(tags=[checks.Tags.models])
    assert [e.obj for e in errors if e.id == "houqin.E001"] == [Department]


@isolate_apps("core")
def test_a_model_that_declares_nothing_is_refused():
    class Notebook(HouqinModel):
        class Meta:
            app_label = "core"

    errors = scoping_errors(Notebook)
    assert ids(errors) == ["houqin.E001"]
    assert errors[0].obj is Notebook


@isolate_apps("core")
def test_shared_reference_data_is_accepted_when_declared():
    class Colour(HouqinModel):
        shared_reference = True

        class Meta:
            app_label = "core"

    assert scoping_errors(Colour) == []


@isolate_apps("core")
def test_a_model_cannot_be_both_scoped_and_shared():
    class Both(HouqinModel):
        property_lookup = "property"
        shared_reference = True
        property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "core"

    assert ids(scoping_errors(Both)) == ["houqin.E002"]


@isolate_apps("core")
def test_a_lookup_must_lead_to_a_property():
    class Meter(HouqinModel):
        property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="+")
        label = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

    class Reading(HouqinModel):
        property_lookup = "meter__property"
        meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="readings")

        class Meta:
            app_label = "core"

    assert scoping_errors(Reading) == []
    for wrong in ("meter", "meter__label", "meter__nowhere", "nowhere"):
        Reading.property_lookup = wrong
        assert ids(scoping_errors(Reading)) == ["houqin.E003"], wrong


@isolate_apps("core")
def test_a_lookup_through_a_to_many_relation_needs_in_properties():
    class Visit(HouqinModel):
        property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "core"

    class Visitor(HouqinModel):
        property_lookup = "visits__property"
        visits = models.ManyToManyField(Visit, related_name="visitors")

        class Meta:
            app_label = "core"

    assert ids(scoping_errors(Visitor)) == ["houqin.E004"]

    class VisitorQuerySet(models.QuerySet):
        def in_properties(self, ids):
            return self.filter(visits__property__in=ids).distinct()

    class Guest(HouqinModel):
        property_lookup = "visits__property"
        visits = models.ManyToManyField(Visit, related_name="guests")
        objects = VisitorQuerySet.as_manager()

        class Meta:
            app_label = "core"

    assert scoping_errors(Guest) == []


@isolate_apps("core")
def test_personal_data_needs_its_need_to_know_rule():
    class Diary(HouqinModel):
        property_lookup = "property"
        personal_data = True
        property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "core"

    assert ids(scoping_errors(Diary)) == ["houqin.E005"]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@pytest.mark.django_db
def test_a_scoped_form_without_its_user_raises():
    with pytest.raises(TypeError, match="needs the user"):
        PropertyForm(data={"name": "x", "code": "X", "kind": "office"})
    with pytest.raises(TypeError, match="needs the user"):
        LocationForm(user=None)
    assert LocationForm(user=UserFactory()).fields["property"].queryset.count() == 0


def test_every_scoped_form_of_the_apps_needs_its_user():
    for app in ("core", "staff", "procurement", "facilities"):
        import_module(f"{app}.forms")
    forms = [form for form in _subclasses(ScopedModelForm) if form.__module__ != __name__]
    assert len(forms) > 30
    for form in forms:
        with pytest.raises(TypeError, match="needs the user"):
            form()
