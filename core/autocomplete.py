"""Choices over tables that grow (equipment, locations, employees, items, suppliers …):
a select that holds only what is chosen, filled as the user types from one scoped,
permission-checked JSON endpoint (``/autocomplete/<source>/``).

An app declares its sources in ``hooks.py``::

    declare("facilities", autocomplete=[
        Source("facilities.equipment", Equipment, search_fields=("asset_code", "name")),
    ])

From then on every model form built on ``ScopedModelForm`` and every filter set built on
``HouqinFilterSet`` offers that model through the endpoint instead of a list of every row,
with no change to the form: :func:`use_autocomplete` swaps the widget of each choice field
whose model has a source. Validation is untouched: the field keeps its full scoped queryset,
so a value typed into the POST by hand is checked as before; only the page is lighter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .registry import AUTOCOMPLETE, providers
from .scoping import is_scoped, property_lookup, scope_queryset

PAGE_SIZE = 20
MAX_WORDS = 5
MAX_WORD_LENGTH = 50
# Ids beyond this are not ids of any row (and PostgreSQL refuses them as bigint).
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Source:
    """What the endpoint offers for one model, and who may ask for it.

    ``permissions``: a user may query it with any one of them; by default (empty) the
    model's view permission. ``None`` leaves it to every signed-in user: only for records
    whose label is no secret to a colleague at the same property (an employee's name and
    number), since a form that assigns work to someone must be able to name them. Records
    are always scoped to the user's properties.
    """

    name: str
    model: type
    search_fields: tuple[str, ...]
    label: Callable[[object], str] = str
    select_related: tuple[str, ...] = ()
    order_by: tuple[str, ...] = ()
    permissions: tuple[str, ...] | None = ()
    filter: Q | None = None  # e.g. only active records

    def allows(self, user):
        if not user.is_authenticated:
            return False
        if self.permissions is None:
            return True
        opts = self.model._meta
        wanted = self.permissions or (f"{opts.app_label}.view_{opts.model_name}",)
        return any(user.has_perm(permission) for permission in wanted)

    def url(self):
        return reverse("core:autocomplete", args=[self.name])

    def queryset(self, user):
        queryset = self.model._default_manager.all()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.filter is not None:
            queryset = queryset.filter(self.filter)
        if self.order_by:
            queryset = queryset.order_by(*self.order_by)
        if is_scoped(self.model):
            queryset = scope_queryset(queryset, user)
        return queryset

    def search(self, user, query="", property_id=None, page=1):
        """One page of ``(pk, label)`` for ``query`` (every word must match one of the
        search fields), and whether there are more."""
        queryset = self.queryset(user)
        if property_id is not None and is_scoped(self.model):
            queryset = queryset.filter(**{property_lookup(self.model): property_id})
        query = query.replace("\x00", "")  # PostgreSQL refuses NUL in text
        for word in query.split()[:MAX_WORDS]:
            word = word[:MAX_WORD_LENGTH]
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{name}__icontains": word}) for name in self.search_fields))
            )
        start = (page - 1) * PAGE_SIZE
        rows = list(queryset[start : start + PAGE_SIZE + 1])
        return [(obj.pk, self.label(obj)) for obj in rows[:PAGE_SIZE]], len(rows) > PAGE_SIZE


def sources() -> dict[str, Source]:
    return {provider.func.name: provider.func for provider in providers(AUTOCOMPLETE)}


def source_named(name) -> Source | None:
    return sources().get(name)


def source_for(model) -> Source | None:
    """The source that offers ``model`` (the first declared, if several do)."""
    for source in sources().values():
        if source.model is model:
            return source
    return None


def valid_ids(values):
    """The values that can be ids of a row; the rest ("abc", "²", 30 digits) are dropped."""
    ids = []
    for value in values:
        text = str(getattr(value, "pk", value)).strip()
        if text.isascii() and text.isdigit() and int(text) <= MAX_ID:
            ids.append(int(text))
    return ids


class AutocompleteMixin:
    """Renders only the chosen options; static/js/autocomplete.js (Tom Select) fetches the
    others from the source's endpoint as the user types."""

    # Labels of chosen records read beforehand, {pk: label}: a formset reads the items of
    # all its lines in one query and hands them to each line's widget (see known_labels).
    known = None

    def __init__(self, source, attrs=None, choices=(), filter_by=None):
        self.source = source
        self.filter_by = filter_by
        super().__init__(attrs, choices)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.source = self.source
        copy.filter_by = self.filter_by
        return copy

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-autocomplete-url"] = self.source.url()
        attrs["data-placeholder"] = _("Type to search")
        attrs["data-no-results"] = _("Nothing found")
        attrs["data-loading"] = _("Searching …")
        if self.filter_by:
            attrs["data-filter-by"] = self.filter_by
        return attrs

    def optgroups(self, name, value, attrs=None):
        choices = self.choices
        queryset = getattr(choices, "queryset", None)
        field = getattr(choices, "field", None)
        options = []
        empty_label = getattr(field, "empty_label", None)
        if not self.allow_multiple_selected and empty_label is not None:
            options.append(self.create_option(name, "", empty_label, not value, 0))
        ids = valid_ids(v for v in value if v not in (None, ""))
        if ids and self.known is not None:
            for pk in ids:
                if pk in self.known:
                    options.append(self.create_option(name, pk, self.known[pk], True, len(options)))
        elif ids and queryset is not None:
            # Only what is chosen: one query for the selected rows, whatever the table's size.
            for index, obj in enumerate(queryset.filter(pk__in=ids), start=len(options)):
                option_value, label = choices.choice(obj)
                options.append(self.create_option(name, option_value, label, True, index))
        return [(None, options, 0)]


