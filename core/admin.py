from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import (
    AdminFileWidget,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import BadRequest, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, FileField
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.resources import modelresource_factory
from simple_history.admin import SimpleHistoryAdmin

from .exports import ADMIN_EXPORT_FORMATS
from .forms import WordedModelForm
from .models import (
    CalendarFeed,
    Digest,
    DigestItem,
    ExportJob,
    Location,
    Property,
    TimelineEvent,
    User,
)
from .resources import FormulaSafeResource, LocationResource
from .roles import is_role, role_label
from .scoping import is_scoped, scope_queryset, visible_records
from .texts import key_field_of, worded_field
from .uploads import UploadInput, upload_formfield


class _ValidChoicesOnly:
    """Django's autocomplete widget looks the submitted values up as they came, so a
    non-numeric id posted back (``parent=abc``) raised a 500 while the form re-rendered with
    its error, and so did an id too large for SQLite's integers. Values the related key
    cannot hold are dropped before the lookup."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(remote.field_name)
        ranges = connections[self.db or DEFAULT_DB_ALIAS].ops.integer_field_ranges
        low, high = ranges.get(key.get_internal_type(), (None, None))
        valid = []
        for item in value:
            try:
                number = key.to_python(item)
            except ValidationError:
                continue
            if isinstance(number, int) and not (
                (low is None or number >= low) and (high is None or number <= high)
            ):
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(_ValidChoicesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidChoicesOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """Admin classes and inlines use the autocomplete widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class NullSafeSearchMixin:
    """Django's autocomplete endpoint passes its ``term`` to the search as it came, and
    PostgreSQL refuses a NUL character in text (a 500); the changelist's own search form
    already refuses one. A NUL means nothing in a search, so it is dropped."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))


class AdminUploadInput(UploadInput, AdminFileWidget):
    pass


class UploadFieldsMixin:
    """An upload shows as its name linked to the record's file view, not to MEDIA_URL."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, FileField) and field is not None:
            field = upload_formfield(db_field, field, widget_class=AdminUploadInput)
        return field


class ScopedInline(SafeAutocompleteMixin, UploadFieldsMixin, admin.TabularInline):
    """An inline whose choices of records of a property are limited to the user's
    properties, like the admin page it sits on; its rows are those the user may see."""

    def get_queryset(self, request):
        return visible_records(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and is_scoped(db_field.related_model):
            field.queryset = scope_queryset(field.queryset, request.user)
        return field


def keeps_history(model):
    """Whether django-simple-history records the model's changes."""
    return hasattr(model._meta, "simple_history_manager_attribute")


def worded_column(model, name):
    """A change list's column of ``name`` worded in the reader's language when a message of
    the app may fill it (``core.texts``); otherwise ``name`` itself."""
    if key_field_of(model, name) is None:
        return name

    @admin.display(description=model._meta.get_field(name).verbose_name, ordering=name)
    def column(obj):
        return worded_field(obj, name)

    column.__name__ = name
    return column


class HouqinAdmin(
    NullSafeSearchMixin,
    SafeAutocompleteMixin,
    UploadFieldsMixin,
    ImportExportModelAdmin,
    SimpleHistoryAdmin,
):
    """Base admin for operational models: history, import/export, no 500 on bad URLs, and
    the same scoping as the app (properties, and need-to-know for personal data) for staff
    users who are not superusers.

    A model without simple-history (reference rows such as interview criteria) gets Django's
    own admin log as its history page instead of simple-history's."""

    # A field a message of the app may fill shows it in the reader's language (core.texts).
    form = WordedModelForm

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if not keeps_history(model):
            self.object_history_template = None

    def get_list_display(self, request):
        return [
            worded_column(self.model, name) if isinstance(name, str) else name
            for name in super().get_list_display(request)
        ]

    def get_queryset(self, request):
        # The change list, change form, history and export all read through this.
        return visible_records(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and is_scoped(db_field.related_model):
            field.queryset = scope_queryset(field.queryset, request.user)
        return field

    def _check_id(self, value):
        try:
            self.model._meta.pk.to_python(unquote(value))
        except ValidationError as exc:
            raise Http404 from exc

    def _check_visible(self, request, object_id):
        """The history of a record is shown only to those who may see the record itself
        (simple-history would otherwise fall back to its historical rows)."""
        self._check_id(object_id)
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._check_visible(request, object_id)
        if not keeps_history(self.model):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_visible(request, object_id)
        if not keeps_history(self.model):
            raise Http404
        try:
            int(version_id)
        except ValueError as exc:
            raise Http404 from exc
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_resource_classes(self, request):
        """The default import/export leaves uploads out: a file name typed into a sheet
        would point the record at someone else's file, unchecked."""
        uploads = [f.name for f in self.model._meta.fields if isinstance(f, FileField)]
        if self.resource_classes:
            return super().get_resource_classes(request)
        return [
            modelresource_factory(
                self.model,
                resource_class=FormulaSafeResource,
                meta_options={"exclude": uploads} if uploads else None,
            )
        ]

    # Exports as the lists' own: CSV with a byte-order mark, typed XLSX (core.exports).
    export_formats = ADMIN_EXPORT_FORMATS

    def get_data_for_export(self, request, queryset, **kwargs):
        """Native values (local date-times, numbers, dates) for core's writers to type, in
        a sheet named after the model."""
        kwargs["force_native_type"] = True
        data = super().get_data_for_export(request, queryset, **kwargs)
        data.title = str(capfirst(self.model._meta.verbose_name_plural))
        return data

    def get_export_queryset(self, request):
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as exc:
            raise BadRequest(_("The export filters are not valid.")) from exc


admin.site.site_header = _("Houqin administration")
admin.site.site_title = _("Houqin")
admin.site.index_title = _("Administration")


@admin.register(User)
class UserAdmin(NullSafeSearchMixin, DjangoUserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "language",
        "is_active",
        "is_staff",
        "last_login",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "language", "groups", "properties")
    search_fields = ("username", "first_name", "last_name", "email", "phone")
    filter_horizontal = ("groups", "user_permissions", "properties")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Houqin"), {"fields": ("phone", "language", "properties")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Houqin"), {"fields": ("email", "language", "properties", "groups")}),
    )


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(NullSafeSearchMixin, GroupAdmin):
    """Roles are groups; the built-in ones show their translated name."""

    list_display = ("name", "label", "permission_count")

    @admin.display(description=_("role"))
    def label(self, group):
        # Groups an administrator added are not built-in roles: they have no label.
        return role_label(group.name) if is_role(group.name) else "—"

    @admin.display(description=_("permissions"), ordering="permission_total")
    def permission_count(self, group):
        return group.permission_total

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(permission_total=Count("permissions"))


