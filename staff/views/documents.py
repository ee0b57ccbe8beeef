"""Staff's documents (core.documents): the week's roster of a property (A4 landscape, with
the legend of its shift codes) and an employee's certificate list."""

from collections import defaultdict
from datetime import date, timedelta

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import shown_day, within
from core.scoping import visible_properties, visible_records
from core.views.documents import LANDSCAPE, DocumentView, ObjectDocumentView
from core.views.mixins import query_id

from ..models import Certificate, Employee, Post, Shift


class RosterDocument(DocumentView):
    """排班表: one row per employee, one column per day of the week, the gaps underneath.
    ``?property=`` (one of the user's, else a 404; the first of them when absent) and
    ``?week=`` (any day of the week; this week when absent or not a date)."""

    permission_required = "staff.view_shift"
    title = _("Roster")
    template_name = "staff/documents/roster.html"
    orientation = LANDSCAPE

    def prepare(self):
        properties = visible_properties(self.request.user).active()
        if "property" in self.request.GET:
            self.property = properties.filter(pk=query_id(self.request, "property") or 0).first()
        else:
            self.property = properties.first()
        if self.property is None:
            raise Http404
        try:
            day = date.fromisoformat(self.request.GET.get("week", ""))
        except ValueError:
            day = timezone.localdate()
        if not within(day):
            day = timezone.localdate()
        monday = day - timedelta(days=day.weekday())
        self.days = [monday + timedelta(days=n) for n in range(7)]

    def get_number(self):
        return f"{self.property.code}-{self.days[0]:%Y-%m-%d}"

    def get_property(self):
        return self.property

    def get_back_url(self):
        week = f"{self.days[0]:%Y-%m-%d}"
        return f"{reverse('staff:roster')}?property={self.property.pk}&week={week}"

    def get_document_context(self):
        days = self.days
        employees = list(
            Employee.objects.current()
            .filter(property=self.property)
            .select_related("position", "department")
            .order_by("department__name", "staff_no")
        )
        cells, covered, types = defaultdict(list), defaultdict(int), {}
        shifts = Shift.objects.filter(
            post__property=self.property, date__range=(days[0], days[-1])
        ).select_related("post", "shift_type")
        for shift in shifts:
            cells[shift.employee_id, shift.date].append(shift)
            covered[shift.post_id, shift.shift_type_id, shift.date] += 1
            types[shift.shift_type_id] = shift.shift_type
        posts = list(
            Post.objects.filter(property=self.property, active=True).prefetch_related("shift_types")
        )
        for post in posts:
            for shift_type in post.shift_types.all():
                types.setdefault(shift_type.pk, shift_type)
        return {
            "fields": [
                (_("Week"), f"{shown_day(days[0])} – {shown_day(days[-1])}"),
                (_("People"), len(employees)),
            ],
            "days": days,
            "rows": [(e, [cells[e.pk, day] for day in days]) for e in employees],
            "legend": sorted(types.values(), key=lambda t: (t.start, t.code)),
            "gaps": [
                [
                    f"{post} · {shift_type.code}"
                    for post in posts
                    for shift_type in post.shift_types.all()
                    if covered[post.pk, shift_type.pk, day] < post.headcount
                ]
                for day in days
            ],
            "signatures": [(_("Prepared by"), ""), (_("Approved by"), "")],
        }


class EmployeeCertificatesDocument(ObjectDocumentView):
    """持证清单: the certificates an employee holds, with their expiry and review dates."""

    model = Employee
    permission_required = ("staff.view_employee", "staff.view_certificate")
    title = _("Certificate list")
    template_name = "staff/documents/employee_certificates.html"
    related = ("department", "position")

    def get_number(self):
        return f"{self.object.staff_no}"

    def get_filename(self):
        return f"{self.object.staff_no}-certificates.pdf"

    def get_document_context(self):
        employee, today = self.object, timezone.localdate()
        certificates = list(
            visible_records(Certificate.objects.filter(employee=employee), self.request.user)
            .select_related("type")
            .order_by("type__name", "issued_on")
        )
        for certificate in certificates:
            certificate.expired = certificate.is_expired(today)
        return {
            "fields": [
                (_("Name"), employee.name),
                (_("Staff number"), employee.staff_no),
                (_("Department"), employee.department),
                (_("Position"), employee.position),
                (_("Hire date"), employee.hire_date),
                (_("As of"), today),
            ],
            "certificates": certificates,
            "signatures": [(_("Holder"), employee.name), (_("HR"), "")],
        }
