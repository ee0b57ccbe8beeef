"""Hazards (隐患): the register, the rectification loop as POST buttons, and the repair
work order opened in one step."""

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

from .. import filters_hazards as filters
from .. import forms_hazards as forms
from .. import services
from ..models import Hazard, HazardStatus
from ..tables_hazards import HazardTable

REPORT_FAULT = "facilities.report_fault"


class HazardListView(ObjectListView):
    model = Hazard
    queryset = Hazard.objects.select_related("property", "location", "owner")
    filterset_class = filters.HazardFilter
    table_class = HazardTable


class HazardDetailView(ObjectDetailView):
    model = Hazard
    template_name = "safety/hazard_detail.html"
    detail_fields = (
        "property",
        "source",
        "found_at",
        "location",
        "category",
        "grade",
        "level",
        "description",
        "owner",
        "deadline",
        "status",
        "rectification_note",
        "rectified_at",
        "verified_by",
        "verified_at",
        "verification_note",
        "rejections",
        "work_order",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hazard, user = self.object, self.request.user
        owner_user = hazard.owner.user_id if hazard.owner_id else None
        context.update(
            overdue=hazard.is_overdue(),
            is_owner=owner_user is not None and owner_user == user.pk,
            can_repair=user.has_perm(REPORT_FAULT)
            and hazard.status != HazardStatus.CLOSED
            and not hazard.work_order_id,
        )
        return context


class HazardEditView(ObjectEditView):
    model = Hazard
    form_class = forms.HazardForm

    def save_form(self, form):
        if form.instance.pk and form.instance.status == HazardStatus.CLOSED:
            raise ValidationError(_("This hazard is closed."))
        return services.report_hazard(form.instance, by=self.request.user)


class HazardDeleteView(ObjectDeleteView):
    model = Hazard


class HazardPhotoView(ObjectFileView):
    model = Hazard
    file_field = "photo"


class HazardAfterPhotoView(ObjectFileView):
    model = Hazard
    file_field = "after_photo"


class StartRectifyingView(ObjectActionView):
    model = Hazard
    success_message = _("Rectification started.")

    def perform(self, hazard, data):
        services.start_rectifying(hazard, by=self.request.user)


class AskVerificationView(ObjectActionView):
    model = Hazard
    form_class = forms.AskVerificationForm
    success_message = _("Rectified: waiting for verification.")

    def perform(self, hazard, data):
        services.ask_for_verification(
            hazard, by=self.request.user, note=data["note"], after_photo=data.get("after_photo")
        )


class VerifyHazardView(ObjectActionView):
    model = Hazard
    form_class = forms.VerifyForm
    success_message = _("Rectification verified: the hazard is closed.")

    def perform(self, hazard, data):
        services.verify_hazard(hazard, by=self.request.user, passed=True, note=data.get("note"))


class RejectHazardView(ObjectActionView):
    model = Hazard
    form_class = forms.RejectForm
    success_message = _("Sent back to rectifying.")

    def perform(self, hazard, data):
        services.verify_hazard(hazard, by=self.request.user, passed=False, note=data["note"])


class HazardRepairView(ObjectActionView):
    """Open a facilities repair work order for the hazard in one step."""

    model = Hazard
    permission_required = REPORT_FAULT
    success_message = _("Work order opened.")

    def perform(self, hazard, data):
        services.open_repair(hazard, by=self.request.user)
