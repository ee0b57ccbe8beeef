"""List, detail, create/edit and delete, written once; each model subclasses them in a few lines.

class LocationListView(ObjectListView):
    queryset = Location.objects.select_related("property", "parent")
    filterset_class = LocationFilter
    columns = ("full_name", "code", "kind", "property")
"""

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, ForeignKey, ProtectedError, RestrictedError
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DeleteView, DetailView, FormView, UpdateView
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from ..exports import ExportMixin, filename, table_row_count
from ..filters import active_filter_count
from ..history import history_entries
from ..tables import make_table
from ..uploads import file_response
from ..workflow import workflow_for
from .mixins import ObjectMixin, model_url, query_id


class ObjectListView(ObjectMixin, ExportMixin, SingleTableMixin, FilterView):
    """Search, filters, sortable columns, pagination, and CSV/Excel export of the filtered
    rows (``core.exports``: at once for a small list, in the background for a large one)."""

    action = "view"
    template_name = "generic/object_list.html"
    columns: tuple[str, ...] = ()
    strict = True  # an invalid filter shows its error and no rows, never a 500

    def get_table_class(self):
        if self.table_class:
            return self.table_class
        return make_table(self.model, self.columns)

    def get_export_filename(self, export_format):
        return filename(self.model._meta.model_name, export_format)

    def prepare_export(self):
        # What FilterView.get does before its table: the same filters, the same rows.
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_bound or self.filterset.is_valid() or not self.get_strict():
            self.object_list = self.filterset.qs
        else:
            self.object_list = self.filterset.queryset.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_links"] = self.get_export_links(table_row_count(context["table"]))
        context["filters_active"] = any(
            value
            for key, value in self.request.GET.items()
            if key not in ("page", "sort", "per_page")
        )
        context["filters_count"] = active_filter_count(context.get("filter"))
        return context


class ObjectDetailView(ObjectMixin, DetailView):
    """The record's fields and its change history; for a model with a workflow, also the
    steps this user may take now (``transitions``: action → bool) and its timeline."""

    action = "view"
    template_name = "generic/object_detail.html"
    detail_fields: tuple[str, ...] | None = None  # default: every editable field
    # Fields the page shows in its own summary, above the rest (left out of the field list).
    summary_fields: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # more relations the page shows ("equipment__category")
    history_limit = 20

    def get_detail_fields(self):
        if self.detail_fields is not None:
            return self.detail_fields
        return tuple(
            f.name for f in self.model._meta.concrete_fields if f.editable and not f.primary_key
        )

    def get_queryset(self):
        related = []
        for name in self.get_detail_fields():
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, ForeignKey):
                related.append(name)
        return fetch_related(super().get_queryset(), [*related, *self.related])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fields"] = self.get_field_rows()
        context["history"] = history_entries(self.object, self.history_limit)
        workflow = workflow_for(self.model)
        if workflow is not None:
            context["transitions"] = workflow.available(self.object, self.request.user)
            if workflow.timeline is None:  # otherwise the page shows the model's own
                context["timeline"] = workflow.events(self.object)
        context["edit_url"] = model_url(self.model, "edit", self.object.pk)
        context["delete_url"] = model_url(self.model, "delete", self.object.pk)
        return context

    def get_field_rows(self):
        """(label, value) of the detail fields that hold something: an empty one is left out,
        so what is there is not lost among rows of "—" (a yes/no field always holds something)."""
        rows = []
        for name in self.get_detail_fields():
            if name in self.summary_fields:
                continue
            value = display_value(self.object, name)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            rows.append((self.model._meta.get_field(name).verbose_name, value))
        return rows


# PostgreSQL searches join orders exhaustively: planning the work order's page with 11
# joined tables took 8 ms against 0.4 ms of running it; with 4 it takes 0.5 ms.
MAX_JOINS = 4


