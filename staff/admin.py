from django.contrib import admin

from core.admin import HouqinAdmin

from .models import Certificate, CertificateType, Department, Employee, EmployeeNote, Position
from .resources import CertificateResource, EmployeeResource


@admin.register(Department)
class DepartmentAdmin(HouqinAdmin):
    list_display = ("name", "description")
    search_fields = ("name",)


@admin.register(Position)
class PositionAdmin(HouqinAdmin):
    list_display = ("name", "department")
    list_filter = ("department", "required_certificate_types")
    search_fields = ("name",)
    filter_horizontal = ("required_certificate_types",)
    list_select_related = ("department",)


@admin.register(CertificateType)
class CertificateTypeAdmin(HouqinAdmin):
    list_display = ("name", "issuing_authority")
    search_fields = ("name", "issuing_authority")


class CertificateInline(admin.TabularInline):
    model = Certificate
    extra = 0
    fields = ("type", "number", "issued_on", "expires_on", "next_review_on", "scan")


@admin.register(Employee)
class EmployeeAdmin(HouqinAdmin):
    resource_classes = [EmployeeResource]
    list_display = (
        "staff_no",
        "name",
        "property",
        "department",
        "position",
        "status",
        "hire_date",
        "probation_end",
    )
    list_filter = ("property", "department", "position", "status")
    search_fields = ("staff_no", "name", "phone")
    list_select_related = ("property", "department", "position")
    autocomplete_fields = ("supervisor", "user")
    date_hierarchy = "hire_date"
    inlines = [CertificateInline]


@admin.register(Certificate)
class CertificateAdmin(HouqinAdmin):
    resource_classes = [CertificateResource]
    list_display = ("type", "employee", "number", "issued_on", "expires_on", "next_review_on")
    list_filter = ("type", "employee__property", "expires_on")
    search_fields = ("number", "employee__name", "employee__staff_no")
    list_select_related = ("type", "employee")
    autocomplete_fields = ("employee",)
    date_hierarchy = "expires_on"


@admin.register(EmployeeNote)
class EmployeeNoteAdmin(HouqinAdmin):
    list_display = ("summary", "kind", "employee", "date", "recorded_by")
    list_filter = ("kind", "employee__property")
    search_fields = ("summary", "details", "employee__name")
    list_select_related = ("employee", "recorded_by")
    autocomplete_fields = ("employee",)
