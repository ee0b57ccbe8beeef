from django.contrib import admin

from core.admin import HouqinAdmin

from .models import (
    CollectionPoint,
    CollectionSchedule,
    ExpectedCollection,
    WasteCategoryLabel,
    WasteCollection,
)


@admin.register(CollectionPoint)
class CollectionPointAdmin(HouqinAdmin):
    list_display = ("name", "property", "location", "active")
    list_filter = ("property", "active")
    search_fields = ("name",)
    list_select_related = ("property", "location")


@admin.register(WasteCategoryLabel)
class WasteCategoryLabelAdmin(HouqinAdmin):
    list_display = ("property", "category", "label")
    list_filter = ("property", "category")
    search_fields = ("label",)
    list_select_related = ("property",)


@admin.register(CollectionSchedule)
class CollectionScheduleAdmin(HouqinAdmin):
    list_display = (
        "point",
        "category",
        "unit",
        "interval",
        "window_start",
        "window_hours",
        "hauler",
        "next_due",
        "active",
    )
    list_filter = ("point__property", "category", "active", "unit")
    search_fields = ("point__name", "hauler__name")
    list_select_related = ("point", "hauler")
    autocomplete_fields = ("hauler",)


@admin.register(ExpectedCollection)
class ExpectedCollectionAdmin(HouqinAdmin):
    list_display = ("due_on", "point", "category", "window_start", "window_end", "hauler")
    list_filter = ("point__property", "category")
    search_fields = ("point__name",)
    list_select_related = ("point", "hauler")
    date_hierarchy = "due_on"


@admin.register(WasteCollection)
class WasteCollectionAdmin(HouqinAdmin):
    list_display = (
        "collected_at",
        "point",
        "category",
        "bins",
        "weight_kg",
        "hauler",
        "manifest_number",
        "recorded_by",
    )
    list_filter = ("point__property", "category")
    search_fields = ("point__name", "manifest_number", "hauler__name")
    list_select_related = ("point", "hauler", "recorded_by")
    date_hierarchy = "collected_at"
    autocomplete_fields = ("hauler",)