def fetch_related(queryset, names, max_joins=MAX_JOINS):
    """``queryset`` fetching the relations ``names`` (paths of foreign keys): the required
    ones first joined into the one query, up to ``max_joins`` tables; the rest read by
    ``prefetch_related``, one small query each (a page's count stays constant)."""
    joined, prefetched, seen = [], [], set()

    def required(path):
        model = queryset.model
        for part in path.split("__"):
            field = model._meta.get_field(part)
            if field.null:
                return False
            model = field.related_model
        return True

    for path in sorted(dict.fromkeys(names), key=lambda path: not required(path)):
        parts = path.split("__")
        tables = {"__".join(parts[: i + 1]) for i in range(len(parts))} - seen
        if len(seen) + len(tables) <= max_joins:
            joined.append(path)
            seen |= tables
        else:
            prefetched.append(path)
    if joined:
        queryset = queryset.select_related(*joined)
    if prefetched:
        queryset = queryset.prefetch_related(*prefetched)
    return queryset


def add_errors(form, exc):
    """Attach a ValidationError from a model or service to the form; errors on fields the
    form does not show become errors of the whole form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def next_url(request):
    """The page to go back to, from ``next`` in the POST (or the query string): a path on
    this site only (never another host: no open redirect), else None."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def parent_url(obj, parent_field):
    """The page of the record ``obj`` belongs to (its ``parent_field``), or None."""
    if obj is None or not parent_field:
        return None
    parent = getattr(obj, parent_field, None)
    return parent.get_absolute_url() if parent is not None else None


def display_value(obj, name):
    """A field's value as the detail page shows it: a choice's label, a quantity without
    trailing zeros, money as ¥ with two decimals."""
    from core.numbers import format_money, format_quantity
    from core.texts import key_field_of, worded_field

    field = obj._meta.get_field(name)
    if key_field_of(type(obj), name) is not None:
        return worded_field(obj, name)  # a message the app wrote, in the reader's language
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if isinstance(field, DecimalField) and value is not None:
        if field.decimal_places == 3:
            return format_quantity(value)
        if field.decimal_places == 2 and field.max_digits >= 14:
            return format_money(value)
    return value


