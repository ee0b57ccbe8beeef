from django import forms

from core.forms import PropertyFilteredSelect, ScopedModelForm
from core.models import User

from .models import Certificate, CertificateType, Department, Employee, EmployeeNote, Position


class DepartmentForm(ScopedModelForm):
    class Meta:
        model = Department
        fields = ["name", "description"]


class PositionForm(ScopedModelForm):
    class Meta:
        model = Position
        fields = ["name", "department", "required_certificate_types", "description"]
        widgets = {"required_certificate_types": forms.CheckboxSelectMultiple}


class CertificateTypeForm(ScopedModelForm):
    class Meta:
        model = CertificateType
        fields = ["name", "issuing_authority", "description"]


class EmployeeForm(ScopedModelForm):
    class Meta:
        model = Employee
        fields = [
            "staff_no",
            "name",
            "phone",
            "id_number",
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
        ]
        widgets = {"supervisor": PropertyFilteredSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None and not self.user.has_perm("staff.reveal_id_number"):
            # Only HR sees (and so edits) ID-card numbers.
            del self.fields["id_number"]
        supervisors = self.fields["supervisor"].queryset.current().select_related("property")
        if self.instance.pk:
            supervisors = supervisors.exclude(pk=self.instance.pk)
        self.fields["supervisor"].queryset = supervisors
        # A login links to one employee at most.
        self.fields["user"].queryset = User.objects.filter(is_active=True).exclude(
            employee__isnull=False
        ) | User.objects.filter(pk=self.instance.user_id)


class CertificateForm(ScopedModelForm):
    class Meta:
        model = Certificate
        fields = [
            "employee",
            "type",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "next_review_on",
            "scan",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = self.fields["employee"].queryset.current()


class EmployeeNoteForm(ScopedModelForm):
    class Meta:
        model = EmployeeNote
        fields = ["employee", "kind", "date", "summary", "details"]
