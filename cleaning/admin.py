from django.contrib import admin

from core.admin import HouqinAdmin, ScopedInline

from .models import (
    CleaningArea,
    CleaningInspection,
    CleaningStandard,
    CleaningTask,
    InspectionAnswer,
    Rectification,
    StandardItem,
)


@admin.register(CleaningArea)
class CleaningAreaAdmin(HouqinAdmin):
    list_display = ("name", "property", "location", "kind", "size_m2", "cleaner", "team", "active")
    list_filter = ("property", "kind", "active")
    search_fields = ("name", "location__full_name")
    list_select_related = ("property", "location", "cleaner", "team")
    autocomplete_fields = ("location", "cleaner")


class StandardItemInline(ScopedInline):
    model = StandardItem
    fields = ("position", "text", "kind", "weight", "minimum")
    extra = 0


@admin.register(CleaningStandard)
class CleaningStandardAdmin(HouqinAdmin):
    list_display = ("name", "property", "kind", "unit", "interval", "times", "pass_mark", "active")
    list_filter = ("property", "kind", "unit", "active")
    search_fields = ("name", "sop")
    list_select_related = ("property",)
    inlines = [StandardItemInline]


@admin.register(CleaningTask)
class CleaningTaskAdmin(HouqinAdmin):
    """Tasks are made by the standards' schedule and ticked off in the app."""

    list_display = ("area", "due_on", "window_start", "window_end", "assignee", "status")
    list_filter = ("status", "area__property")
    search_fields = ("area__name",)
    list_select_related = ("area", "assignee")
    date_hierarchy = "due_on"
    readonly_fields = (
        "area",
        "standard",
        "due_on",
        "slot",
        "window_start",
        "window_end",
        "status",
        "completed_at",
        "completed_by",
    )

    def has_add_permission(self, request):
        return False

    def has_import_permission(self, request):
        return False


class InspectionAnswerInline(ScopedInline):
    model = InspectionAnswer
    fields = (
        "position",
        "text",
        "weight",
        "minimum",
        "score",
        "passed",
        "note",
        "needs",
        "work_order",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CleaningInspection)
class CleaningInspectionAdmin(HouqinAdmin):
    """Inspections are started and scored in the app (the inspector is checked there)."""

    list_display = ("area", "inspected_at", "inspector", "status", "total", "pass_mark")
    list_filter = ("status", "area__property")
    search_fields = ("area__name", "note")
    list_select_related = ("area", "inspector")
    date_hierarchy = "inspected_at"
    readonly_fields = (
        "area",
        "standard",
        "inspector",
        "cleaner",
        "status",
        "total",
        "pass_mark",
        "reinspects",
        "submitted_at",
    )
    inlines = [InspectionAnswerInline]

    def has_add_permission(self, request):
        return False

    def has_import_permission(self, request):
        return False


@admin.register(Rectification)
class RectificationAdmin(HouqinAdmin):
    list_display = ("__str__", "area", "responsible", "deadline", "status", "escalations")
    list_filter = ("status", "area__property")
    search_fields = ("area__name", "done_note")
    list_select_related = ("area", "responsible")
    readonly_fields = (
        "area",
        "inspection",
        "status",
        "done_at",
        "closed_at",
        "escalations",
        "escalated_at",
    )

    def has_add_permission(self, request):
        return False

    def has_import_permission(self, request):
        return False


from . import admin_greening, admin_waste  # noqa: E402, F401 (registered on import)