@admin.register(Property)
class PropertyAdmin(HouqinAdmin):
    list_display = ("code", "name", "kind", "address", "phone", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name", "address")


@admin.register(Location)
class LocationAdmin(HouqinAdmin):
    resource_classes = [LocationResource]
    list_display = ("full_name", "code", "kind", "property", "depth")
    list_filter = ("property", "kind")
    search_fields = ("full_name", "code", "note")
    list_select_related = ("property",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth", "full_name")


class DigestItemInline(admin.TabularInline):
    model = DigestItem
    extra = 0
    can_delete = False
    fields = ("kind", "label", "due", "severity")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Digest)
class DigestAdmin(NullSafeSearchMixin, admin.ModelAdmin):
    list_display = ("date", "user", "language", "item_count", "attempts", "sent_at", "last_error")
    list_filter = ("date", "language", ("sent_at", admin.EmptyFieldListFilter))
    search_fields = ("user__username", "user__email", "last_error")
    list_select_related = ("user",)
    date_hierarchy = "date"
    inlines = [DigestItemInline]
    readonly_fields = (
        "user",
        "date",
        "language",
        "item_count",
        "attempts",
        "claimed_at",
        "sent_at",
        "last_error",
        "created_at",
    )

    def has_add_permission(self, request):
        return False


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    """The workflow steps of every record, read-only. The records belong to many properties
    and the events carry no property of their own, so only superusers see them here; users
    see a record's steps on its page."""

    list_display = ("at", "content_type", "object_id", "action", "status_from", "status_to", "by")
    list_filter = ("content_type", "action")
    search_fields = ("action", "text", "by__username")
    list_select_related = ("content_type", "by")
    date_hierarchy = "at"
    readonly_fields = (
        "content_type",
        "object_id",
        "action",
        "status_from",
        "status_to",
        "by",
        "at",
        "shown_text",
    )
    fields = readonly_fields

    @admin.display(description=_("text"))
    def shown_text(self, obj):
        return obj.shown_text

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False  # steps are written by the workflows, never by hand

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who has a calendar feed; an administrator can turn one off (delete). The address
    itself is shown only to its user, on their profile page."""

    list_display = ("user", "created_at")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    fields = ("user", "created_at")
    readonly_fields = ("user", "created_at")

    def has_add_permission(self, request):
        return False  # a user makes their own feed on their profile page

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExportJob)
class ExportJobAdmin(NullSafeSearchMixin, admin.ModelAdmin):
    """Background exports, read-only, for superusers (an export holds the rows its user may
    see, of any property). Files are downloaded by their owner from /exports/ only, and are
    deleted by the daily expiry."""

    list_display = (
        "created_at",
        "user",
        "title",
        "format",
        "status",
        "row_count",
        "rows_done",
        "finished_at",
    )
    list_filter = ("status", "format")
    search_fields = ("user__username", "title", "error")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "user",
        "title",
        "view_name",
        "path",
        "query",
        "format",
        "language",
        "status",
        "row_count",
        "rows_done",
        "file",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    )

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False  # jobs start from a list's export menu

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the expiry deletes files and marks the jobs
