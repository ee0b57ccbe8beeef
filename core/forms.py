from django import forms
from django.utils.translation import gettext_lazy as _

from .autocomplete import AutocompleteMixin, source_named, use_autocomplete
from .models import Location, Property
from .scoping import is_scoped, scope_queryset
from .texts import key_field_of, worded_field
from .uploads import upload_formfield


class WordedFieldsMixin:
    """For a model form over a field that a message of the app may fill (``<field>_key``,
    ``core.texts``): the field shows the message as the reader reads it; sent back
    unchanged, the record keeps its message (and its facts); changed, it is typed text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._worded = {}
        model = type(self.instance)
        for name, field in self.fields.items():
            key_field = key_field_of(model, name)
            if key_field is None or not getattr(self.instance, key_field.attname, ""):
                continue
            shown = str(worded_field(self.instance, name) or "")
            limit = getattr(field, "max_length", None)
            shown = shown[:limit] if limit else shown
            self._worded[name] = (
                key_field.attname,
                getattr(self.instance, name),
                getattr(self.instance, key_field.attname),
                getattr(self.instance, f"{name}_params"),
                shown,
            )
            self.initial[name] = shown

    def _post_clean(self):
        super()._post_clean()
        for name, (key_name, stored, key, params, shown) in self._worded.items():
            if name not in getattr(self, "cleaned_data", {}):
                continue
            if self.cleaned_data[name] == shown:
                setattr(self.instance, name, stored)
                setattr(self.instance, key_name, key)
                setattr(self.instance, f"{name}_params", params)
            else:  # now what a person typed
                setattr(self.instance, key_name, "")
                setattr(self.instance, f"{name}_params", {})


class WordedModelForm(WordedFieldsMixin, forms.ModelForm):
    """A plain model form (a formset's line) with :class:`WordedFieldsMixin`."""


class ScopedModelForm(WordedFieldsMixin, forms.ModelForm):
    """A model form whose choices of properties (and of records that belong to a property)
    are limited to what the user may see, so nobody can file a record under another
    property by editing the POST. It needs the user: built without one it raises, rather
    than offer every property's records."""

    def __init__(self, *args, user=None, **kwargs):
        if user is None:
            raise TypeError(f"{type(self).__name__} needs the user whose choices it limits.")
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and type(field.widget) is forms.DateInput:
                # The browser's date picker; it sends and expects ISO dates.
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        model_fields = {f.name: f for f in self._meta.model._meta.fields}
        for name, field in list(self.fields.items()):
            if type(field) is forms.FileField and name in model_fields:
                self.fields[name] = upload_formfield(model_fields[name], field)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and is_scoped(queryset.model):
                field.queryset = scope_queryset(queryset, user)
        property_field = self.fields.get("property")
        if property_field is not None and self.instance.pk is None:
            # New records go to properties still in service.
            property_field.queryset = property_field.queryset.filter(active=True)
        if property_field is not None and self.instance.pk is None and not self.is_bound:
            choices = list(property_field.queryset[:2])
            if len(choices) == 1:
                self.initial.setdefault("property", choices[0].pk)
        # Choices over tables that grow are typed, not listed (the queryset still validates).
        use_autocomplete(self.fields.values())


class PropertyFilteredSelect(forms.Select):
    """A select of records that belong to a property; each option carries its property's id
    and static/js/houqin.js shows only the options of the property chosen in the same form.
    Over a table with an autocomplete source it becomes an autocomplete that asks only for
    that property's records."""

    autocomplete_ok = True

    def __init__(self, attrs=None, choices=(), property_field="property"):
        super().__init__({"data-filter-by": property_field, **(attrs or {})}, choices)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and hasattr(instance, "property_id"):
            option["attrs"]["data-property"] = str(instance.property_id)
        return option


class PropertyForm(ScopedModelForm):
    class Meta:
        model = Property
        fields = ["name", "code", "kind", "address", "phone", "active"]


class LocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.property.code} · {obj.full_name}"


class LocationForm(ScopedModelForm):
    class Meta:
        model = Location
        fields = ["property", "parent", "kind", "code", "name", "note"]
        field_classes = {"parent": LocationChoiceField}
        widgets = {"parent": PropertyFilteredSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = (
            self.fields["parent"]
            .queryset.select_related("property")
            .exclude(kind="space")
            .order_by("property__code", "full_name")
        )
        if self.instance.pk:
            # A location stays in its property and cannot move under itself.
            self.fields["property"].disabled = True
            parents = parents.filter(property=self.instance.property_id).exclude(
                path__startswith=self.instance.path
            )
        self.fields["parent"].queryset = parents
        self.fields["parent"].help_text = _("Empty for a building or an outdoor area.")
        widget = self.fields["parent"].widget
        if isinstance(widget, AutocompleteMixin):
            widget.source = source_named("core.location.container")
