"""Filter sets for the generic list view: a search box plus django-filter fields."""

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters.widgets import BooleanWidget

from . import picklists
from .autocomplete import AutocompleteMixin, use_autocomplete
from .scoping import is_scoped, scope_queryset

# Single-choice filters whose empty choice is shown (a multiple choice has none).
EMPTY_MEANS_ALL = (django_filters.ChoiceFilter, django_filters.ModelChoiceFilter)


class HouqinFilterSet(django_filters.FilterSet):
    """Adds ``q`` (every word must match one of ``search_fields``) and limits the choices of
    model filters to the properties the requesting user may see."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    search_fields: tuple[str, ...] = ()

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        if not self.search_fields:
            self.filters.pop("q", None)
        user = getattr(request, "user", None)
        for filter_ in self.filters.values():
            if isinstance(filter_, EMPTY_MEANS_ALL):
                # The empty choice of a filter means "all", not "---------".
                filter_.extra["empty_label"] = _("All")
            # django-filter builds a filter's choices from filter_.queryset.
            choices = getattr(filter_, "queryset", None)
            if user is not None and isinstance(choices, QuerySet) and is_scoped(choices.model):
                filter_.queryset = scope_queryset(choices, user)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            # Filters over tables that grow are typed, not listed: a page of work orders
            # does not render a thousand pieces of equipment.
            fields = super().form.fields.values()
            use_autocomplete(fields)
            for field in fields:
                if isinstance(field.widget, BooleanWidget):
                    # django-filter words these once, in the language of the first request.
                    field.widget.choices = [
                        ("", _("All")),
                        ("true", _("Yes")),
                        ("false", _("No")),
                    ]
                if (
                    isinstance(getattr(field, "iterator", None), type)
                    and issubclass(field.iterator, ModelChoiceIterator)
                    and not isinstance(field.widget, AutocompleteMixin)
                ):
                    field.iterator = PlainModelChoiceIterator
                    field.widget.choices = field.choices  # the widget keeps its own
        return self._form

    def search(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{field}__icontains": word}) for field in self.search_fields))
            )
        return queryset


class PlainModelChoiceIterator(filter_fields.ModelChoiceIterator):
    """A short pick list (properties, categories) read by one plain query: Django's
    ``iterator()`` opens a server-side cursor on PostgreSQL for it (declare, fetch, close and
    a cursor held to the end of the transaction), three round trips for twenty rows. The
    choices come in django-filter's order: its "none" choice, the empty one, the rows."""

    def __iter__(self):
        null_label = getattr(self.field, "null_label", None)
        if null_label is not None:
            yield (self.field.null_value, null_label)
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = picklists.choices(
            self.queryset, self.field.label_from_instance, self.field.to_field_name
        )
        if rows is None:
            for obj in self.queryset:
                yield self.choice(obj)
            return
        for value, label in rows:  # from the cache (core/picklists.py)
            yield (ModelChoiceIteratorValue(value, None), label)


class ConditionFilter(django_filters.BooleanFilter):
    """A yes/no filter: yes keeps the rows meeting ``condition``, no the others. The
    condition is a ``Q``, or a function returning one, called at each request (for one
    about today): ``ConditionFilter(lambda: Q(due_on=timezone.localdate()), label=…)``."""

    def __init__(self, condition, **kwargs):
        kwargs.setdefault("widget", django_filters.widgets.BooleanWidget())
        super().__init__(**kwargs)
        self.condition = condition

    def filter(self, qs, value):
        if value is None:
            return qs
        condition = self.condition() if callable(self.condition) else self.condition
        return qs.filter(condition) if value else qs.exclude(condition)


def active_filter_count(filterset):
    """How many of the filters are set in the query string (a range counts once; an unticked
    box is not set)."""
    if filterset is None or not filterset.is_bound:
        return 0
    count = 0
    for bound_field in filterset.form:
        value = bound_field.data
        if isinstance(bound_field.field.widget, forms.CheckboxInput):
            count += bool(value)
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        count += any(v not in (None, "") for v in values)
    return count


def _control_class(widget):
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def render_filter_field(bound_field):
    """Label, control and errors of one filter, in the markup crispy-forms gave them."""
    errors = bound_field.errors
    widget = bound_field.field.widget
    subwidgets = getattr(widget, "widgets", None)
    label_for = bound_field.id_for_label
    if subwidgets:  # a range: each half styled, and named (the label is the first half's)
        names = (_("%(field)s, from"), _("%(field)s, to")) if len(subwidgets) == 2 else ()
        for index, sub in enumerate(subwidgets):
            sub.attrs["class"] = _control_class(sub) + (" is-invalid" if errors else "")
            if index < len(names):
                sub.attrs["aria-label"] = names[index] % {"field": bound_field.label}
        control = bound_field.as_widget()
        label_for = label_for or f"{bound_field.auto_id}_0"
    else:
        attrs = {"class": _control_class(widget) + (" is-invalid" if errors else "")}
        if errors:
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{bound_field.auto_id}_error"
        control = bound_field.as_widget(attrs=attrs)
    feedback = ""
    if errors:
        feedback = format_html(
            '<div id="{}_error" class="invalid-feedback d-block">{}</div>',
            bound_field.auto_id,
            format_html_join("", "<p><strong>{}</strong></p>", ((e,) for e in errors)),
        )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}</div>',
        bound_field.auto_id,
        label_for,
        bound_field.label,
        control,
        feedback,
    )