class ObjectEditView(ObjectMixin, UpdateView):
    """One view for "new" (no pk in the URL) and "edit"; saves atomically.

    Override ``save_form`` to call a service instead of ``form.save()``.
    """

    template_name = "generic/object_form.html"
    # A child record edited from its parent's page (an employee's certificate, a route's
    # point) goes back there after saving; a safe ``next`` wins over both.
    parent_field: str | None = None

    def get_action(self):
        return "change" if "pk" in self.kwargs else "add"

    def get_object(self, queryset=None):
        if "pk" not in self.kwargs:
            return None
        return super().get_object(queryset)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save_form(self, form):
        return form.save()

    def form_valid(self, form):
        creating = self.object is None
        try:
            with transaction.atomic():
                self.object = self.save_form(form)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        except IntegrityError:
            # A rule the form could not see (e.g. a record saved meanwhile by someone else).
            form.add_error(
                None,
                _(
                    "This could not be saved: it conflicts with another record. "
                    "Check the values and try again."
                ),
            )
            return self.form_invalid(form)
        if creating:
            message = _("%(name)s “%(object)s” was created.")
        else:
            message = _("%(name)s “%(object)s” was saved.")
        messages.success(
            self.request,
            message
            % {
                "name": capfirst(self.model._meta.verbose_name),
                "object": self.object,
            },
        )
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        messages.error(self.request, _("Please correct the errors below."))
        return super().form_invalid(form)

    def get_success_url(self):
        return (
            next_url(self.request)
            or parent_url(self.object, self.parent_field)
            or self.object.get_absolute_url()
        )

    def get_cancel_url(self):
        back = next_url(self.request) or parent_url(self.object, self.parent_field)
        if back:
            return back
        if self.object is not None:
            return self.object.get_absolute_url()
        if self.parent_field:  # a new child: back to the parent named in the query string
            field = self.model._meta.get_field(self.parent_field)
            parent_id = query_id(self.request, self.parent_field)
            if parent_id is not None:
                return model_url(field.related_model, "detail", parent_id)
        return model_url(self.model, "list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["creating"] = self.object is None
        context["cancel_url"] = self.get_cancel_url()
        context["next_url"] = next_url(self.request)
        return context


class ObjectWithLinesEditView(ObjectEditView):
    """Edit a record and its lines (an inline formset) together, saved in one transaction.

    Subclasses set ``formset_class`` (and ``lines_title`` to name the lines otherwise than
    by their model); the shared template shows the formset as a table.
    """

    formset_class = None
    lines_title = None
    template_name = "generic/object_form_with_lines.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("lines", self.formset_class(instance=self.object))
        context["lines_title"] = self.lines_title or (
            capfirst(self.formset_class.model._meta.verbose_name_plural)
        )
        return context

    def save_form(self, form):
        record = form.save()
        self.lines.instance = record
        self.lines.save()
        return record

    def form_valid(self, form):
        self.lines = self.formset_class(self.request.POST, instance=form.instance)
        if not self.lines.is_valid():
            return self.form_invalid(form)
        return super().form_valid(form)

    def form_invalid(self, form):
        lines = getattr(self, "lines", None) or self.formset_class(
            self.request.POST, instance=form.instance
        )
        lines.is_valid()
        messages.error(self.request, _("Please correct the errors below."))
        return self.render_to_response(self.get_context_data(form=form, lines=lines))


class ObjectDeleteView(ObjectMixin, DeleteView):
    """Confirmation page; the POST deletes, or explains what still depends on the record."""

    action = "delete"
    template_name = "generic/object_confirm_delete.html"
    parent_field: str | None = None  # a child record: back to its parent's page once deleted

    def form_valid(self, form):
        name = capfirst(self.model._meta.verbose_name)
        try:
            with transaction.atomic():
                self.object.delete()
        except IntegrityError:
            messages.error(
                self.request,
                _("%(name)s “%(object)s” cannot be deleted: other records depend on it.")
                % {"name": name, "object": self.object},
            )
            return HttpResponseRedirect(self.object.get_absolute_url())
        except (ProtectedError, RestrictedError) as exc:
            blockers = (
                exc.protected_objects
                if isinstance(exc, ProtectedError)
                else (exc.restricted_objects)
            )
            messages.error(
                self.request,
                _("%(name)s “%(object)s” cannot be deleted: %(count)d other records depend on it.")
                % {"name": name, "object": self.object, "count": len(blockers)},
            )
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(
            self.request,
            _("%(name)s “%(object)s” was deleted.")
            % {
                "name": name,
                "object": self.object,
            },
        )
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return parent_url(self.object, self.parent_field) or model_url(self.model, "list")


class ObjectActionView(ObjectMixin, SingleObjectMixin, View):
    """A POST-only state change on one record (approve, receive, complete, tick …).

    Subclasses set ``model``, ``action`` (the permission, "change" by default), optionally a
    ``form_class`` for the action's parameters, and implement ``perform(obj, data)`` by calling
    a service. A refused change (ValidationError) becomes an error message, never a 500.
    """

    http_method_names = ["post"]
    action = "change"
    form_class = None
    success_message = _("Done.")
    success_level = messages.SUCCESS  # perform() may lower it (e.g. an inspection failed)

    def perform(self, obj, data):
        raise NotImplementedError

    def get_form_kwargs(self):
        return {}

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        data, self.form = {}, None
        if self.form_class is not None:
            form = self.form = self.form_class(
                request.POST, request.FILES, **self.get_form_kwargs()
            )
            if not form.is_valid():
                for field, errors in form.errors.items():
                    # The form is not shown again: say which field each error is about.
                    label = form.fields[field].label if field in form.fields else None
                    for error in errors:
                        messages.error(request, f"{label}: {error}" if label else error)
                return HttpResponseRedirect(self.get_success_url())
            data = form.cleaned_data
        try:
            with transaction.atomic():
                self.perform(self.object, data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.add_message(request, self.success_level, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return next_url(self.request) or self.object.get_absolute_url()


class ObjectFormView(ObjectMixin, SingleObjectMixin, FormView):
    """A form about one record that is not its edit form (receive goods, record a quote,
    count a sheet …): ``self.object`` is the scoped record (a 404 for another property's)
    before the form is built. Subclasses set ``model``, ``form_class`` and the permission."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:  # anonymous users are sent to log in first
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)


class ObjectFileView(ObjectMixin, SingleObjectMixin, View):
    """A record's uploaded file, served only to those who may see the record (another
    property's record is a 404; uploads are never exposed under MEDIA_URL). Subclasses set
    ``model`` and ``file_field``."""

    action = "view"
    file_field = None

    def get(self, request, *args, **kwargs):
        return file_response(getattr(self.get_object(), self.file_field))
