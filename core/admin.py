from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarFeed, Digest, DigestItem, Location, Property, User
from .resources import LocationResource
from .roles import role_label
from .scoping import is_scoped, scope_queryset


class ScopedInline(admin.TabularInline):
    """An inline whose choices of records of a property are limited to the user's
    properties, like the admin page it sits on."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and is_scoped(db_field.related_model):
            field.queryset = scope_queryset(field.queryset, request.user)
        return field


class HouqinAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Base admin for operational models: history, import/export, no 500 on bad URLs, and
    the same property scoping as the app for staff users who are not superusers."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_scoped(self.model):
            queryset = scope_queryset(queryset, request.user)
        return queryset

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
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_visible(request, object_id)
        try:
            int(version_id)
        except ValueError as exc:
            raise Http404 from exc
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_export_queryset(self, request):
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as exc:
            raise BadRequest(_("The export filters are not valid.")) from exc


admin.site.site_header = _("Houqin administration")
admin.site.site_title = _("Houqin")
admin.site.index_title = _("Administration")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
class RoleAdmin(GroupAdmin):
    """Roles are groups; the built-in ones show their translated name."""

    list_display = ("name", "label", "permission_count")

    @admin.display(description=_("role"))
    def label(self, group):
        return role_label(group.name)

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
class DigestAdmin(admin.ModelAdmin):
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
        return False

    def has_change_permission(self, request, obj=None):
        return False
