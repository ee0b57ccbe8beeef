"""Training pages: courses, sessions (enrolment and results), records, refreshers, plans."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import visible_records
from core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)

from .. import filters, forms, services, tables
from ..models import (
    Attendance,
    Course,
    PlannedCourse,
    TrainingPlan,
    TrainingSession,
    refreshers_due,
)


class CourseListView(ObjectListView):
    model = Course
    filterset_class = filters.CourseFilter
    columns = ("title", "category", "hours", "validity_months", "pass_score")


class CourseDetailView(ObjectDetailView):
    model = Course


class CourseEditView(ObjectEditView):
    model = Course
    form_class = forms.CourseForm


class CourseDeleteView(ObjectDeleteView):
    model = Course


class TrainingSessionListView(ObjectListView):
    model = TrainingSession
    filterset_class = filters.TrainingSessionFilter
    table_class = tables.TrainingSessionTable

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("course", "property")
            .annotate(enrolled=Count("attendances"))
        )


class TrainingSessionDetailView(ObjectDetailView):
    """The session with its roster: enrol people, then record who came and their scores."""

    model = TrainingSession
    template_name = "staff/trainingsession_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        context.update(
            # The session is not personal; its attendees' scores are (need-to-know).
            attendances=visible_records(
                session.attendances.select_related("employee__position"), self.request.user
            ),
            enrol_form=forms.EnrolForm(session=session, user=self.request.user),
            started=session.starts_at <= timezone.now(),
            can_manage=self.request.user.has_perm("staff.change_trainingsession"),
        )
        return context


class TrainingSessionEditView(ObjectEditView):
    model = TrainingSession
    form_class = forms.TrainingSessionForm


class TrainingSessionDeleteView(ObjectDeleteView):
    model = TrainingSession


class EnrolView(ObjectActionView):
    model = TrainingSession
    success_message = _("Enrolled.")

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = forms.EnrolForm(request.POST, session=self.object, user=request.user)
        if not form.is_valid():
            messages.error(request, _("Choose people of this property who are not enrolled."))
            return HttpResponseRedirect(self.get_success_url())
        self.employees = list(form.cleaned_data["employees"])
        return super().post(request, *args, **kwargs)

    def perform(self, session, data):
        services.enrol(session, self.employees, by=self.request.user)


class ResultsView(ObjectActionView):
    """POST: attended_<id> (on/absent) and score_<id> for every attendance of the session."""

    model = TrainingSession
    success_message = _("Results saved.")

    def perform(self, session, data):
        results = {}
        for attendance_id in session.attendances.values_list("pk", flat=True):
            raw = self.request.POST.get(f"score_{attendance_id}", "").strip()
            try:
                score = Decimal(raw) if raw else None
            except InvalidOperation as exc:
                raise ValidationError(_("Scores are numbers from 0 to 100.")) from exc
            attended = self.request.POST.get(f"attended_{attendance_id}") == "on"
            results[attendance_id] = (attended, score)
        services.record_results(session, results, by=self.request.user)


class AttendanceListView(ObjectListView):
    """Everyone's training record: who took which course, and how it went."""

    model = Attendance
    queryset = Attendance.objects.select_related("employee", "session__course")
    filterset_class = filters.AttendanceFilter
    table_class = tables.AttendanceTable


class RefresherListView(AttendanceListView):
    """Passes running out within 30 days (or already out) with no refresher booked."""

    template_name = "staff/refresher_list.html"

    def get_queryset(self):
        due = refreshers_due(timezone.localdate()).values("pk")
        return super().get_queryset().filter(pk__in=due).order_by("valid_until")


class TrainingPlanListView(ObjectListView):
    model = TrainingPlan
    queryset = TrainingPlan.objects.select_related("property")
    filterset_class = filters.TrainingPlanFilter
    columns = ("property", "year", "note")


def plan_completion(plan, items):
    """Set ``trained`` on each planned course: the people who passed that course at the
    plan's property in the plan's year, each counted once, given to the plan's lines for
    that course in month order and up to the number each line plans. One query."""
    passed = dict(
        Attendance.objects.filter(
            passed=True,
            session__property=plan.property_id,
            session__starts_at__year=plan.year,
        )
        .values("session__course")
        .annotate(people=Count("employee", distinct=True))
        .values_list("session__course", "people")
    )
    for item in sorted(items, key=lambda i: i.month):
        item.trained = min(passed.get(item.course_id, 0), item.participants)
        passed[item.course_id] = passed.get(item.course_id, 0) - item.trained
    return items


class TrainingPlanDetailView(ObjectDetailView):
    model = TrainingPlan
    template_name = "staff/trainingplan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = plan_completion(
            self.object, list(self.object.items.select_related("course").order_by("month"))
        )
        # A plan has a dozen lines or so: add them up here rather than in a second query.
        planned = sum(item.participants for item in items)
        trained = sum(item.trained for item in items)
        context.update(
            items=items,
            planned=planned,
            trained=trained,
            completion=round(100 * trained / planned) if planned else None,
        )
        return context


class TrainingPlanEditView(ObjectEditView):
    model = TrainingPlan
    form_class = forms.TrainingPlanForm


class TrainingPlanDeleteView(ObjectDeleteView):
    model = TrainingPlan


class PlannedCourseListView(ObjectListView):
    model = PlannedCourse
    queryset = PlannedCourse.objects.select_related("plan__property", "course")
    filterset_class = filters.PlannedCourseFilter
    columns = ("course", "plan", "month", "participants")


class PlannedCourseDetailView(ObjectDetailView):
    model = PlannedCourse


class PlannedCourseEditView(ObjectEditView):
    model = PlannedCourse
    form_class = forms.PlannedCourseForm
    parent_field = "plan"

    def get_initial(self):
        initial = super().get_initial()
        if "plan" in self.request.GET:
            initial["plan"] = self.request.GET["plan"]
        return initial


class PlannedCourseDeleteView(ObjectDeleteView):
    model = PlannedCourse
    parent_field = "plan"
