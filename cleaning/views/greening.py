"""Greening pages: zones, plans, tasks (with the phone's "done" page) and the pesticide log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFormView,
    ObjectListView,
)
from core.views.generic import add_errors, next_url
from core.views.mixins import query_id

from .. import filters_greening, forms_greening, tables_greening
from ..models import GreeningPlan, GreeningTask, GreeningTaskStatus, GreenZone, PesticideApplication
from ..services.greening import complete_task

RECENT = 10


# --- zones ------------------------------------------------------------------------------------


class GreenZoneListView(ObjectListView):
    model = GreenZone
    queryset = GreenZone.objects.select_related("property", "location")
    filterset_class = filters_greening.GreenZoneFilter
    columns = ("name", "property", "location", "area_m2", "main_plants", "active")


class GreenZoneDetailView(ObjectDetailView):
    model = GreenZone
    template_name = "cleaning/greenzone_detail.html"
    detail_fields = ("property", "location", "area_m2", "main_plants", "active", "note")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        zone = self.object
        context.update(
            plans=tables_greening.GreeningPlanTable(
                zone.plans.select_related("zone__property", "assignee"), orderable=False
            ),
            tasks=tables_greening.GreeningTaskTable(
                zone.tasks.select_related("zone__property", "assignee", "done_by")[:RECENT],
                orderable=False,
            ),
            pesticides=tables_greening.PesticideApplicationTable(
                zone.pesticide_applications.select_related("zone", "applied_by")[:RECENT],
                orderable=False,
            ),
        )
        return context


class GreenZoneEditView(ObjectEditView):
    model = GreenZone
    form_class = forms_greening.GreenZoneForm


class GreenZoneDeleteView(ObjectDeleteView):
    model = GreenZone


# --- plans ------------------------------------------------------------------------------------


class GreeningPlanListView(ObjectListView):
    model = GreeningPlan
    queryset = GreeningPlan.objects.select_related("zone__property", "assignee")
    filterset_class = filters_greening.GreeningPlanFilter
    table_class = tables_greening.GreeningPlanTable


class GreeningPlanDetailView(ObjectDetailView):
    model = GreeningPlan
    template_name = "cleaning/greeningplan_detail.html"
    detail_fields = (
        "zone",
        "kind",
        "lead_days",
        "starts_on",
        "next_due",
        "assignee",
        "instructions",
        "active",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            schedule=self.object.describe_schedule(),
            season=self.object.describe_season(),
            tasks=tables_greening.GreeningTaskTable(
                self.object.tasks.select_related("zone__property", "assignee", "done_by")[:RECENT],
                orderable=False,
            ),
        )
        return context


class GreeningPlanEditView(ObjectEditView):
    model = GreeningPlan
    form_class = forms_greening.GreeningPlanForm

    def get_initial(self):
        initial = super().get_initial()
        zone = query_id(self.request, "zone")
        if zone is not None:
            initial["zone"] = zone
        return initial


class GreeningPlanDeleteView(ObjectDeleteView):
    model = GreeningPlan


# --- tasks ------------------------------------------------------------------------------------


class GreeningTaskListView(ObjectListView):
    model = GreeningTask
    queryset = GreeningTask.objects.select_related("zone__property", "assignee", "done_by")
    filterset_class = filters_greening.GreeningTaskFilter
    table_class = tables_greening.GreeningTaskTable


class GreeningTaskDetailView(ObjectDetailView):
    model = GreeningTask
    template_name = "cleaning/greeningtask_detail.html"
    detail_fields = (
        "zone",
        "kind",
        "due_on",
        "status",
        "assignee",
        "plan",
        "done_by",
        "done_at",
        "note",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.object
        materials = list(task.materials.select_related("item", "storeroom"))
        context.update(
            materials=materials,
            material_cost=sum((m.value for m in materials), 0),
            pesticides=list(task.pesticides.select_related("applied_by")),
            can_complete=task.status == GreeningTaskStatus.OPEN and self.user_can("change"),
        )
        return context


class GreeningTaskEditView(ObjectEditView):
    model = GreeningTask
    form_class = forms_greening.GreeningTaskForm


class GreeningTaskDeleteView(ObjectDeleteView):
    model = GreeningTask


class GreeningTaskDoneView(ObjectFormView):
    """The phone's "done" page: who did it and when, the materials used (issued from the
    stores), and for pest control the pesticide applied; all saved or nothing."""

    model = GreeningTask
    action = "change"
    form_class = forms_greening.TaskDoneForm
    template_name = "cleaning/greeningtask_done.html"

    def get_queryset(self):
        return super().get_queryset().select_related("zone", "assignee")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "task": self.object}

    def get(self, request, *args, **kwargs):
        if self.object.status != GreeningTaskStatus.OPEN:
            messages.info(request, _("This task is already done."))
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                complete_task(
                    self.object,
                    by=self.request.user,
                    done_by=data["done_by"],
                    done_at=data.get("done_at"),
                    note=data.get("note", ""),
                    storeroom=data.get("storeroom"),
                    materials=data["materials"],
                    pesticide=form.pesticide(),
                )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Task done."))
        return HttpResponseRedirect(next_url(self.request) or self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["task"] = self.object
        return context


# --- pesticide log ----------------------------------------------------------------------------


class PesticideApplicationListView(ObjectListView):
    model = PesticideApplication
    queryset = PesticideApplication.objects.select_related("zone__property", "applied_by")
    filterset_class = filters_greening.PesticideApplicationFilter
    table_class = tables_greening.PesticideApplicationTable


class PesticideApplicationDetailView(ObjectDetailView):
    model = PesticideApplication


class PesticideApplicationEditView(ObjectEditView):
    model = PesticideApplication
    form_class = forms_greening.PesticideApplicationForm

    def get_initial(self):
        initial = super().get_initial()
        for name in ("zone", "task"):
            value = query_id(self.request, name)
            if value is not None:
                initial[name] = value
        return initial


class PesticideApplicationDeleteView(ObjectDeleteView):
    model = PesticideApplication