class AutocompleteSelect(AutocompleteMixin, forms.Select):
    pass


class AutocompleteSelectMultiple(AutocompleteMixin, forms.SelectMultiple):
    pass


SWAPPABLE = (forms.Select, forms.SelectMultiple)


def use_autocomplete(fields):
    """Give every model choice field among ``fields`` whose model has a source the
    autocomplete widget (keeping its attributes, e.g. the property it filters by)."""
    for form_field in fields:
        queryset = getattr(form_field, "queryset", None)
        if queryset is None or isinstance(form_field.widget, AutocompleteMixin):
            continue
        if type(form_field.widget) not in SWAPPABLE and not getattr(
            form_field.widget, "autocomplete_ok", False
        ):
            continue  # a radio list, a hidden input … chosen on purpose
        source = source_for(queryset.model)
        if source is None:
            continue
        old = form_field.widget
        attrs = dict(old.attrs)
        filter_by = attrs.pop("data-filter-by", None)
        widget_class = (
            AutocompleteSelectMultiple if old.allow_multiple_selected else AutocompleteSelect
        )
        widget = widget_class(source, attrs=attrs, filter_by=filter_by)
        widget.is_required = old.is_required
        widget.choices = form_field.choices  # ModelChoiceIterator: queryset and labels
        form_field.widget = widget


def known_labels(forms_, name):
    """Read the chosen records of field ``name`` of all ``forms_`` (a formset's lines) in
    one query and give each line's autocomplete their labels, so the page's query count
    does not grow with its lines."""
    fields = [form.fields[name] for form in forms_ if name in form.fields]
    use_autocomplete(fields)
    if not fields:
        return
    ids = valid_ids(
        value for form in forms_ if name in form.fields for value in [form[name].value()] if value
    )
    field = fields[0]
    labels = {obj.pk: field.label_from_instance(obj) for obj in field.queryset.filter(pk__in=ids)}
    for form_field in fields:
        if isinstance(form_field.widget, AutocompleteMixin):
            form_field.widget.known = labels


def clean_page(value):
    try:
        page = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(page, 1), 50)


class AutocompleteFormMixin:
    """For a form that is not a ``ScopedModelForm`` (an action's form: assign, issue parts,
    report a fault): its choice fields over tables that grow become autocompletes too.
    Querysets narrowed later in the subclass's ``__init__`` reach the widget as usual."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_autocomplete(self.fields.values())
