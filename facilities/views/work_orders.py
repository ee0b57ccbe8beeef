"""Work orders: the list, the order's page with every step, the technician's list on a
phone, the fault report, and downtime (the printable order is in documents.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import FormView, RedirectView

from core.checklists import AnswersForm
from core.links import linked_message
from core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
)
from core.views.generic import add_errors
from core.views.mixins import PermissionMixin, query_id

from .. import filters, forms, services
from ..models import (
    WORK_ORDER,
    ChecklistResult,
    Downtime,
    Equipment,
    WorkOrder,
    WorkOrderPart,
    WorkOrderPhoto,
    WorkOrderStatus,
)
from ..services.work_orders import WORKING
from ..tables import DowntimeTable, WorkOrderTable

WORK_ON = "facilities.work_on_workorder"
VERIFY = "facilities.verify_workorder"


def facilities_crumbs(*crumbs):
    return [(_("Facilities & maintenance"), reverse("facilities:index")), *crumbs]


class WorkOrderListView(ObjectListView):
    model = WorkOrder
    queryset = WorkOrder.objects.select_related("property", "equipment", "assignee")
    filterset_class = filters.WorkOrderFilter
    table_class = WorkOrderTable


# The one step that moves an order on, shown first as a large button: a step that needs a form
# (completing, verifying) leads to its form on the page; the others are one press.
NEXT_STEPS = (
    ("start", _("Start work"), "facilities:workorder_start", None),
    ("resume", _("Resume"), "facilities:workorder_resume", None),
    ("complete", _("Complete the work"), None, "complete"),
    ("verify", _("Verify the work"), None, "verify"),
    ("close", pgettext_lazy("close a work order", "Close"), "facilities:workorder_close", None),
)


def next_step(order, can):
    """The first of ``NEXT_STEPS`` this user may take now (``can``), or None."""
    for action, label, url_name, anchor in NEXT_STEPS:
        if can.get(action):
            url = reverse(url_name, args=[order.pk]) if url_name else f"#{anchor}"
            return {"action": action, "label": label, "url": url, "post": url_name is not None}
    return None


class WorkOrderDetailView(ObjectDetailView):
    model = WorkOrder
    template_name = "facilities/workorder_detail.html"
    detail_fields = (
        "kind",
        "source",
        "property",
        "equipment",
        "location",
        "priority",
        "status",
        "assignee",
        "contractor",
        "reported_by",
        "contact",
        "due_on",
        "respond_by",
        "resolve_by",
        "started_at",
        "completed_at",
        "verified_by",
        "rating",
        "rework_count",
        "hold_reason",
        "cancel_reason",
    )
    # On top of the page (a technician's phone shows them first): what, where, by when.
    summary_fields = ("equipment", "location", "due_on", "resolve_by")

    related = ("plan", "parent", "equipment__category", "equipment__location", "source_type")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order, user = self.object, self.request.user
        work_on, verify = user.has_perm(WORK_ON), user.has_perm(VERIFY)
        change = user.has_perm("facilities.change_workorder")
        working = work_on and order.status in WORKING
        results = list(order.results.select_related("follow_up"))
        can_check = work_on and order.status == WorkOrderStatus.IN_PROGRESS
        checklist = AnswersForm(results=results) if can_check else None
        can = {
            # Each step of the workflow this user may take now, and the rest of the page.
            **WORK_ORDER.available(order, user),
            "work": working,
            "check": can_check,
            "follow_up": work_on,
            "note": work_on or change or verify,
        }
        context.update(
            can=can,
            next_step=next_step(order, can),
            can_change=change and order.is_open,
            results=results,
            failed=[r for r in results if r.passed is False],
            checklist_rows=[
                (result, checklist[result.field_name] if checklist else None) for result in results
            ],
            parts=list(order.parts.select_related("item", "storeroom", "issued_by")),
            photos=list(order.photos.all()),
            events=list(order.events.select_related("by")),
            downtimes=list(order.downtimes.all()),
            follow_ups=list(order.follow_ups.all()),
            assign_form=forms.AssignForm(work_order=order),
            complete_form=forms.CompleteForm(
                initial={"external_cost": order.external_cost or None}
            ),
            verify_form=forms.VerifyForm(),
            note_form=forms.NoteForm(),
            part_form=forms.PartForm(work_order=order),
            photo_form=forms.PhotoForm(),
            follow_up_form=forms.FollowUpForm(),
            overdue=order.is_overdue(),
            source_url=order.source_url(),
            source_label=order.source_label(),
        )
        return context


class WorkOrderEditView(ObjectEditView):
    """A new order typed in by the office, or the description of an open one corrected."""

    model = WorkOrder
    form_class = forms.WorkOrderForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.object is None and not form.is_bound:
            equipment = query_id(self.request, "equipment")
            if equipment is not None:
                form.initial["equipment"] = equipment
        return form

    def save_form(self, form):
        if self.object is not None:
            return services.update_work_order(
                self.object,
                {name: form.cleaned_data[name] for name in form.changed_data},
                by=self.request.user,
            )
        data = form.cleaned_data
        return services.open_work_order(
            title=data["title"],
            by=self.request.user,
            property=data["property"],
            equipment=data["equipment"],
            location=data["location"],
            kind=data["kind"],
            priority=data["priority"],
            description=data["description"],
            assignee=data["assignee"],
            contractor=data["contractor"],
            due_on=data["due_on"],
            contact=data["contact"],
        )


class WorkOrderDeleteView(ObjectDeleteView):
    """Only an order opened by mistake goes: new, with nothing recorded on it. Anything
    further along is cancelled with its reason, and keeps its place in the figures."""

    model = WorkOrder

    def form_valid(self, form):
        order = self.object
        if order.status != WorkOrderStatus.NEW or order.parts.exists() or order.photos.exists():
            messages.error(
                self.request,
                _("Only a new work order with nothing recorded on it can be deleted; cancel it."),
            )
            return HttpResponseRedirect(order.get_absolute_url())
        return super().form_valid(form)


class MyWorkOrdersView(PermissionMixin, RedirectView):
    """我的工单 is My work filtered on facilities (orders, rounds, orders to verify): one
    page, one implementation (``core.views.work``, items from ``facilities.work``)."""

    permission_required = WORK_ON
    query_string = False

    def get_redirect_url(self, *args, **kwargs):
        return f"{reverse('core:my_work')}?area=facilities"


class FaultReportView(PermissionMixin, FormView):
    """报修: a short form on a phone (from the equipment's QR page or the menu) that opens a
    repair order."""

    permission_required = "facilities.report_fault"
    form_class = forms.FaultReportForm
    template_name = "facilities/fault_report.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        equipment = query_id(self.request, "equipment")
        if equipment is not None:
            initial["equipment"] = equipment
        return initial

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        chosen = form.initial.get("equipment")
        # From a QR label: the equipment is fixed, so the form is a few taps.
        self.equipment = (
            form.fields["equipment"].queryset.filter(pk=chosen).first() if chosen else None
        )
        return form

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                order = services.report_fault(
                    by=self.request.user,
                    description=data["description"],
                    equipment=data["equipment"],
                    location=data["location"],
                    priority=data["priority"],
                    out_of_service=data["out_of_service"],
                    contact=data["contact"],
                    photo=data["photo"],
                )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            linked_message(
                _("Fault reported: work order %(number)s is open."),
                self.request.user,
                number=order,
            ),
        )
        if self.request.user.has_perm("facilities.view_workorder"):
            return HttpResponseRedirect(order.get_absolute_url())
        if order.equipment_id and self.request.user.has_perm("facilities.view_equipment"):
            return HttpResponseRedirect(order.equipment.get_absolute_url())
        return HttpResponseRedirect(reverse("facilities:report_fault"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            equipment=self.equipment,
            breadcrumbs=facilities_crumbs((_("Report a fault"), None)),
        )
        return context


# --- steps of an order (POST only) ----------------------------------------------------------


class WorkOrderStepView(ObjectActionView):
    """One step of the status machine, by a service of the same name."""

    model = WorkOrder
    step = None
    permission_required = WORK_ON

    def perform(self, order, data):
        getattr(services, self.step)(order, by=self.request.user, **data)


class AssignView(WorkOrderStepView):
    step = "assign"
    permission_required = "facilities.change_workorder"
    form_class = forms.AssignForm
    success_message = _("Work order assigned.")

    def get_form_kwargs(self):
        return {"work_order": self.object}


class StartView(WorkOrderStepView):
    step = "start"
    success_message = _("Work started.")


class HoldView(WorkOrderStepView):
    step = "hold"
    form_class = forms.ReasonForm
    success_message = _("Work order on hold.")


class ResumeView(WorkOrderStepView):
    step = "resume"
    success_message = _("Work resumed.")


class CompleteView(WorkOrderStepView):
    step = "complete"
    form_class = forms.CompleteForm
    success_message = _("Work order completed.")


class VerifyView(WorkOrderStepView):
    step = "verify"
    permission_required = VERIFY
    form_class = forms.VerifyForm
    success_message = _("Work verified.")


class SendBackView(WorkOrderStepView):
    step = "send_back"
    permission_required = VERIFY
    form_class = forms.ReasonForm
    success_message = _("Work order sent back for rework.")


class CloseView(WorkOrderStepView):
    step = "close"
    permission_required = VERIFY
    success_message = _("Work order closed.")


class CancelView(WorkOrderStepView):
    step = "cancel"
    permission_required = "facilities.change_workorder"
    form_class = forms.ReasonForm
    success_message = _("Work order cancelled.")


class NoteView(WorkOrderStepView):
    permission_required = ()  # anyone who sees the order may add to its timeline
    form_class = forms.NoteForm
    success_message = _("Note added.")

    def has_permission(self):
        user = self.request.user
        return super().has_permission() and any(
            user.has_perm(p) for p in (WORK_ON, VERIFY, "facilities.change_workorder")
        )

    def perform(self, order, data):
        services.add_note(order, text=data["text"], by=self.request.user)


class ChecklistView(WorkOrderStepView):
    form_class = AnswersForm
    success_message = _("Checklist saved.")

    def get_form_kwargs(self):
        return {"results": list(self.object.results.all())}

    def perform(self, order, data):
        failed = services.record_checklist(order, self.form.answers(), by=self.request.user)
        if failed:
            messages.warning(
                self.request,
                _("%(count)d steps did not pass: open a follow-up order for each below.")
                % {"count": len(failed)},
            )


class PartsView(WorkOrderStepView):
    form_class = forms.PartForm
    success_message = _("Part issued from stock to this order.")

    def get_form_kwargs(self):
        return {"work_order": self.object}

    def perform(self, order, data):
        services.use_parts(
            order, data["storeroom"], {data["item"]: data["quantity"]}, by=self.request.user
        )


class ReturnPartView(ObjectActionView):
    """Unused parts back to the storeroom, from the order's page."""

    model = WorkOrderPart
    permission_required = WORK_ON
    form_class = forms.ReturnPartForm
    success_message = _("Returned to stock.")

    def perform(self, part, data):
        services.return_part(part, data["quantity"], by=self.request.user)

    def get_success_url(self):
        return self.object.work_order.get_absolute_url()


class PhotoView(WorkOrderStepView):
    form_class = forms.PhotoForm
    success_message = _("Photo added.")

    def perform(self, order, data):
        services.add_photo(
            order,
            stage=data["stage"],
            image=data["image"],
            caption=data["caption"],
            by=self.request.user,
        )


class FollowUpView(ObjectActionView):
    """A failed checklist step opens its repair order in one step."""

    model = ChecklistResult
    permission_required = WORK_ON
    form_class = forms.FollowUpForm
    success_message = _("Follow-up repair order opened.")

    def perform(self, result, data):
        self.follow_up = services.open_follow_up(
            result, by=self.request.user, priority=data["priority"]
        )

    def get_success_url(self):
        follow_up = getattr(self, "follow_up", None)
        if follow_up is not None:
            return follow_up.get_absolute_url()
        return self.object.work_order.get_absolute_url()


class WorkOrderPhotoFileView(ObjectFileView):
    model = WorkOrderPhoto
    permission_required = "facilities.view_workorder"
    file_field = "image"


class CheckPhotoFileView(ObjectFileView):
    model = ChecklistResult
    permission_required = "facilities.view_workorder"
    file_field = "photo"


# --- downtime -------------------------------------------------------------------------------


class DowntimeListView(ObjectListView):
    model = Downtime
    queryset = Downtime.objects.select_related("equipment", "work_order")
    filterset_class = filters.DowntimeFilter
    table_class = DowntimeTable


class DowntimeDetailView(ObjectDetailView):
    model = Downtime
    template_name = "facilities/downtime_detail.html"
    detail_fields = ("equipment", "reason", "started_at", "ended_at", "work_order", "note")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            can_end=self.object.ended_at is None
            and self.request.user.has_perm("facilities.change_downtime"),
            end_form=forms.EndDowntimeForm(),
            duration=self.object.duration(),
        )
        return context


class StartDowntimeView(ObjectActionView):
    """The equipment stops (from its page): its status follows the reason."""

    model = Equipment
    permission_required = "facilities.add_downtime"
    form_class = forms.StartDowntimeForm
    success_message = _("Downtime recorded; the equipment's status is updated.")

    def perform(self, equipment, data):
        services.start_downtime(
            equipment,
            reason=data["reason"],
            started_at=data["started_at"],
            note=data["note"],
            by=self.request.user,
        )


class EndDowntimeView(ObjectActionView):
    model = Downtime
    permission_required = "facilities.change_downtime"
    form_class = forms.EndDowntimeForm
    success_message = _("Back in service.")

    def perform(self, downtime, data):
        services.end_downtime(downtime, ended_at=data["ended_at"], by=self.request.user)
