from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import HouqinAdmin, ScopedInline

from .models import (
    ChecklistItem,
    ChecklistResult,
    Downtime,
    Equipment,
    EquipmentCategory,
    InspectionCheck,
    InspectionPoint,
    InspectionRound,
    InspectionRoute,
    MaintenancePlan,
    PlanTemplate,
    PlanTemplateItem,
    Reading,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderPart,
    WorkOrderPhoto,
    WorkOrderSequence,
)
from .resources import EquipmentResource


@admin.register(EquipmentCategory)
class EquipmentCategoryAdmin(HouqinAdmin):
    list_display = ("name", "code", "special", "sort_order")
    search_fields = ("code", "name")


@admin.register(Equipment)
class EquipmentAdmin(HouqinAdmin):
    resource_classes = [EquipmentResource]
    list_display = ("asset_code", "name", "category", "property", "location", "status")
    list_filter = ("property", "category", "status", "criticality")
    search_fields = ("asset_code", "name", "model_number", "serial_number")
    list_select_related = ("property", "category", "location")
    date_hierarchy = "commissioned_on"


class ChecklistInlineMixin:
    fields = ("position", "text", "kind", "minimum", "maximum", "unit")
    extra = 0


class PlanTemplateItemInline(ChecklistInlineMixin, ScopedInline):
    model = PlanTemplateItem


class ChecklistItemInline(ChecklistInlineMixin, ScopedInline):
    model = ChecklistItem


@admin.register(PlanTemplate)
class PlanTemplateAdmin(HouqinAdmin):
    list_display = ("title", "category", "code", "unit", "interval", "mode", "active")
    list_filter = ("category", "unit", "mode", "active")
    search_fields = ("code", "title", "basis")
    list_select_related = ("category",)
    inlines = [PlanTemplateItemInline]


@admin.register(MaintenancePlan)
class MaintenancePlanAdmin(HouqinAdmin):
    list_display = ("title", "equipment", "unit", "interval", "mode", "next_due", "active")
    list_filter = ("active", "unit", "mode", "equipment__property", "equipment__category")
    search_fields = ("title", "equipment__asset_code", "equipment__name")
    list_select_related = ("equipment",)
    autocomplete_fields = ("equipment",)
    date_hierarchy = "next_due"
    inlines = [ChecklistItemInline]


class ReadOnlyInline(ScopedInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ChecklistResultInline(ReadOnlyInline):
    model = ChecklistResult
    fk_name = "work_order"
    fields = ("position", "text", "checked_ok", "number", "answer", "passed", "follow_up")
    readonly_fields = fields


class WorkOrderPartInline(ReadOnlyInline):
    model = WorkOrderPart
    fields = ("item", "storeroom", "quantity", "value", "issued_at", "issued_by")
    readonly_fields = fields


class WorkOrderEventInline(ReadOnlyInline):
    model = WorkOrderEvent
    fields = ("at", "by", "kind", "status_from", "status_to", "shown_text")
    readonly_fields = fields

    @admin.display(description=_("text"))
    def shown_text(self, obj):
        return obj.shown_text


@admin.register(WorkOrder)
class WorkOrderAdmin(HouqinAdmin):
    """Orders are opened and moved through the app's services (numbering, targets, stock):
    admin corrects their descriptions only."""

    list_display = ("number", "title", "property", "kind", "priority", "status", "assignee")
    list_filter = ("property", "status", "kind", "priority", "source")
    search_fields = ("number", "title", "equipment__asset_code")
    list_select_related = ("property", "assignee")
    date_hierarchy = "created_at"
    fields = (
        "number",
        "property",
        "kind",
        "source",
        "plan",
        "parent",
        "equipment",
        "location",
        "title",
        "description",
        "priority",
        "status",
        "assignee",
        "contractor",
        "due_on",
        "respond_by",
        "resolve_by",
        "resolution",
        "labour_hours",
        "parts_cost",
        "external_cost",
        "rating",
        "rework_count",
    )
    readonly_fields = (
        "number",
        "property",
        "kind",
        "source",
        "plan",
        "parent",
        "equipment",
        "status",
        "assignee",
        "contractor",
        "due_on",
        "respond_by",
        "resolve_by",
        "labour_hours",
        "parts_cost",
        "external_cost",
        "rating",
        "rework_count",
    )
    inlines = [ChecklistResultInline, WorkOrderPartInline, WorkOrderEventInline]

    def has_add_permission(self, request):
        return False

    def has_import_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkOrderSequence)
class WorkOrderSequenceAdmin(admin.ModelAdmin):
    """The last work-order number given each year (read only: the numbering owns it)."""

    list_display = ("year", "last")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Downtime)
class DowntimeAdmin(HouqinAdmin):
    list_display = ("equipment", "reason", "started_at", "ended_at", "work_order")
    list_filter = ("reason", "equipment__property")
    search_fields = ("equipment__asset_code", "equipment__name", "note")
    list_select_related = ("equipment", "work_order")
    readonly_fields = ("equipment", "work_order")
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_import_permission(self, request):
        return False


@admin.register(WorkOrderPhoto)
class WorkOrderPhotoAdmin(HouqinAdmin):
    list_display = ("work_order", "stage", "caption", "uploaded_at", "uploaded_by")
    list_filter = ("stage",)
    search_fields = ("work_order__number", "caption")
    list_select_related = ("work_order", "uploaded_by")
    readonly_fields = ("work_order", "uploaded_by")

    def has_add_permission(self, request):
        return False

    def has_import_permission(self, request):
        return False


class InspectionPointInline(ScopedInline):
    model = InspectionPoint
    fields = ("position", "name", "equipment", "location", "instructions")
    autocomplete_fields = ("equipment",)
    extra = 0


class InspectionCheckInline(ChecklistInlineMixin, ScopedInline):
    model = InspectionCheck


@admin.register(InspectionRoute)
class InspectionRouteAdmin(HouqinAdmin):
    list_display = ("name", "property", "unit", "interval", "next_due", "assignee", "active")
    list_filter = ("property", "active", "unit")
    search_fields = ("name",)
    list_select_related = ("property", "assignee")
    inlines = [InspectionPointInline]


@admin.register(InspectionPoint)
class InspectionPointAdmin(HouqinAdmin):
    list_display = ("name", "route", "position", "equipment", "location")
    list_filter = ("route__property",)
    search_fields = ("name", "route__name", "equipment__asset_code")
    list_select_related = ("route", "equipment", "location")
    autocomplete_fields = ("equipment",)
    inlines = [InspectionCheckInline]


class ReadingInline(ReadOnlyInline):
    model = Reading
    fk_name = "round"
    fields = ("point", "text", "checked_ok", "number", "answer", "passed", "follow_up")
    readonly_fields = fields


@admin.register(InspectionRound)
class InspectionRoundAdmin(HouqinAdmin):
    """Rounds are opened by the schedule and walked in the app."""

    list_display = ("route", "due_on", "status", "assignee", "completed_at")
    list_filter = ("status", "route__property", "route")
    search_fields = ("route__name",)
    list_select_related = ("route", "assignee")
    date_hierarchy = "due_on"
    readonly_fields = ("route", "due_on", "status", "started_at", "completed_at", "completed_by")
    inlines = [ReadingInline]

    def has_add_permission(self, request):
        return False

    def has_import_permission(self, request):
        return False
