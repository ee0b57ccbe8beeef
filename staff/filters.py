from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ConditionFilter, HouqinFilterSet
from core.models import Property

from .models import (
    CLOSED_STAGES,
    Application,
    Appraisal,
    AppraisalCycle,
    Attendance,
    Candidate,
    Certificate,
    CertificateType,
    Course,
    Department,
    Employee,
    EmployeeNote,
    EmployeeStatus,
    Interview,
    InterviewCriterion,
    JobOpening,
    KPITemplate,
    OpeningStatus,
    PlannedCourse,
    Position,
    Post,
    RotationPattern,
    Shift,
    ShiftType,
    TrainingPlan,
    TrainingSession,
)


class DepartmentFilter(HouqinFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = Department
        fields = []


class PositionFilter(HouqinFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = Position
        fields = ["department", "required_certificate_types"]


class CertificateTypeFilter(HouqinFilterSet):
    search_fields = ("name", "issuing_authority")

    class Meta:
        model = CertificateType
        fields = []


COMPLIANCE = (
    ("problem", _("Missing or expired certificate")),
    ("missing", _("Missing a required certificate")),
    ("expired", _("Holds an expired certificate")),
    ("ok", _("All certificates in order")),
)


def probation_ending():
    """Still on probation, which ends within 14 days (or has ended unconfirmed)."""
    soon = timezone.localdate() + timedelta(days=14)
    return Q(status=EmployeeStatus.PROBATION, probation_end__lte=soon)


class EmployeeFilter(HouqinFilterSet):
    search_fields = ("staff_no", "name", "phone")
    compliance = django_filters.ChoiceFilter(
        label=_("Certificates"), choices=COMPLIANCE, method="filter_compliance"
    )
    current = ConditionFilter(~Q(status=EmployeeStatus.RESIGNED), label=_("Current staff"))
    probation_ending = ConditionFilter(probation_ending, label=_("Probation ending in 14 days"))

    class Meta:
        model = Employee
        fields = ["property", "department", "position", "status"]

    def filter_compliance(self, queryset, name, value):
        # The list view annotates missing_certificates and has_expired_certificate.
        missing, expired = Q(missing_certificates__gt=0), Q(has_expired_certificate=True)
        return queryset.filter(
            {
                "problem": missing | expired,
                "missing": missing,
                "expired": expired,
                "ok": ~missing & ~expired,
            }[value]
        )


EXPIRY = (
    ("expired", _("Expired")),
    ("30", _("Expires within 30 days")),
    ("90", _("Expires within 90 days")),
    ("review", _("Review due within 30 days")),
)


class CertificateFilter(HouqinFilterSet):
    search_fields = ("number", "issuer", "employee__name", "employee__staff_no", "type__name")
    expiry = django_filters.ChoiceFilter(label=_("Expiry"), choices=EXPIRY, method="filter_expiry")
    property = django_filters.ModelChoiceFilter(
        field_name="employee__property",
        label=_("Property"),
        queryset=Property.objects.all(),
    )
    current = ConditionFilter(
        ~Q(employee__status=EmployeeStatus.RESIGNED), label=_("Current staff")
    )

    class Meta:
        model = Certificate
        fields = ["type"]

    def filter_expiry(self, queryset, name, value):
        today = timezone.localdate()
        if value == "expired":
            return queryset.expired_on(today)
        if value == "review":
            return queryset.filter(next_review_on__lte=today + timedelta(days=30))
        return queryset.filter(
            expires_on__gte=today, expires_on__lte=today + timedelta(days=int(value))
        )


class EmployeeNoteFilter(HouqinFilterSet):
    search_fields = ("summary", "details", "employee__name")

    class Meta:
        model = EmployeeNote
        fields = ["kind"]


class JobOpeningFilter(HouqinFilterSet):
    search_fields = ("reason", "position__name")

    class Meta:
        model = JobOpening
        fields = ["property", "position", "status"]


class CandidateFilter(HouqinFilterSet):
    search_fields = ("name", "phone", "email", "note")

    class Meta:
        model = Candidate
        fields = ["source"]


class ApplicationFilter(HouqinFilterSet):
    search_fields = ("candidate__name", "candidate__phone", "opening__position__name")
    opening = django_filters.ModelChoiceFilter(
        label=_("Opening"),
        queryset=JobOpening.objects.select_related("position", "property"),
    )
    in_pipeline = ConditionFilter(
        Q(opening__status=OpeningStatus.OPEN) & ~Q(stage__in=CLOSED_STAGES),
        label=_("In the pipeline"),
    )

    class Meta:
        model = Application
        fields = ["opening", "stage"]


class InterviewFilter(HouqinFilterSet):
    search_fields = ("application__candidate__name", "place", "comments")

    class Meta:
        model = Interview
        fields = ["recommendation"]


class InterviewCriterionFilter(HouqinFilterSet):
    search_fields = ("name",)

    class Meta:
        model = InterviewCriterion
        fields = ["active"]


class CourseFilter(HouqinFilterSet):
    search_fields = ("title", "description")

    class Meta:
        model = Course
        fields = ["category"]


class TrainingSessionFilter(HouqinFilterSet):
    search_fields = ("course__title", "trainer", "place")

    class Meta:
        model = TrainingSession
        fields = ["property", "course"]


class AttendanceFilter(HouqinFilterSet):
    search_fields = ("employee__name", "employee__staff_no", "session__course__title")
    course = django_filters.ModelChoiceFilter(
        field_name="session__course", label=_("Course"), queryset=Course.objects.all()
    )

    class Meta:
        model = Attendance
        fields = ["passed"]


class TrainingPlanFilter(HouqinFilterSet):
    search_fields = ("note",)

    class Meta:
        model = TrainingPlan
        fields = ["property", "year"]


class PlannedCourseFilter(HouqinFilterSet):
    search_fields = ("course__title",)

    class Meta:
        model = PlannedCourse
        fields = ["course", "month"]


class AppraisalCycleFilter(HouqinFilterSet):
    search_fields = ("name",)

    class Meta:
        model = AppraisalCycle
        fields = ["property", "kind"]


class KPITemplateFilter(HouqinFilterSet):
    search_fields = ("position__name", "note")

    class Meta:
        model = KPITemplate
        fields = []


class AppraisalFilter(HouqinFilterSet):
    search_fields = ("employee__name", "employee__staff_no")
    cycle = django_filters.ModelChoiceFilter(
        label=_("Cycle"), queryset=AppraisalCycle.objects.select_related("property")
    )

    class Meta:
        model = Appraisal
        fields = ["status", "rating"]


class ShiftTypeFilter(HouqinFilterSet):
    search_fields = ("name", "code")

    class Meta:
        model = ShiftType
        fields = []


class PostFilter(HouqinFilterSet):
    search_fields = ("name",)

    class Meta:
        model = Post
        fields = ["property", "active"]


class RotationPatternFilter(HouqinFilterSet):
    search_fields = ("name", "sequence")

    class Meta:
        model = RotationPattern
        fields = []


class ShiftFilter(HouqinFilterSet):
    search_fields = ("employee__name", "employee__staff_no", "post__name")
    date = django_filters.DateFromToRangeFilter(label=_("Date"))

    class Meta:
        model = Shift
        fields = ["post", "shift_type"]
