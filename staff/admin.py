from django.contrib import admin
from django.core.exceptions import PermissionDenied

from core.admin import HouqinAdmin, ScopedInline

from .forms import BaseCriteriaFormSet
from .models import (
    Application,
    Appraisal,
    AppraisalCycle,
    AppraisalScore,
    Attendance,
    Candidate,
    Certificate,
    CertificateType,
    Course,
    Department,
    Employee,
    EmployeeNote,
    Interview,
    InterviewCriterion,
    InterviewScore,
    JobOpening,
    KPICriterion,
    KPITemplate,
    OnboardingItem,
    PlannedCourse,
    Position,
    Post,
    RotationPattern,
    Shift,
    ShiftType,
    TrainingPlan,
    TrainingSession,
)
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
    filter_horizontal = ("required_certificate_types", "required_courses")
    list_select_related = ("department",)


@admin.register(CertificateType)
class CertificateTypeAdmin(HouqinAdmin):
    list_display = ("name", "issuing_authority")
    search_fields = ("name", "issuing_authority")


class CertificateInline(ScopedInline):
    model = Certificate
    extra = 0
    fields = ("type", "number", "issued_on", "expires_on", "next_review_on", "scan")


@admin.register(Employee)
class EmployeeAdmin(HouqinAdmin):
    """ID-card numbers only for those allowed to see them (HR): hidden from the form, the
    history and the exports of everyone else."""

    resource_classes = [EmployeeResource]

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not request.user.has_perm("staff.reveal_id_number"):
            exclude.append("id_number")
        return exclude

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not request.user.has_perm("staff.reveal_id_number"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

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

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

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


class ApplicationInline(ScopedInline):
    model = Application
    extra = 0
    fields = ("candidate", "stage", "stage_changed_at", "closed_reason", "employee")
    # The pipeline moves through the app (services.move_application / hire), not here.
    readonly_fields = ("stage", "stage_changed_at", "closed_reason", "employee")
    autocomplete_fields = ("candidate",)


@admin.register(JobOpening)
class JobOpeningAdmin(HouqinAdmin):
    list_display = ("position", "property", "headcount", "status", "opened_on")
    list_filter = ("status", "property", "position")
    search_fields = ("position__name", "reason")
    list_select_related = ("position", "property")
    inlines = [ApplicationInline]


@admin.register(Candidate)
class CandidateAdmin(HouqinAdmin):
    list_display = ("name", "phone", "email", "source", "created_at")
    list_filter = ("source",)
    search_fields = ("name", "phone", "email")


@admin.register(Application)
class ApplicationAdmin(HouqinAdmin):
    list_display = ("candidate", "opening", "stage", "stage_changed_at")
    list_filter = ("stage", "opening__property")
    search_fields = ("candidate__name", "candidate__phone")
    list_select_related = ("candidate", "opening__position", "opening__property")
    autocomplete_fields = ("candidate",)
    readonly_fields = ("stage", "stage_changed_at", "closed_reason", "employee")


class InterviewScoreInline(ScopedInline):
    model = InterviewScore
    extra = 0


@admin.register(Interview)
class InterviewAdmin(HouqinAdmin):
    list_display = ("application", "scheduled_at", "place", "recommendation")
    list_filter = ("recommendation",)
    search_fields = ("application__candidate__name", "place")
    list_select_related = (
        "application__candidate",
        "application__opening__position",
        "application__opening__property",
    )
    filter_horizontal = ("interviewers",)
    inlines = [InterviewScoreInline]


@admin.register(InterviewCriterion)
class InterviewCriterionAdmin(HouqinAdmin):
    list_display = ("name", "order", "active")
    list_editable = ("order", "active")
    search_fields = ("name",)


@admin.register(OnboardingItem)
class OnboardingItemAdmin(HouqinAdmin):
    list_display = ("employee", "task", "done_at", "done_by")
    list_filter = ("task", ("done_at", admin.EmptyFieldListFilter))
    search_fields = ("employee__name", "employee__staff_no")
    list_select_related = ("employee", "done_by")
    autocomplete_fields = ("employee",)


@admin.register(Course)
class CourseAdmin(HouqinAdmin):
    list_display = ("title", "category", "hours", "validity_months", "pass_score")
    list_filter = ("category",)
    search_fields = ("title",)


class AttendanceInline(ScopedInline):
    """Read-only: enrolment (capacity) and results (pass mark, validity) go through the app."""

    model = Attendance
    extra = 0
    fields = ("employee", "attended", "score", "passed", "valid_until")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    autocomplete_fields = ("employee",)


@admin.register(TrainingSession)
class TrainingSessionAdmin(HouqinAdmin):
    list_display = ("course", "property", "starts_at", "trainer", "place", "capacity")
    list_filter = ("property", "course__category", "course")
    search_fields = ("course__title", "trainer", "place")
    list_select_related = ("course", "property")
    date_hierarchy = "starts_at"
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(HouqinAdmin):
    list_display = ("employee", "session", "attended", "score", "passed", "valid_until")
    list_filter = ("passed", "attended", "session__course")
    search_fields = ("employee__name", "employee__staff_no", "session__course__title")
    list_select_related = ("employee", "session__course")
    readonly_fields = ("session", "employee", "attended", "score", "passed", "valid_until")

    def has_add_permission(self, request):
        return False


class PlannedCourseInline(ScopedInline):
    model = PlannedCourse
    extra = 0


@admin.register(TrainingPlan)
class TrainingPlanAdmin(HouqinAdmin):
    list_display = ("property", "year", "note")
    list_filter = ("property", "year")
    list_select_related = ("property",)
    inlines = [PlannedCourseInline]


class KPICriterionInline(ScopedInline):
    model = KPICriterion
    extra = 0
    formset = BaseCriteriaFormSet  # the weights add up to 100 here too


@admin.register(KPITemplate)
class KPITemplateAdmin(HouqinAdmin):
    list_display = ("position", "note")
    search_fields = ("position__name",)
    list_select_related = ("position",)
    inlines = [KPICriterionInline]


@admin.register(AppraisalCycle)
class AppraisalCycleAdmin(HouqinAdmin):
    list_display = ("name", "property", "kind", "period_start", "period_end", "deadline")
    list_filter = ("property", "kind")
    search_fields = ("name",)
    list_select_related = ("property",)


class AppraisalScoreInline(ScopedInline):
    model = AppraisalScore
    extra = 0
    readonly_fields = ("criterion", "weight", "self_score", "reviewer_score")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appraisal)
