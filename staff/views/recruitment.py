"""Recruitment pages: openings (each a pipeline board), candidates, applications, interviews,
hiring and the onboarding checklist."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from django.views.generic.detail import SingleObjectMixin

from core.scoping import visible_records
from core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
)
from core.views.generic import add_errors
from core.views.mixins import ObjectMixin

from .. import filters, forms, services, tables
from ..models import (
    CLOSED_STAGES,
    PIPELINE,
    Application,
    Candidate,
    Interview,
    InterviewCriterion,
    JobOpening,
    OnboardingItem,
    Stage,
)


class JobOpeningListView(ObjectListView):
    model = JobOpening
    filterset_class = filters.JobOpeningFilter
    table_class = tables.JobOpeningTable

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("position", "property")
            .annotate(
                hired=Count("applications", filter=Q(applications__stage=Stage.HIRED)),
                in_pipeline=Count("applications", filter=~Q(applications__stage__in=CLOSED_STAGES)),
            )
        )


class JobOpeningDetailView(ObjectDetailView):
    """The opening and its pipeline as a board: one column per stage."""

    model = JobOpening
    template_name = "staff/jobopening_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The opening is not personal; its candidates are (need-to-know).
        applications = visible_records(
            self.object.applications.select_related("candidate"), self.request.user
        ).order_by("stage_changed_at")
        by_stage = {stage: [] for stage in Stage.values}
        for application in applications:
            by_stage[application.stage].append(application)
        context["columns"] = [(Stage(stage), by_stage[stage]) for stage in PIPELINE]
        context["closed"] = by_stage[Stage.REJECTED] + by_stage[Stage.WITHDRAWN]
        context["can_move"] = self.request.user.has_perm("staff.change_application")
        context["can_hire"] = self.request.user.has_perm("staff.add_employee")
        return context


class JobOpeningEditView(ObjectEditView):
    model = JobOpening
    form_class = forms.JobOpeningForm


class JobOpeningDeleteView(ObjectDeleteView):
    model = JobOpening


class CandidateListView(ObjectListView):
    model = Candidate
    filterset_class = filters.CandidateFilter
    columns = ("name", "phone", "email", "source", "created_at")


class CandidateDetailView(ObjectDetailView):
    model = Candidate
    template_name = "staff/candidate_detail.html"
    detail_fields = ("name", "phone", "email", "source", "note")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["applications"] = visible_records(
            self.object.applications.select_related("opening__position", "opening__property"),
            self.request.user,
        )
        return context


class CandidateEditView(ObjectEditView):
    model = Candidate
    form_class = forms.CandidateForm


class CandidateDeleteView(ObjectDeleteView):
    model = Candidate


class ApplicationListView(ObjectListView):
    model = Application
    queryset = Application.objects.select_related(
        "candidate", "opening__position", "opening__property"
    )
    filterset_class = filters.ApplicationFilter
    table_class = tables.ApplicationTable


class ApplicationDetailView(ObjectDetailView):
    model = Application
    template_name = "staff/application_detail.html"
    detail_fields = (
        "opening",
        "candidate",
        "stage",
        "stage_changed_at",
        "closed_reason",
        "employee",
    )

    def get_queryset(self):
        return super().get_queryset().select_related("opening__position", "opening__property")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next_stage"] = self.object.next_stage()
        context["move_form"] = forms.MoveForm()
        context["interviews"] = self.object.interviews.prefetch_related(
            "scores__criterion", "interviewers"
        )
        return context


class ApplicationEditView(ObjectEditView):
    model = Application
    form_class = forms.ApplicationForm

    def get_initial(self):
        initial = super().get_initial()
        for key in ("opening", "candidate"):
            if key in self.request.GET:
                initial[key] = self.request.GET[key]
        return initial


class ResumeView(ObjectFileView):
    """The résumé, served only to those who may see the candidate."""

    model = Candidate
    file_field = "resume"


class ApplicationDeleteView(ObjectDeleteView):
    model = Application


class ApplicationMoveView(ObjectActionView):
    """POST: move an application a step along the pipeline, or reject/withdraw it."""

    model = Application
    form_class = forms.MoveForm
    success_message = _("The application was moved.")

    def perform(self, application, data):
        services.move_application(
            application, data["stage"], by=self.request.user, reason=data.get("reason", "")
        )


class HireView(ObjectMixin, SingleObjectMixin, FormView):
    """Hire the candidate of an application with an offer: creates the employee."""

    model = Application
    action = "change"
    permission_required = ("staff.change_application", "staff.add_employee")
    form_class = forms.HireForm
    template_name = "staff/hire_form.html"

    def get_queryset(self):
        return super().get_queryset().select_related("opening__position", "candidate")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "opening": self.object.opening,
            "user": self.request.user,
        }

    def get_initial(self):
        today = timezone.localdate()
        return {"hire_date": today, "probation_end": today + timedelta(days=90)}

    def form_valid(self, form):
        try:
            employee = services.hire(self.object, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s was hired; the onboarding checklist is on their page.")
            % {"name": employee.name},
        )
        return HttpResponseRedirect(employee.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, opts=self.model._meta)
        return context


class InterviewListView(ObjectListView):
    model = Interview
    queryset = Interview.objects.select_related("application__candidate")
    filterset_class = filters.InterviewFilter
    columns = ("scheduled_at", "application", "place", "recommendation")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("application__opening__position", "application__opening__property")
        )


class InterviewDetailView(ObjectDetailView):
    model = Interview
    template_name = "staff/interview_detail.html"
    detail_fields = ("application", "scheduled_at", "place", "recommendation", "comments")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "application__candidate",
                "application__opening__position",
                "application__opening__property",
            )
            .prefetch_related("scores__criterion", "interviewers")
        )


class InterviewEditView(ObjectEditView):
    model = Interview
    form_class = forms.InterviewForm
    parent_field = "application"

    def get_initial(self):
        initial = super().get_initial()
        if "application" in self.request.GET:
            initial["application"] = self.request.GET["application"]
        return initial

    def save_form(self, form):
        interview = form.save(commit=False)
        return services.record_interview(
            interview,
            by=self.request.user,
            scores=form.scores(),
            interviewers=form.cleaned_data["interviewers"],
        )


class InterviewDeleteView(ObjectDeleteView):
    model = Interview
    parent_field = "application"


class InterviewCriterionListView(ObjectListView):
    model = InterviewCriterion
    filterset_class = filters.InterviewCriterionFilter
    columns = ("name", "order", "active")


class InterviewCriterionDetailView(ObjectDetailView):
    model = InterviewCriterion


class InterviewCriterionEditView(ObjectEditView):
    model = InterviewCriterion
    form_class = forms.InterviewCriterionForm


class InterviewCriterionDeleteView(ObjectDeleteView):
    model = InterviewCriterion


class OnboardingTickView(ObjectActionView):
    """POST: tick (done=1) or untick (done=0) a step of the onboarding checklist."""

    model = OnboardingItem
    success_message = _("Onboarding checklist updated.")

    def perform(self, item, data):
        services.tick_onboarding(
            item, by=self.request.user, done=self.request.POST.get("done") != "0"
        )
