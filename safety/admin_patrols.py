from django.contrib import admin

from core.admin import HouqinAdmin

from .models import Checkpoint, PatrolRound, PatrolRoute, PatrolSchedule, Scan


@admin.register(PatrolRoute)
class PatrolRouteAdmin(HouqinAdmin):
    list_display = ("name", "property", "active")
    list_filter = ("property", "active")
    search_fields = ("name",)
    list_select_related = ("property",)


@admin.register(Checkpoint)
class CheckpointAdmin(HouqinAdmin):
    list_display = ("name", "route", "position", "code", "property", "active")
    list_filter = ("property", "active")
    search_fields = ("name", "code")
    list_select_related = ("route", "property")
    readonly_fields = ("code",)


@admin.register(PatrolSchedule)
class PatrolScheduleAdmin(HouqinAdmin):
    list_display = ("route", "unit", "interval", "times", "every_hours", "next_due", "active")
    list_filter = ("active", "route__property")
    search_fields = ("route__name",)
    list_select_related = ("route",)


@admin.register(PatrolRound)
class PatrolRoundAdmin(HouqinAdmin):
    list_display = ("route", "window_start", "window_end", "status", "guard")
    list_filter = ("status", "route__property")
    search_fields = ("route__name",)
    list_select_related = ("route", "guard")
    date_hierarchy = "window_start"


@admin.register(Scan)
class ScanAdmin(HouqinAdmin):
    list_display = ("checkpoint", "round", "scanned_by", "scanned_at", "far_from_checkpoint")
    list_filter = ("anomaly", "far_from_checkpoint", "typed")
    search_fields = ("checkpoint__name", "checkpoint__code", "note")
    list_select_related = ("checkpoint", "round__route", "scanned_by")
