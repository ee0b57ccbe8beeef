"""Import and export of employees and certificates (django-import-export), by natural keys:
properties by code, departments, positions and certificate types by name, people by staff
number. A bad row is reported with its line and reason; nothing of a failed import is saved."""

from import_export import fields
from import_export.widgets import DateWidget

from core.models import Property
from core.resources import AllOrNothingResource, RequiredForeignKeyWidget

from .models import Certificate, CertificateType, Department, Employee, Position

DATE = DateWidget(format="%Y-%m-%d")


class EmployeeResource(AllOrNothingResource):
    property = fields.Field(
        "property", "property", RequiredForeignKeyWidget(Property, field="code")
    )
    department = fields.Field(
        "department", "department", RequiredForeignKeyWidget(Department, field="name")
    )
    position = fields.Field(
        "position", "position", RequiredForeignKeyWidget(Position, field="name")
    )
    supervisor = fields.Field(
        "supervisor", "supervisor", RequiredForeignKeyWidget(Employee, field="staff_no")
    )
    hire_date = fields.Field("hire_date", "hire_date", DATE)
    probation_end = fields.Field("probation_end", "probation_end", DATE)
    resigned_on = fields.Field("resigned_on", "resigned_on", DATE)

    def dehydrate_id_number(self, employee):
        if self.user is not None and not self.user.has_perm("staff.reveal_id_number"):
            return employee.masked_id_number()
        return employee.id_number

    def get_import_fields(self):
        fields = super().get_import_fields()
        if self.user is not None and not self.user.has_perm("staff.reveal_id_number"):
            fields = [f for f in fields if f.attribute != "id_number"]
        return fields

    class Meta:
        model = Employee
        import_id_fields = ("staff_no",)
        fields = (
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
            "resigned_on",
            "emergency_contact",
            "emergency_phone",
        )
        clean_model_instances = True  # model validation (ID checksum, dates) per row
        skip_unchanged = True
        report_skipped = False


class CertificateResource(AllOrNothingResource):
    employee = fields.Field(
        "employee", "employee", RequiredForeignKeyWidget(Employee, field="staff_no")
    )
    type = fields.Field("type", "type", RequiredForeignKeyWidget(CertificateType, field="name"))
    issued_on = fields.Field("issued_on", "issued_on", DATE)
    expires_on = fields.Field("expires_on", "expires_on", DATE)
    next_review_on = fields.Field("next_review_on", "next_review_on", DATE)

    class Meta:
        model = Certificate
        fields = (
            "id",
            "employee",
            "type",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "next_review_on",
        )
        clean_model_instances = True
        skip_unchanged = True
