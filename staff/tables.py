import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.numbers import join_list
from core.tables import HouqinTable

from .models import (
    Application,
    Attendance,
    Certificate,
    Employee,
    JobOpening,
    Position,
    TrainingSession,
)


class PositionTable(HouqinTable):
    name = tables.Column(linkify=True)
    required_certificate_types = tables.ManyToManyColumn(verbose_name=_("required certificates"))

    class Meta(HouqinTable.Meta):
        model = Position
        fields = ("name", "department", "required_certificate_types")


class EmployeeTable(HouqinTable):
    staff_no = tables.Column(linkify=True)
    id_number = tables.Column(orderable=False)
    certificates = tables.Column(
        verbose_name=_("Certificates"),
        accessor="missing_certificates",
        orderable=False,
        empty_values=(),
    )

    class Meta(HouqinTable.Meta):
        model = Employee
        fields = (
            "staff_no",
            "name",
            "position",
            "department",
            "property",
            "status",
            "certificates",
            "phone",
            "id_number",
        )

    def render_id_number(self, record):
        return record.id_number_for(self.request.user)

    def value_id_number(self, record):
        return record.id_number_for(self.request.user)

    def render_certificates(self, record):
        badges = []
        if record.missing_certificates:
            badges.append(
                format_html(
                    '<span class="badge text-bg-warning">{}</span>',
                    _("%(count)d missing") % {"count": record.missing_certificates},
                )
            )
        if record.has_expired_certificate:
            badges.append(format_html('<span class="badge text-bg-danger">{}</span>', _("expired")))
        if not badges:
            return format_html('<span class="badge text-bg-success">{}</span>', _("OK"))
        return format_html(" ".join(["{}"] * len(badges)), *badges)

    def value_certificates(self, record):
        parts = []
        if record.missing_certificates:
            parts.append(str(_("%(count)d missing") % {"count": record.missing_certificates}))
        if record.has_expired_certificate:
            parts.append(str(_("expired")))
        return join_list(parts) or str(_("OK"))


class CertificateTable(HouqinTable):
    type = tables.Column(linkify=True)
    state = tables.Column(verbose_name=_("State"), empty_values=(), orderable=False)

    class Meta(HouqinTable.Meta):
        model = Certificate
        fields = (
            "type",
            "employee",
            "number",
            "issued_on",
            "expires_on",
            "next_review_on",
            "state",
        )

    def _state(self, record):
        today = timezone.localdate()
        if record.is_expired(today):
            return "danger", _("Expired")
        if record.expires_within(today, 30):
            return "warning", _("Expires soon")
        if record.next_review_on and record.next_review_on <= today:
            return "warning", _("Review due")
        return "success", _("Valid")

    def render_state(self, record):
        css, label = self._state(record)
        return format_html('<span class="badge text-bg-{}">{}</span>', css, label)

    def value_state(self, record):
        return str(self._state(record)[1])


class JobOpeningTable(HouqinTable):
    position = tables.Column(linkify=True)
    in_pipeline = tables.Column(verbose_name=_("In the pipeline"), orderable=False)
    hired = tables.Column(verbose_name=_("Hired"), orderable=False)

    class Meta(HouqinTable.Meta):
        model = JobOpening
        fields = (
            "position",
            "property",
            "headcount",
            "hired",
            "in_pipeline",
            "status",
            "opened_on",
            "reason",
        )


class ApplicationTable(HouqinTable):
    candidate = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(HouqinTable.Meta):
        model = Application
        fields = ("candidate", "opening", "stage", "stage_changed_at", "closed_reason")


class TrainingSessionTable(HouqinTable):
    course = tables.Column(linkify=lambda record: record.get_absolute_url())
    enrolled = tables.Column(verbose_name=_("Enrolled"), orderable=False)

    class Meta(HouqinTable.Meta):
        model = TrainingSession
        fields = ("course", "property", "starts_at", "trainer", "place", "enrolled", "capacity")


class AttendanceTable(HouqinTable):
    employee = tables.Column(linkify=lambda record: record.employee.get_absolute_url())
    session = tables.Column(linkify=lambda record: record.session.get_absolute_url())

    class Meta(HouqinTable.Meta):
        model = Attendance
        fields = ("employee", "session", "attended", "score", "passed", "valid_until")
