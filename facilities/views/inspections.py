"""Inspection routes, their points, and the rounds walked on a phone."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.checklists import AnswersForm
from core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
    ObjectWithLinesEditView,
)
from core.views.mixins import query_id

from .. import filters, forms, services
from ..models import InspectionPoint, InspectionRound, InspectionRoute, Reading, RoundStatus
from ..services.inspections import generate_route_rounds
from ..tables import InspectionRoundTable, InspectionRouteTable

RATE_DAYS = 30
REPORT_FAULT = "facilities.report_fault"


def with_completion(routes):
    """Routes annotated with rounds due and done over the last 30 days (in the same query)."""
    today = timezone.localdate()
    return routes.with_completion(today - timedelta(days=RATE_DAYS), today)


class InspectionRouteListView(ObjectListView):
    model = InspectionRoute
    filterset_class = filters.InspectionRouteFilter
    table_class = InspectionRouteTable

    def get_queryset(self):
        return with_completion(
            super().get_queryset().select_related("property", "assignee")
        ).with_point_count()


class InspectionRouteDetailView(ObjectDetailView):
    model = InspectionRoute
    template_name = "facilities/inspectionroute_detail.html"
    detail_fields = ("property", "starts_on", "next_due", "assignee", "active", "note")

    def get_queryset(self):
        return with_completion(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        route = self.object
        context.update(
            schedule=route.describe_schedule(),
            points=list(
                route.points.select_related("equipment", "location").prefetch_related("checks")
            ),
            rounds=InspectionRoundTable(
                route.rounds.select_related("route__property", "assignee", "completed_by")[:10],
                orderable=False,
            ),
            rate_days=RATE_DAYS,
            can_open=self.user_can("change")
            and route.active
            and route.next_due <= timezone.localdate(),
            can_add_point=self.request.user.has_perm("facilities.add_inspectionpoint"),
        )
        return context


class InspectionRouteEditView(ObjectEditView):
    model = InspectionRoute
    form_class = forms.InspectionRouteForm


class InspectionRouteDeleteView(ObjectDeleteView):
    model = InspectionRoute


class OpenDueRoundsView(ObjectActionView):
    """Open the route's rounds due today now, without waiting for the morning's run."""

    model = InspectionRoute
    success_message = _("Rounds opened.")

    def perform(self, route, data):
        if not generate_route_rounds(route, timezone.localdate()):
            raise ValidationError(_("No round is due."))


class InspectionPointListView(ObjectListView):
    model = InspectionPoint
    queryset = InspectionPoint.objects.select_related("route__property", "equipment", "location")
    filterset_class = filters.InspectionPointFilter
    columns = ("name", "route", "position", "equipment", "location")


class InspectionPointDetailView(ObjectDetailView):
    model = InspectionPoint
    template_name = "facilities/inspectionpoint_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = list(self.object.checks.all())
        return context


class InspectionPointEditView(ObjectWithLinesEditView):
    model = InspectionPoint
    form_class = forms.InspectionPointForm
    formset_class = forms.InspectionCheckFormSet
    lines_title = _("Readings to take")
    parent_field = "route"

    def get_initial(self):
        initial = super().get_initial()
        route = query_id(self.request, "route")
        if route is not None:
            initial["route"] = route
        return initial


class InspectionPointDeleteView(ObjectDeleteView):
    model = InspectionPoint
    parent_field = "route"


class InspectionRoundListView(ObjectListView):
    model = InspectionRound
    queryset = InspectionRound.objects.select_related(
        "route__property", "assignee", "completed_by"
    ).annotate(out_of_range=Count("readings", filter=Q(readings__passed=False)))
    filterset_class = filters.InspectionRoundFilter
    table_class = InspectionRoundTable


class InspectionRoundDetailView(ObjectDetailView):
    """The round on a phone: each point with its readings, filled in and saved as you go."""

    model = InspectionRound
    template_name = "facilities/inspectionround_detail.html"
    detail_fields = (
        "route",
        "due_on",
        "status",
        "assignee",
        "started_at",
        "completed_at",
        "completed_by",
        "note",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_, user = self.object, self.request.user
        readings = list(
            round_.readings.select_related("point__equipment", "point__location", "follow_up")
        )
        can_record = self.user_can("change") and round_.status == RoundStatus.OPEN
        form = AnswersForm(results=readings) if can_record else None
        context.update(
            rows=[(r, form[r.field_name] if form else None) for r in readings],
            can_record=can_record,
            can_follow_up=user.has_perm(REPORT_FAULT),
            note_form=forms.RoundNoteForm(),
            missed=round_.status == RoundStatus.OPEN and round_.due_on < timezone.localdate(),
        )
        return context


class RecordReadingsView(ObjectActionView):
    model = InspectionRound
    form_class = AnswersForm
    success_message = _("Readings saved.")

    def get_form_kwargs(self):
        return {"results": list(self.object.readings.all())}

    def perform(self, round_, data):
        failed = services.record_readings(round_, self.form.answers(), by=self.request.user)
        if failed:
            messages.warning(
                self.request,
                _("%(count)d readings out of range: open a work order for each below.")
                % {"count": len(failed)},
            )


class CompleteRoundView(ObjectActionView):
    model = InspectionRound
    form_class = forms.RoundNoteForm
    success_message = _("Round done.")

    def perform(self, round_, data):
        services.complete_round(round_, note=data["note"], by=self.request.user)


class ReadingWorkOrderView(ObjectActionView):
    """An out-of-range reading opens a repair order in one step."""

    model = Reading
    permission_required = REPORT_FAULT
    form_class = forms.FollowUpForm
    success_message = _("Work order opened.")

    def perform(self, reading, data):
        self.order = services.open_work_order_from_reading(
            reading, by=self.request.user, priority=data["priority"]
        )

    def get_success_url(self):
        order = getattr(self, "order", None)
        if order is not None and self.request.user.has_perm("facilities.view_workorder"):
            return order.get_absolute_url()
        return self.object.round.get_absolute_url()


class ReadingPhotoView(ObjectFileView):
    model = Reading
    permission_required = "facilities.view_inspectionround"
    file_field = "photo"
