from django.contrib import admin

from core.admin import HouqinAdmin

from .models import CorrectiveAction, Hazard, Incident

WORKFLOW_FIELDS = ("status", "verified_by", "verifier", "verified_at")


@admin.register(Hazard)
class HazardAdmin(HouqinAdmin):
    list_display = (
        "__str__",
        "property",
        "category",
        "grade",
        "level",
        "owner",
        "deadline",
        "status",
    )
    list_filter = ("status", "grade", "level", "category", "source", "property")
    search_fields = ("description", "location__full_name", "rectification_note")
    list_select_related = ("property", "owner")
    autocomplete_fields = ("location", "owner")
    readonly_fields = (*WORKFLOW_FIELDS, "rectified_at", "rejections", "work_order")


@admin.register(Incident)
class IncidentAdmin(HouqinAdmin):
    list_display = ("__str__", "property", "kind", "severity", "occurred_at", "status", "losses")
    list_filter = ("status", "kind", "severity", "property")
    search_fields = ("description", "report_number", "people_involved")
    list_select_related = ("property",)
    autocomplete_fields = ("location",)
    date_hierarchy = "occurred_at"
    readonly_fields = ("status", "reviewed_by", "reviewed_at")


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(HouqinAdmin):
    list_display = ("description", "incident", "owner", "due_on", "status")
    list_filter = ("status", "incident__property")
    search_fields = ("description", "done_note")
    list_select_related = ("incident", "owner")
    autocomplete_fields = ("owner",)
    readonly_fields = (*WORKFLOW_FIELDS, "done_at")
