"""Which staff records a person may see, decided in one place for My work, the calendar, its
iCal feed and search.

Today the rule is the site's general one: the records of the user's properties when they
hold the model's view permission, and always their own. The personal-data rule (need to know:
HR and the director their properties' people, a supervisor their department or reports,
everyone else themselves) replaces the body of :func:`people_visible_to` when it lands; its
callers do not change.
"""

from core.scoping import scope_queryset, visible_property_ids

from .models import Appraisal, Attendance, Candidate, Certificate, Employee, EmployeeNote

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
    elif model is Candidate:  # shared by the properties: seen where they applied
        visible = queryset.for_properties(visible_property_ids(user))
    else:
        visible = scope_queryset(queryset, user)
    own = OWN.get(model)
    if own:
        visible = visible | queryset.filter(**{own: user})
    return visible
