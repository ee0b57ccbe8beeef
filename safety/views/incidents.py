"""Incidents (安全事件): the register, the response steps as POST buttons, the review, and
the corrective actions of each incident."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
)
from core.workflow import allowed

from .. import filters_hazards as filters
from .. import forms_hazards as forms
from .. import services
from ..models import CorrectiveAction, Incident, IncidentStatus
from ..tables_hazards import CorrectiveActionTable, IncidentTable


class IncidentListView(ObjectListView):
    model = Incident
    queryset = Incident.objects.select_related("property", "location")
    filterset_class = filters.IncidentFilter
    table_class = IncidentTable


class IncidentDetailView(ObjectDetailView):
    model = Incident
    template_name = "safety/incident_detail.html"
    detail_fields = (
        "property",
        "kind",
        "severity",
        "occurred_at",
        "location",
        "description",
        "people_involved",
        "reported_at",
        "responded_at",
        "on_scene_at",
        "resolved_at",
        "actions_taken",
        "losses",
        "report_number",
        "status",
        "root_cause",
        "reviewed_by",
        "reviewed_at",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        actions = list(self.object.actions.select_related("owner").order_by("due_on", "pk"))
        context.update(
            actions=actions,
            can_add_action=user.has_perm("safety.add_correctiveaction"),
            can_arrive=context.get("transitions", {}).get("on_scene")
            and self.object.on_scene_at is None,
        )
        return context


class IncidentEditView(ObjectEditView):
    model = Incident
    form_class = forms.IncidentForm

    def save_form(self, form):
        if form.instance.pk and form.instance.status == IncidentStatus.REVIEWED:
            raise ValidationError(_("This incident is reviewed and cannot be changed."))
        return services.report_incident(form.instance, by=self.request.user)


class IncidentDeleteView(ObjectDeleteView):
    model = Incident


class IncidentPhotoView(ObjectFileView):
    model = Incident
    file_field = "photo"


class RespondView(ObjectActionView):
    model = Incident
    form_class = forms.MomentForm
    success_message = _("Response recorded.")

    def perform(self, incident, data):
        services.respond(incident, by=self.request.user, at=data.get("at"), note=data.get("note"))


class OnSceneView(ObjectActionView):
    model = Incident
    form_class = forms.MomentForm
    success_message = _("Arrival on scene recorded.")

    def perform(self, incident, data):
        services.arrive(incident, by=self.request.user, at=data.get("at"), note=data.get("note"))


class ResolveView(ObjectActionView):
    model = Incident
    form_class = forms.ResolveForm
    success_message = _("Incident resolved.")

    def perform(self, incident, data):
        services.resolve(
            incident, by=self.request.user, at=data.get("at"), actions_taken=data.get("note")
        )


class ReviewView(ObjectActionView):
    model = Incident
    form_class = forms.ReviewForm
    success_message = _("Incident reviewed.")

    def perform(self, incident, data):
        services.review(incident, by=self.request.user, root_cause=data["root_cause"])


# --- corrective actions ---------------------------------------------------------------------


class CorrectiveActionListView(ObjectListView):
    model = CorrectiveAction
    queryset = CorrectiveAction.objects.select_related("incident__property", "owner")
    filterset_class = filters.CorrectiveActionFilter
    table_class = CorrectiveActionTable


class CorrectiveActionDetailView(ObjectDetailView):
    model = CorrectiveAction
    template_name = "safety/correctiveaction_detail.html"
    detail_fields = (
        "incident",
        "description",
        "owner",
        "due_on",
        "status",
        "done_at",
        "done_note",
        "verified_by",
        "verified_at",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        action, user = self.object, self.request.user
        context["is_owner"] = action.owner.user_id is not None and action.owner.user_id == user.pk
        context["can_verify"] = allowed(action, "verify", user) and not context["is_owner"]
        return context


class CorrectiveActionEditView(ObjectEditView):
    model = CorrectiveAction
    form_class = forms.CorrectiveActionForm
    parent_field = "incident"

    def get_initial(self):
        initial = super().get_initial()
        if "incident" in self.request.GET:
            initial["incident"] = self.request.GET["incident"]
        return initial

    def save_form(self, form):
        return services.save_action(form.instance, by=self.request.user)


class CorrectiveActionDeleteView(ObjectDeleteView):
    model = CorrectiveAction
    parent_field = "incident"


class ActionDoneView(ObjectActionView):
    model = CorrectiveAction
    form_class = forms.ActionDoneForm
    success_message = _("Marked done: waiting for verification.")

    def perform(self, action, data):
        services.mark_action_done(action, by=self.request.user, note=data.get("note"))


class ActionVerifyView(ObjectActionView):
    model = CorrectiveAction
    form_class = forms.VerifyForm
    success_message = _("Corrective action verified.")

    def perform(self, action, data):
        services.verify_action(action, by=self.request.user, passed=True, note=data.get("note"))


class ActionReopenView(ObjectActionView):
    model = CorrectiveAction
    form_class = forms.RejectForm
    success_message = _("Sent back to its owner.")

    def perform(self, action, data):
        services.verify_action(action, by=self.request.user, passed=False, note=data["note"])
