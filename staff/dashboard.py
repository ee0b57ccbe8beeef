"""The staff tile: head count, certificate trouble and recruitment, in a few aggregate
queries. Figures about people count the records the user may open (need-to-know), so each
figure matches the list it links to."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dashboard import Stat
from core.scoping import scope_queryset, visible_records

from .filters import probation_ending
from .models import (
    CLOSED_STAGES,
    Application,
    Certificate,
    Employee,
    EmployeeStatus,
    JobOpening,
    OpeningStatus,
)


def staff_figures(request):
    user = request.user
    if not user.has_perm("staff.view_employee"):
        return []
    today = timezone.localdate()
    people = visible_records(Employee.objects.current(), user).aggregate(
        total=Count("pk"),
        probation=Count("pk", filter=Q(status=EmployeeStatus.PROBATION)),
        probation_ending=Count("pk", filter=probation_ending()),
    )
    certificates = visible_records(
        Certificate.objects.filter(employee__in=Employee.objects.current()), user
    ).aggregate(
        expiring=Count(
            "pk", filter=Q(expires_on__gte=today, expires_on__lte=today + timedelta(days=30))
        ),
        expired=Count("pk", filter=Q(expires_on__lt=today)),
    )
    open_openings = scope_queryset(JobOpening.objects.filter(status=OpeningStatus.OPEN), user)
    in_pipeline = visible_records(
        Application.objects.filter(opening__status=OpeningStatus.OPEN).exclude(
            stage__in=CLOSED_STAGES
        ),
        user,
    )
    employees, certs = reverse("staff:employee_list"), reverse("staff:certificate_list")
    return [
        Stat(_("Employees"), people["total"], f"{employees}?current=true"),
        Stat(_("On probation"), people["probation"], f"{employees}?status=probation"),
        Stat(
            _("Probation ending in 14 days"),
            people["probation_ending"],
            f"{employees}?probation_ending=true",
            "warning" if people["probation_ending"] else "",
        ),
        Stat(
            _("Certificates expiring in 30 days"),
            certificates["expiring"],
            f"{certs}?expiry=30&current=true",
            "warning" if certificates["expiring"] else "",
        ),
        Stat(
            _("Expired certificates"),
            certificates["expired"],
            f"{certs}?expiry=expired&current=true",
            "danger" if certificates["expired"] else "",
        ),
        Stat(
            _("Open job openings"),
            open_openings.count(),
            f"{reverse('staff:jobopening_list')}?status=open",
        ),
        Stat(
            _("Candidates in the pipeline"),
            in_pipeline.count(),
            f"{reverse('staff:application_list')}?in_pipeline=true",
        ),
    ]
