"""Need-to-know for staff records, as China's Personal Information Protection Law expects.

One rule, applied after the property scope by ``core.scoping.visible_records`` (which core's
views, the admin and the exports call) through each personal model's ``visible_to(user)``:

- who holds ``staff.view_all_staff_records`` (HR and the director) sees the records of
  everyone at their properties;
- who holds ``staff.view_team_staff_records`` (the supervisors) sees the people of their own
  department: the department of the employee their login is linked to;
- everyone sees their own record and those of their direct reports (``Employee.supervisor``);
- an appraisal is also seen by its reviewer;
- recruitment: an application, its candidate (with the résumé) and its interviews are seen
  by who sees everyone, by a supervisor of the department the opening is for, and by the
  interviewers of that application.

Anything else that lists people's records (My work, the calendar, search) calls
``visible_records`` or the helpers below, never a rule of its own. A person's name where work
is organised (the roster grid, a work order's assignee, a choice of interviewers) is not a
record about them: those stay scoped by property only.
"""

from django.db import models
from django.db.models import Q

from core.scoping import visible_records

SEE_ALL = "staff.view_all_staff_records"
SEE_TEAM = "staff.view_team_staff_records"


def sees_all_staff_records(user) -> bool:
    return user.is_authenticated and user.has_perm(SEE_ALL)


def _own_departments(user):
    from .models import Employee

    return Employee.objects.filter(user=user).values("department")


def people_q(user, path=""):
    """The employees ``user`` may see, short of everyone: a condition on the employee at
    ``path`` ("" for an Employee query, "employee" for a certificate …)."""
    prefix = f"{path}__" if path else ""
    condition = Q(**{f"{prefix}user": user}) | Q(**{f"{prefix}supervisor__user": user})
    if user.has_perm(SEE_TEAM):
        condition |= Q(**{f"{prefix}department__in": _own_departments(user)})
    return condition


def applications_q(user, path=""):
    """The applications ``user`` may see, short of all: a condition on the application at
    ``path``."""
    from .models import Interview

    prefix = f"{path}__" if path else ""
    panels = Interview.objects.filter(interviewers__user=user).values("application")
    condition = Q(**{f"{prefix}pk__in": panels})
    if user.has_perm(SEE_TEAM):
        condition |= Q(**{f"{prefix}opening__position__department__in": _own_departments(user)})
    return condition


class PersonalQuerySet(models.QuerySet):
    """The QuerySet of a model with ``personal_data = True``: ``visible_to(user)`` keeps the
    records ``user`` needs to know (see the module's rule). Subclasses give ``need_to_know``,
    the condition for users who do not see everyone's records."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if sees_all_staff_records(user):
            return self
        return self.filter(self.need_to_know(user))

    def need_to_know(self, user):
        return people_q(user, "employee")


def visible_people(user):
    """The employees whose records ``user`` may open, at the properties they work on."""
    from .models import Employee

    return visible_records(Employee.objects.all(), user)


def may_see(user, record) -> bool:
    """Whether ``user`` may see ``record`` (of any scoped or personal model): one query."""
    return visible_records(type(record)._default_manager.filter(pk=record.pk), user).exists()
