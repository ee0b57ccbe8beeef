"""What the staff area answers in search: employees by name or staff number (never by
ID-card number, which is not searched at all), and candidates by name. Who may see which
person is :func:`staff.visible.people_visible_to`."""

from django.utils.text import capfirst

from core.registry import SearchResult
from core.search import PER_TYPE, more_url

from .models import Candidate, Employee
from .visible import people_visible_to

AREA = "staff"


def employees(user, query):
    if not user.has_perm("staff.view_employee"):
        return []
    found = (
        people_visible_to(user, Employee.objects.filter(query.q("name", "staff_no")))
        .select_related("property", "position")
        .order_by("property__code", "staff_no")[:PER_TYPE]
    )
    label = capfirst(Employee._meta.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=str(employee),
            url=employee.get_absolute_url(),
            detail=" · ".join(
                str(part)
                for part in (
                    employee.property.code,
                    employee.position.name,
                    employee.get_status_display(),
                )
            ),
            rank=0 if employee.staff_no.upper() == query.text.upper() else 1,
            more_url=more_url("staff:employee_list", query),
        )
        for employee in found
    ]


def candidates(user, query):
    if not user.has_perm("staff.view_candidate"):
        return []
    found = people_visible_to(user, Candidate.objects.filter(query.q("name"))).order_by(
        "name", "pk"
    )[:PER_TYPE]
    label = capfirst(Candidate._meta.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=candidate.name,
            url=candidate.get_absolute_url(),
            detail=candidate.get_source_display(),
            more_url=more_url("staff:candidate_list", query),
        )
        for candidate in found
    ]
