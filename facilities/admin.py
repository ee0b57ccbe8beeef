from django.contrib import admin

from core.admin import HouqinAdmin

from .models import Equipment, EquipmentCategory
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
