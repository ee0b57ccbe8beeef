"""Appraisal pages: cycles, KPI templates (weights adding up to 100), and each appraisal with
its self-assessment, review, acknowledgement and the measured inputs of other apps."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count, ProtectedError, Q
from django.utils.translation import gettext_lazy as _

from core.scoping import visible_records
from core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectWithLinesEditView,
)

from .. import filters, forms, services
from ..measures import measures_for
from ..models import APPRAISAL, Appraisal, AppraisalCycle, AppraisalStatus, KPITemplate


class AppraisalCycleListView(ObjectListView):
    model = AppraisalCycle
    queryset = AppraisalCycle.objects.select_related("property")
    filterset_class = filters.AppraisalCycleFilter
    columns = ("name", "property", "kind", "period_start", "period_end", "deadline")


class AppraisalCycleDetailView(ObjectDetailView):
    model = AppraisalCycle
    template_name = "staff/appraisalcycle_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The cycle is not personal; its appraisals are (need-to-know).
        appraisals = visible_records(
            self.object.appraisals.select_related("employee", "reviewer"), self.request.user
        )
        context["appraisals"] = appraisals
        context["by_status"] = appraisals.aggregate(
            **{status: Count("pk", filter=Q(status=status)) for status in AppraisalStatus.values}
        )
        context["statuses"] = AppraisalStatus.choices
        return context


class AppraisalCycleEditView(ObjectEditView):
    model = AppraisalCycle
    form_class = forms.AppraisalCycleForm


class AppraisalCycleDeleteView(ObjectDeleteView):
    model = AppraisalCycle


class OpenCycleView(ObjectActionView):
    """POST: create the cycle's appraisals for everyone with a KPI template."""

    model = AppraisalCycle

    def perform(self, cycle, data):
        created = services.open_cycle(cycle, by=self.request.user)
        self.success_message = _("%(count)d appraisals created.") % {"count": created}


class KPITemplateListView(ObjectListView):
    model = KPITemplate
    queryset = KPITemplate.objects.select_related("position").annotate(
        criteria_count=Count("criteria")
    )
    filterset_class = filters.KPITemplateFilter
    columns = ("position", "note")


class KPITemplateDetailView(ObjectDetailView):
    model = KPITemplate
    template_name = "staff/kpitemplate_detail.html"


class KPITemplateEditView(ObjectWithLinesEditView):
    """The template and its criteria together; the weights must add up to 100."""

    model = KPITemplate
    form_class = forms.KPITemplateForm
    formset_class = forms.CriteriaFormSet
    lines_title = _("Criteria (weights add up to 100)")

    def save_form(self, form):
        try:
            return super().save_form(form)
        except (ProtectedError, IntegrityError) as exc:
            raise ValidationError(
                _(
                    "A criterion already used in appraisals cannot be deleted; give it a smaller "
                    "weight instead."
                )
            ) from exc


class KPITemplateDeleteView(ObjectDeleteView):
    model = KPITemplate


class AppraisalListView(ObjectListView):
    model = Appraisal
    queryset = Appraisal.objects.select_related("employee", "cycle__property", "reviewer")
    filterset_class = filters.AppraisalFilter
    columns = ("employee", "cycle", "reviewer", "status", "final_score", "rating")


class OwnAppraisalMixin:
    """An employee with a login may open and act on their own appraisal, whatever their role;
    everyone else needs the permission (and sees only their properties)."""

    def _is_own(self):
        return Appraisal.objects.filter(
            pk=self.kwargs.get("pk"), employee__user_id=self.request.user.pk
        ).exists()

    def has_permission(self):
        return super().has_permission() or (self.request.user.is_authenticated and self._is_own())

    def get_queryset(self):
        own = Appraisal.objects.filter(employee__user_id=self.request.user.pk)
        if self.request.user.has_perm("staff.view_appraisal"):
            return (super().get_queryset() | own).distinct()
        return own


def _score_lines(appraisal):
    return list(appraisal.scores.select_related("criterion"))


class AppraisalDetailView(OwnAppraisalMixin, ObjectDetailView):
    model = Appraisal
    template_name = "staff/appraisal_detail.html"
    detail_fields = (
        "employee",
        "cycle",
        "reviewer",
        "status",
        "final_score",
        "rating",
        "acknowledged_at",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        appraisal, user = self.object, self.request.user
        lines = _score_lines(appraisal)
        employee = appraisal.employee
        is_employee = employee.user_id == user.pk
        may_edit = user.has_perm("staff.change_appraisal")
        context.update(
            lines=lines,
            measures=measures_for(
                employee, appraisal.cycle.period_start, appraisal.cycle.period_end
            ),
            self_form=forms.ScoresForm(lines=lines, initial_attr="self_score")
            if APPRAISAL.allowed(appraisal, "self_assess") and (is_employee or may_edit)
            else None,
            review_form=forms.ScoresForm(lines=lines, initial_attr="self_score")
            if APPRAISAL.allowed(appraisal, "review")
            and not is_employee  # nobody reviews their own appraisal
            and (appraisal.reviewer_id == user.pk or may_edit)
            else None,
            can_acknowledge=APPRAISAL.allowed(appraisal, "acknowledge") and is_employee,
        )
        return context


class AppraisalDeleteView(ObjectDeleteView):
    model = Appraisal


class _ScoresAction(OwnAppraisalMixin, ObjectActionView):
    """Base of the two scoring steps; a bad score shows as an error message."""

    model = Appraisal
    action = "view"  # the service decides who may act (the employee, the reviewer, HR)
    initial_attr = "self_score"

    def perform(self, appraisal, data):
        form = forms.ScoresForm(
            self.request.POST, lines=_score_lines(appraisal), initial_attr=self.initial_attr
        )
        if not form.is_valid():
            raise ValidationError(
                [
                    f"{form.fields[name].label}: {error}" if name in form.fields else error
                    for name, errors in form.errors.items()
                    for error in errors
                ]
            )
        self.submit(appraisal, form.scores(), form.cleaned_data["comment"])


class SelfAssessView(_ScoresAction):
    success_message = _("Self-assessment submitted.")

    def submit(self, appraisal, scores, comment):
        services.submit_self_assessment(appraisal, scores, comment, by=self.request.user)


class ReviewView(_ScoresAction):
    success_message = _("Review submitted.")

    def submit(self, appraisal, scores, comment):
        services.submit_review(appraisal, scores, comment, by=self.request.user)


class AcknowledgeView(OwnAppraisalMixin, ObjectActionView):
    model = Appraisal
    action = "view"
    success_message = _("Thank you: the appraisal is acknowledged.")

    def perform(self, appraisal, data):
        services.acknowledge(appraisal, by=self.request.user)
