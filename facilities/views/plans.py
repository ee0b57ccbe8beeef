"""Plan templates and maintenance plans."""

from itertools import islice

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    ObjectWithLinesEditView,
)
from core.views.generic import add_errors

from .. import filters, forms, services
from ..models import MaintenancePlan, PlanTemplate
from ..tables import MaintenancePlanTable, WorkOrderTable

UPCOMING = 6


class PlanTemplateListView(ObjectListView):
    model = PlanTemplate
    queryset = PlanTemplate.objects.select_related("category")
    filterset_class = filters.PlanTemplateFilter
    columns = ("title", "category", "code", "unit", "interval", "mode", "active")


class PlanTemplateDetailView(ObjectDetailView):
    model = PlanTemplate
    template_name = "facilities/plantemplate_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            items=list(self.object.items.all()),
            schedule=self.object.describe_schedule(),
            can_apply=self.request.user.has_perm("facilities.add_maintenanceplan"),
        )
        return context


class PlanTemplateEditView(ObjectWithLinesEditView):
    model = PlanTemplate
    form_class = forms.PlanTemplateForm
    formset_class = forms.PlanTemplateItemFormSet
    lines_title = _("Checklist")


class PlanTemplateDeleteView(ObjectDeleteView):
    model = PlanTemplate


class ApplyTemplateView(ObjectFormView):
    """Plans from a template for many pieces of equipment at once (active templates only)."""

    model = PlanTemplate
    queryset = PlanTemplate.objects.filter(active=True)
    permission_required = "facilities.add_maintenanceplan"
    form_class = forms.ApplyTemplateForm
    template_name = "generic/simple_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "template": self.object}

    def get_initial(self):
        return {"starts_on": timezone.localdate()}

    def form_valid(self, form):
        try:
            with transaction.atomic():
                plans = services.apply_template(
                    self.object,
                    form.cleaned_data["equipment"],
                    starts_on=form.cleaned_data["starts_on"],
                    by=self.request.user,
                )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(count)d maintenance plans created.") % {"count": len(plans)}
        )
        return HttpResponseRedirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Create plans from “%(template)s”") % {"template": self.object},
            submit_label=_("Create plans"),
            cancel_url=self.object.get_absolute_url(),
        )
        return context


class MaintenancePlanListView(ObjectListView):
    model = MaintenancePlan
    filterset_class = filters.MaintenancePlanFilter
    table_class = MaintenancePlanTable

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("equipment__property", "equipment__category", "assignee", "contractor")
            .with_lateness(timezone.localdate())
        )


class MaintenancePlanDetailView(ObjectDetailView):
    model = MaintenancePlan
    template_name = "facilities/maintenanceplan_detail.html"
    detail_fields = (
        "equipment",
        "template",
        "mode",
        "lead_days",
        "starts_on",
        "next_due",
        "assignee",
        "contractor",
        "estimated_hours",
        "instructions",
        "active",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        upcoming = list(islice(plan.upcoming(), UPCOMING))
        orders = plan.work_orders.select_related("property", "assignee", "equipment")[:10]
        context.update(
            items=list(plan.items.all()),
            schedule=plan.describe_schedule(),
            upcoming=upcoming,
            floating=plan.mode == "floating",
            orders=WorkOrderTable(orders, orderable=False, exclude=("property",)),
            overdue=plan.is_overdue(timezone.localdate()),
        )
        return context


class MaintenancePlanEditView(ObjectWithLinesEditView):
    model = MaintenancePlan
    form_class = forms.MaintenancePlanForm
    formset_class = forms.ChecklistItemFormSet
    lines_title = _("Checklist")

    def save_form(self, form):
        creating = form.instance.pk is None
        plan = super().save_form(form)
        if creating and form.cleaned_data.get("template") and not plan.items.exists():
            services.copy_checklist(form.cleaned_data["template"], plan)
        return plan


class MaintenancePlanDeleteView(ObjectDeleteView):
    model = MaintenancePlan
