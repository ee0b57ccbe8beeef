"""Budgets, purchase plans and requisitions."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.texts import worded_field
from core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFormView,
    ObjectListView,
    ObjectWithLinesEditView,
)
from core.views.generic import add_errors

from .. import filters, forms, services, tables
from ..budgets import Usage, check_requisition, usage
from ..dashboard import levels_below_minimum
from ..models import (
    REQUISITION,
    Budget,
    PurchasePlan,
    Requisition,
    RequisitionStatus,
    StockLevel,
)
from ..services.planning import approval_limit
from .mixins import DraftOnlyMixin

# --- budgets ----------------------------------------------------------------------------------


def attach_usage(budgets):
    """Each budget with its ``usage``: a few grouped queries per year shown, not per row."""
    budgets = list(budgets)
    by_year = {}
    for budget in budgets:
        by_year.setdefault(budget.year, set()).add(budget.property_id)
    figures = {year: usage(ids, year) for year, ids in by_year.items()}
    for budget in budgets:
        budget.usage = figures[budget.year].get(
            (budget.property_id, budget.category_id), Usage(amount=budget.amount)
        )
    return budgets


class BudgetListView(ObjectListView):
    model = Budget
    queryset = Budget.objects.select_related("property", "category")
    filterset_class = filters.BudgetFilter
    table_class = tables.BudgetTable

    def get_table_data(self):
        return attach_usage(super().get_table_data())


class BudgetDetailView(ObjectDetailView):
    model = Budget
    template_name = "procurement/budget_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["usage"] = attach_usage([self.object])[0].usage
        return context


class BudgetEditView(ObjectEditView):
    model = Budget
    form_class = forms.BudgetForm


class BudgetDeleteView(ObjectDeleteView):
    model = Budget


# --- purchase plans ---------------------------------------------------------------------------


class PurchasePlanListView(ObjectListView):
    model = PurchasePlan
    queryset = PurchasePlan.objects.select_related("property")
    filterset_class = filters.PurchasePlanFilter
    columns = ("id", "property", "period", "year", "number", "status", "submitted_at")

    def get_table_class(self):
        return tables.PurchasePlanTable


class PurchasePlanDetailView(ObjectDetailView):
    model = PurchasePlan
    template_name = "procurement/purchaseplan_detail.html"
    detail_fields = (
        "property",
        "period",
        "year",
        "number",
        "status",
        "note",
        "return_reason",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lines = list(self.object.lines.select_related("item"))
        context.update(
            lines=lines,
            total=sum((line.quantity * line.estimated_price for line in lines), 0),
            requisition=Requisition.objects.filter(plan=self.object).first(),
            reason_form=forms.CancelForm(),
        )
        return context


class PurchasePlanEditView(DraftOnlyMixin, ObjectWithLinesEditView):
    model = PurchasePlan
    form_class = forms.PurchasePlanForm
    formset_class = forms.PlanLineFormSet
    lines_title = _("Lines")


class PurchasePlanDeleteView(DraftOnlyMixin, ObjectDeleteView):
    model = PurchasePlan


class SuggestPlanLinesView(ObjectActionView):
    model = PurchasePlan
    success_message = _("Items below their minimum were added.")

    def perform(self, plan, data):
        added = services.suggest_plan_lines(plan, by=self.request.user)
        if not added:
            raise ValidationError(_("No item of this property is below its minimum."))


class SubmitPlanView(ObjectActionView):
    model = PurchasePlan
    success_message = _("Plan submitted for approval.")

    def perform(self, plan, data):
        services.submit_plan(plan, by=self.request.user)


class ApprovePlanView(ObjectActionView):
    model = PurchasePlan
    permission_required = "procurement.approve_purchaseplan"
    success_message = _("Plan approved: its lines are now an approved requisition.")

    def perform(self, plan, data):
        services.approve_plan(plan, by=self.request.user)


class ReturnPlanView(ObjectActionView):
    model = PurchasePlan
    permission_required = "procurement.approve_purchaseplan"
    form_class = forms.CancelForm
    success_message = _("Plan sent back to its author.")

    def perform(self, plan, data):
        services.return_plan(plan, by=self.request.user, reason=data["reason"])


class AddToPlanView(ObjectFormView):
    """The below-minimum reminder's link: one click puts the item on this month's plan."""

    model = StockLevel
    permission_required = ("procurement.add_purchaseplan", "procurement.change_purchaseplan")
    form_class = forms.AddToPlanForm
    template_name = "procurement/add_to_plan.html"

    def get_queryset(self):
        return super().get_queryset().select_related("item", "storeroom__property")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        low = levels_below_minimum(StockLevel.objects.filter(pk=self.object.pk)).first()
        context["on_hand"] = low.on_hand if low else None
        today = timezone.localdate()
        context["period"] = f"{self.object.storeroom.property.code} {today:%Y-%m}"
        context.update(
            title=_("Add to the purchase plan"),
            submit_label=_("Add to the plan"),
            cancel_url=self.object.get_absolute_url(),
        )
        return context

    def form_valid(self, form):
        try:
            line, created = services.add_to_plan(
                self.object, by=self.request.user, quantity=form.cleaned_data["quantity"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        if created:
            messages.success(
                self.request,
                _("%(item)s added to the plan %(plan)s.") % {"item": line.item, "plan": line.plan},
            )
        else:
            messages.info(
                self.request,
                _("%(item)s is already in the plan %(plan)s.")
                % {"item": line.item, "plan": line.plan},
            )
        return HttpResponseRedirect(line.plan.get_absolute_url())


# --- requisitions -----------------------------------------------------------------------------


class RequisitionListView(ObjectListView):
    model = Requisition
    filterset_class = filters.RequisitionFilter
    table_class = tables.RequisitionTable

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("property", "department", "requested_by")
            .with_amount()
            # The search looks into the lines: a requisition with two matching lines once.
            .distinct()
        )


class RequisitionDetailView(ObjectDetailView):
    model = Requisition
    template_name = "procurement/requisition_detail.html"
    detail_fields = (
        "property",
        "department",
        "purpose",
        "work_order_ref",
        "needed_by",
        "status",
        "amount",
        "requested_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "decision_note",
        "plan",
    )

    def get_queryset(self):
        return super().get_queryset().select_related("property", "department", "plan")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requisition, user = self.object, self.request.user
        lines = list(requisition.lines.select_related("item"))
        year = timezone.localtime(requisition.submitted_at or timezone.now()).year
        context.update(
            lines=lines,
            total=sum((line.amount for line in lines), 0),
            # Before the decision: what it would take. Afterwards it is in the figures.
            budget_checks=check_requisition(requisition, year)
            if lines
            and requisition.status in (RequisitionStatus.DRAFT, RequisitionStatus.SUBMITTED)
            else [],
            budget_year=year,
            budget_mode=settings.PROCUREMENT_BUDGET_CHECK,
            limit=approval_limit(),
            can_decide=REQUISITION.allowed(requisition, "approve", user)
            and services.can_approve(user, requisition),
            can_order=REQUISITION.allowed(requisition, "order", user),
            can_quote=requisition.status == RequisitionStatus.APPROVED
            and user.has_perm("procurement.add_requestforquotation"),
            orders=requisition.orders.select_related("supplier"),
            rfqs=requisition.rfqs.all(),
            reason_form=forms.CancelForm(),
        )
        return context


class RequisitionEditView(DraftOnlyMixin, ObjectWithLinesEditView):
    model = Requisition
    form_class = forms.RequisitionForm
    formset_class = forms.RequisitionLineFormSet
    lines_title = _("Lines")

    def save_form(self, form):
        if form.instance.pk is None:
            form.instance.requested_by = self.request.user
        requisition = super().save_form(form)
        return services.refresh_requisition_amount(requisition, by=self.request.user)


class RequisitionDeleteView(DraftOnlyMixin, ObjectDeleteView):
    model = Requisition


class SubmitRequisitionView(ObjectActionView):
    model = Requisition
    success_message = _("Requisition submitted for approval.")

    def perform(self, requisition, data):
        submitted = services.submit_requisition(requisition, by=self.request.user)
        if submitted.budget_warning_key or submitted.budget_warning:
            messages.warning(self.request, worded_field(submitted, "budget_warning"))


class ApproveRequisitionView(ObjectActionView):
    model = Requisition
    permission_required = "procurement.approve_requisition"
    success_message = _("Requisition approved.")

    def perform(self, requisition, data):
        services.approve_requisition(requisition, by=self.request.user)


class RejectRequisitionView(ObjectActionView):
    model = Requisition
    permission_required = "procurement.approve_requisition"
    form_class = forms.CancelForm
    success_message = _("Requisition rejected.")

    def perform(self, requisition, data):
        services.reject_requisition(requisition, by=self.request.user, reason=data["reason"])


class CancelRequisitionView(ObjectActionView):
    model = Requisition
    form_class = forms.CancelForm
    success_message = _("Requisition cancelled.")

    def perform(self, requisition, data):
        services.cancel_requisition(requisition, by=self.request.user, reason=data["reason"])


class RequisitionFormView(ObjectFormView):
    """A form about one approved requisition (order it, or ask for quotes)."""

    model = Requisition
    template_name = "procurement/requisition_action.html"
    title = None

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(status=RequisitionStatus.APPROVED)
            .select_related("property")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["submit_label"] = self.title
        context["cancel_url"] = self.object.get_absolute_url()
        context["lines"] = self.object.lines.select_related("item")
        return context

    def form_valid(self, form):
        try:
            with transaction.atomic():
                result = self.perform(form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(document)s created.") % {"document": result})
        return HttpResponseRedirect(result.get_absolute_url())


class OrderFromRequisitionView(RequisitionFormView):
    permission_required = "procurement.add_purchaseorder"
    form_class = forms.OrderFromRequisitionForm
    title = _("Order from the requisition")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "requisition": self.object}

    def perform(self, data):
        return services.order_from_requisition(
            self.object,
            supplier=data["supplier"],
            storeroom=data["storeroom"],
            promised_on=data["promised_on"],
            by=self.request.user,
        )


class RfqFromRequisitionView(RequisitionFormView):
    permission_required = "procurement.add_requestforquotation"
    form_class = forms.RfqFromRequisitionForm
    title = _("Ask suppliers for quotes")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "requisition": self.object}

    def perform(self, data):
        return services.rfq_from_requisition(
            self.object,
            by=self.request.user,
            reply_by=data["reply_by"],
            suppliers=data["suppliers"],
        )
