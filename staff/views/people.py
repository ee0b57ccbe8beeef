from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from core.scoping import visible_records
from core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
)

from .. import filters, forms, tables
from ..models import Certificate, CertificateType, Department, Employee, EmployeeNote, Position

# --- departments, positions, certificate types: shared by every property -----------------------


class DepartmentListView(ObjectListView):
    model = Department
    filterset_class = filters.DepartmentFilter
    columns = ("name", "description")


class DepartmentDetailView(ObjectDetailView):
    model = Department


class DepartmentEditView(ObjectEditView):
    model = Department
    form_class = forms.DepartmentForm


class DepartmentDeleteView(ObjectDeleteView):
    model = Department


class PositionListView(ObjectListView):
    model = Position
    queryset = Position.objects.select_related("department").prefetch_related(
        "required_certificate_types"
    )
    filterset_class = filters.PositionFilter
    table_class = tables.PositionTable


class PositionDetailView(ObjectDetailView):
    model = Position
    template_name = "staff/position_detail.html"


class PositionEditView(ObjectEditView):
    model = Position
    form_class = forms.PositionForm


class PositionDeleteView(ObjectDeleteView):
    model = Position


class CertificateTypeListView(ObjectListView):
    model = CertificateType
    filterset_class = filters.CertificateTypeFilter
    columns = ("name", "issuing_authority", "description")


class CertificateTypeDetailView(ObjectDetailView):
    model = CertificateType


class CertificateTypeEditView(ObjectEditView):
    model = CertificateType
    form_class = forms.CertificateTypeForm


class CertificateTypeDeleteView(ObjectDeleteView):
    model = CertificateType


# --- employees ---------------------------------------------------------------------------------


class EmployeeListView(ObjectListView):
    model = Employee
    filterset_class = filters.EmployeeFilter
    table_class = tables.EmployeeTable

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("property", "department", "position")
            # Only what the table shows: the whole of four tables' rows cost more to read
            # and build than the page's SQL (the query-count test catches a field left out).
            .only(
                "staff_no",
                "name",
                "status",
                "phone",
                "id_number",
                "property__name",
                "department__name",
                "position__name",
            )
            .with_certificate_status(timezone.localdate())
        )


class EmployeeDetailView(ObjectDetailView):
    """The person's page: their details and timeline (certificates, notes, …)."""

    model = Employee
    template_name = "staff/employee_detail.html"
    detail_fields = (
        "staff_no",
        "name",
        "phone",
        "property",
        "department",
        "position",
        "supervisor",
        "hire_date",
        "status",
        "probation_end",
        "leave_start",
        "leave_end",
        "resigned_on",
        "emergency_contact",
        "emergency_phone",
        "user",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        employee, today = self.object, timezone.localdate()
        certificates = list(employee.certificates.select_related("type").order_by("type__name"))
        held = {c.type_id for c in certificates if not c.is_expired(today)}
        context.update(
            today=today,
            id_number=employee.id_number_for(self.request.user),
            certificates=certificates,
            missing_courses=missing_courses(employee, today),
            missing_types=[
                t for t in employee.position.required_certificate_types.all() if t.pk not in held
            ],
            notes=employee.notes.select_related("recorded_by"),
            onboarding=employee.onboarding.select_related("done_by"),
            shifts=employee.shifts.filter(date__gte=today - timedelta(days=7))
            .select_related("post", "shift_type")
            .order_by("date")[:21],
            appraisals=employee.appraisals.select_related("cycle").order_by("-cycle__period_end"),
            attendances=employee.attendances.select_related("session__course").order_by(
                "-session__starts_at"
            ),
            reports=visible_records(
                employee.reports.current().select_related("position"), self.request.user
            ),
        )
        return context


def missing_courses(employee, today):
    """Courses the position requires that the employee has no current pass of."""
    current = (
        employee.attendances.filter(passed=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values("session__course")
    )
    return list(employee.position.required_courses.exclude(pk__in=current))


class EmployeeEditView(ObjectEditView):
    model = Employee
    form_class = forms.EmployeeForm


class EmployeeDeleteView(ObjectDeleteView):
    model = Employee


# --- certificates ------------------------------------------------------------------------------


class CertificateListView(ObjectListView):
    model = Certificate
    queryset = Certificate.objects.select_related("type", "employee")
    filterset_class = filters.CertificateFilter
    table_class = tables.CertificateTable


class CertificateDetailView(ObjectDetailView):
    model = Certificate
    template_name = "staff/certificate_detail.html"
    detail_fields = (
        "employee",
        "type",
        "number",
        "issuer",
        "issued_on",
        "expires_on",
        "next_review_on",
    )


class CertificateEditView(ObjectEditView):
    model = Certificate
    form_class = forms.CertificateForm
    parent_field = "employee"

    def get_initial(self):
        initial = super().get_initial()
        if "employee" in self.request.GET:
            initial["employee"] = self.request.GET["employee"]
        return initial


class CertificateDeleteView(ObjectDeleteView):
    model = Certificate
    parent_field = "employee"


class CertificateScanView(ObjectFileView):
    """The scanned copy, served only to those who may see the certificate."""

    model = Certificate
    file_field = "scan"


# --- notes -------------------------------------------------------------------------------------


class EmployeeNoteListView(ObjectListView):
    model = EmployeeNote
    queryset = EmployeeNote.objects.select_related("employee")
    filterset_class = filters.EmployeeNoteFilter
    columns = ("summary", "kind", "employee", "date")


class EmployeeNoteDetailView(ObjectDetailView):
    model = EmployeeNote
    detail_fields = ("employee", "kind", "date", "summary", "details", "recorded_by")


class EmployeeNoteEditView(ObjectEditView):
    model = EmployeeNote
    form_class = forms.EmployeeNoteForm
    parent_field = "employee"

    def get_initial(self):
        initial = super().get_initial()
        if "employee" in self.request.GET:
            initial["employee"] = self.request.GET["employee"]
        return initial

    def save_form(self, form):
        if form.instance.pk is None:
            form.instance.recorded_by = self.request.user
        return form.save()


class EmployeeNoteDeleteView(ObjectDeleteView):
    model = EmployeeNote
    parent_field = "employee"
