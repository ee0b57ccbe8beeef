"""Which staff records a person may see, decided in one place for My work, the calendar, its
iCal feed and search.

The rule is the site's one (``core.scoping.visible_records``: the user's properties and,
for personal data, need to know: HR and the director their properties' people, a supervisor
their department or reports, everyone else themselves), for users who hold the model's view
permission; and one's own record always.
"""

from core.scoping import visible_records

from .models import Appraisal, Attendance, Certificate, Employee, EmployeeNote

# The path from a record to the login of the person it is about: one's own record is visible.
OWN = {
    Employee: "user",
    Certificate: "employee__user",
    Appraisal: "employee__user",
    Attendance: "employee__user",
    EmployeeNote: "employee__user",
}


def people_visible_to(user, queryset):
    """``queryset`` (employees, certificates, appraisals, interviews, candidates …) limited to
    the records ``user`` may see."""
    model = queryset.model
    opts = model._meta
    if not user.is_authenticated:
        return queryset.none()
    if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        visible = queryset.none()
    else:
        visible = visible_records(queryset, user)
    own = OWN.get(model)
    if own:
        visible = visible | queryset.filter(**{own: user})
    return visible