class AppraisalAdmin(HouqinAdmin):
    list_display = ("employee", "cycle", "reviewer", "status", "final_score", "rating")
    list_filter = ("status", "rating", "cycle__property")
    search_fields = ("employee__name", "employee__staff_no")
    list_select_related = ("employee", "cycle__property", "reviewer")
    autocomplete_fields = ("reviewer",)
    readonly_fields = (
        "cycle",
        "employee",
        "status",
        "self_comment",
        "reviewer_comment",
        "final_score",
        "rating",
        "acknowledged_at",
    )
    inlines = [AppraisalScoreInline]


@admin.register(ShiftType)
class ShiftTypeAdmin(HouqinAdmin):
    list_display = ("name", "code", "start", "end")
    search_fields = ("name", "code")


@admin.register(Post)
class PostAdmin(HouqinAdmin):
    list_display = ("name", "property", "location", "headcount", "supervisor", "active")
    list_filter = ("property", "active")
    search_fields = ("name",)
    list_select_related = ("property", "location", "supervisor")
    filter_horizontal = ("required_certificate_types", "shift_types")
    autocomplete_fields = ("location", "supervisor")


@admin.register(Shift)
class ShiftAdmin(HouqinAdmin):
    """Read-only: shifts are rostered through the app, where the conflict checks run."""

    list_display = ("date", "employee", "post", "shift_type", "starts_at", "ends_at")
    list_filter = ("post__property", "shift_type", "date")
    search_fields = ("employee__name", "employee__staff_no", "post__name")
    list_select_related = ("employee", "post", "shift_type")
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RotationPattern)
class RotationPatternAdmin(HouqinAdmin):
    list_display = ("name", "sequence")
    search_fields = ("name",)
