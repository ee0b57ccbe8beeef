from django.contrib import admin

from core.admin import HouqinAdmin, ScopedInline

from .models import (
    ConsumableIssue,
    ConsumableLine,
    GreeningMaterial,
    GreeningPlan,
    GreeningTask,
    GreenZone,
    PesticideApplication,
)


@admin.register(GreenZone)
class GreenZoneAdmin(HouqinAdmin):
    list_display = ("name", "property", "location", "area_m2", "main_plants", "active")
    list_filter = ("property", "active")
    search_fields = ("name", "main_plants")
    list_select_related = ("property", "location")


@admin.register(GreeningPlan)
class GreeningPlanAdmin(HouqinAdmin):
    list_display = ("zone", "kind", "season", "unit", "interval", "next_due", "assignee", "active")
    list_filter = ("zone__property", "kind", "season", "active")
    search_fields = ("zone__name", "instructions")
    list_select_related = ("zone", "assignee")


class GreeningMaterialInline(ScopedInline):
    model = GreeningMaterial
    fields = ("item", "storeroom", "quantity", "value", "issued_at", "issued_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # materials are issued through the stock ledger, from the task's page


@admin.register(GreeningTask)
class GreeningTaskAdmin(HouqinAdmin):
    list_display = ("due_on", "zone", "kind", "status", "assignee", "done_by", "done_at")
    list_filter = ("zone__property", "kind", "status")
    search_fields = ("zone__name", "note")
    list_select_related = ("zone", "assignee", "done_by")
    date_hierarchy = "due_on"
    inlines = [GreeningMaterialInline]


@admin.register(PesticideApplication)
class PesticideApplicationAdmin(HouqinAdmin):
    list_display = ("applied_at", "product", "dose", "dose_unit", "zone", "applied_by")
    list_filter = ("zone__property", "dose_unit")
    search_fields = ("product", "zone__name")
    list_select_related = ("zone", "applied_by")
    date_hierarchy = "applied_at"


class ConsumableLineInline(ScopedInline):
    model = ConsumableLine
    fields = ("item", "quantity", "value")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # consumables are issued through the stock ledger, from the app's page


@admin.register(ConsumableIssue)
class ConsumableIssueAdmin(HouqinAdmin):
    """Read-only: an issue is stock that left the storeroom (a return goes through the
    stores)."""

    list_display = ("issued_at", "property", "area", "team", "storeroom", "value")
    list_filter = ("property",)
    search_fields = ("area__name", "team__name", "note")
    list_select_related = ("property", "area", "team", "storeroom")
    date_hierarchy = "issued_at"
    inlines = [ConsumableLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
