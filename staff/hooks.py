"""What staff offers the rest of the site (core.registry): declared here, and only here."""

from django.utils.translation import gettext_lazy as _

from core.autocomplete import Source
from core.navigation import NavLink
from core.registry import declare

from . import calendar, dashboard, demo, measures, reminders, search, work
from .models import AppraisalCycle, Employee, JobOpening

declare(
    "staff",
    nav_links=[
        NavLink(_("Employees"), "staff:employee_list", "staff.view_employee"),
        NavLink(_("Roster"), "staff:roster", "staff.view_shift"),
        NavLink(_("Certificates"), "staff:certificate_list", "staff.view_certificate"),
        NavLink(_("Commendations and notes"), "staff:employeenote_list", "staff.view_employeenote"),
        NavLink(_("Job openings"), "staff:jobopening_list", "staff.view_jobopening"),
        NavLink(_("Candidates"), "staff:candidate_list", "staff.view_candidate"),
        NavLink(_("Interviews"), "staff:interview_list", "staff.view_interview"),
        NavLink(_("Training sessions"), "staff:trainingsession_list", "staff.view_trainingsession"),
        NavLink(_("Training records"), "staff:attendance_list", "staff.view_attendance"),
        NavLink(_("Refreshers due"), "staff:refresher_list", "staff.view_attendance"),
        NavLink(_("Training plans"), "staff:trainingplan_list", "staff.view_trainingplan"),
        NavLink(_("Courses"), "staff:course_list", "staff.view_course"),
        NavLink(_("Departments"), "staff:department_list", "staff.view_department"),
        NavLink(_("Positions"), "staff:position_list", "staff.view_position"),
        NavLink(_("Certificate types"), "staff:certificatetype_list", "staff.view_certificatetype"),
    ],
    dashboard=[dashboard.staff_figures],
    reminders=[
        reminders.certificates_expiring,
        reminders.certificates_expired,
        reminders.certificate_reviews,
        reminders.probation_ending,
        reminders.training_tomorrow,
        reminders.appraisals_overdue,
        reminders.roster_gaps,
    ],
    measures=[measures.staff_measures],
    work_items=[
        work.interviews_to_score,
        work.appraisals_to_do,
        work.training_soon,
    ],
    calendar=[
        calendar.training,
        calendar.interviews,
        calendar.appraisal_deadlines,
        calendar.certificates,
        calendar.probation_ends,
    ],
    search=[
        search.employees,
        search.candidates,
    ],
    demo=demo.seed,
    # Names and staff numbers only (no personal data), to every signed-in colleague of the
    # same properties: a form that assigns work must be able to name who does it.
    autocomplete=[
        Source(
            "staff.employee",
            Employee,
            search_fields=("name", "staff_no"),
            order_by=("name", "staff_no"),
            permissions=None,
        ),
        Source(
            "staff.jobopening",
            JobOpening,
            search_fields=("position__name", "property__name", "property__code"),
            select_related=("position", "property"),
            order_by=("-opened_on", "-pk"),
        ),
        Source(
            "staff.appraisalcycle",
            AppraisalCycle,
            search_fields=("name", "property__name", "property__code"),
            select_related=("property",),
            order_by=("-period_end", "property__code"),
        ),
    ],
)
