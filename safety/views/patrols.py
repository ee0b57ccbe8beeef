"""Patrol pages: routes with their checkpoints, schedules, rounds (with their analysis), the
scan page a checkpoint's QR code opens, the typed-code form, the JSON scan endpoint (for the
phone's offline queue) and the printable QR sheet of a route."""

import json
import uuid
from decimal import Decimal, InvalidOperation

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.dates import EARLIEST, LATEST
from core.emails import absolute_url
from core.scoping import scope_queryset
from core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
)
from core.views.mixins import ObjectMixin, PermissionMixin, query_id

from .. import filters_patrols as filters
from .. import forms_patrols as forms
from .. import tables_patrols as tables
from ..models import Checkpoint, PatrolRound, PatrolRoute, PatrolSchedule, Scan
from ..services.patrols import (
    acknowledge_round,
    find_checkpoint,
    record_scan,
    started_late,
    summarise_round,
)

RECENT = 10
QR_PER_SHEET = 200


def scan_url(checkpoint):
    return reverse("safety:patrol_scan", args=[checkpoint.token])


def qr_svg(checkpoint, scale=3):
    """The QR code of the checkpoint's scan page, on SITE_URL (a label outlives the session
    that printed it)."""
    return segno.make(absolute_url(scan_url(checkpoint)), error="m").svg_inline(
        scale=scale, border=2
    )


# --- routes -----------------------------------------------------------------------------------


class PatrolRouteListView(ObjectListView):
    model = PatrolRoute
    queryset = PatrolRoute.objects.select_related("property")
    filterset_class = filters.PatrolRouteFilter
    table_class = tables.PatrolRouteTable


class PatrolRouteDetailView(ObjectDetailView):
    model = PatrolRoute
    template_name = "safety/patrolroute_detail.html"
    detail_fields = ("property", "active", "note")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        route = self.object
        context.update(
            checkpoints=tables.CheckpointTable(
                route.checkpoints.select_related("route", "location"), orderable=False
            ),
            schedules=tables.PatrolScheduleTable(
                route.schedules.select_related("route"), orderable=False
            ),
            rounds=tables.PatrolRoundTable(
                route.rounds.select_related("route__property", "guard")[:RECENT], orderable=False
            ),
            can_print=self.request.user.has_perm("safety.change_checkpoint"),
        )
        return context


class PatrolRouteEditView(ObjectEditView):
    model = PatrolRoute
    form_class = forms.PatrolRouteForm


class PatrolRouteDeleteView(ObjectDeleteView):
    model = PatrolRoute


class PatrolRouteQrSheetView(ObjectMixin, TemplateView):
    """A route's checkpoints on one printable sheet, each with its QR code and short code.
    The QR codes carry the secret tokens: only who may change checkpoints prints them."""

    model = Checkpoint
    action = "change"
    template_name = "safety/patrolroute_qr.html"

    def get_context_data(self, **kwargs):
        route = get_object_or_404(
            scope_queryset(PatrolRoute.objects.select_related("property"), self.request.user),
            pk=self.kwargs["pk"],
        )
        context = super().get_context_data(**kwargs)
        checkpoints = route.checkpoints.filter(active=True).select_related("location")
        context.update(
            route=route,
            labels=[(item, qr_svg(item)) for item in checkpoints[:QR_PER_SHEET]],
            breadcrumbs=[
                (_("Safety & security"), reverse("safety:index")),
                (_("Patrol routes"), reverse("safety:patrolroute_list")),
                (str(route), route.get_absolute_url()),
                (_("QR labels"), None),
            ],
        )
        return context


# --- checkpoints ------------------------------------------------------------------------------


class CheckpointListView(ObjectListView):
    model = Checkpoint
    queryset = Checkpoint.objects.select_related("route", "location", "property")
    filterset_class = filters.CheckpointFilter
    table_class = tables.CheckpointTable


class CheckpointDetailView(ObjectDetailView):
    model = Checkpoint
    template_name = "safety/checkpoint_detail.html"
    detail_fields = (
        "route",
        "position",
        "code",
        "location",
        "latitude",
        "longitude",
        "radius_m",
        "offset_minutes",
        "active",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.user_can("change"):
            context["qr"] = qr_svg(self.object, scale=5)
        return context


class CheckpointEditView(ObjectEditView):
    model = Checkpoint
    form_class = forms.CheckpointForm

    def get_initial(self):
        initial = super().get_initial()
        route = query_id(self.request, "route")
        if route is not None:
            initial["route"] = route
            last = Checkpoint.objects.filter(route=route).order_by("-position").first()
            initial["position"] = (last.position + 1) if last else 1
        return initial


class CheckpointDeleteView(ObjectDeleteView):
    model = Checkpoint


# --- schedules --------------------------------------------------------------------------------


class PatrolScheduleListView(ObjectListView):
    model = PatrolSchedule
    queryset = PatrolSchedule.objects.select_related("route__property")
    filterset_class = filters.PatrolScheduleFilter
    table_class = tables.PatrolScheduleTable


class PatrolScheduleDetailView(ObjectDetailView):
    model = PatrolSchedule
    detail_fields = (
        "route",
        "times",
        "first_round",
        "every_hours",
        "window_minutes",
        "starts_on",
        "next_due",
        "active",
    )


class PatrolScheduleEditView(ObjectEditView):
    model = PatrolSchedule
    form_class = forms.PatrolScheduleForm

    def get_initial(self):
        initial = super().get_initial()
        route = query_id(self.request, "route")
        if route is not None:
            initial["route"] = route
        return initial


class PatrolScheduleDeleteView(ObjectDeleteView):
    model = PatrolSchedule


# --- rounds -----------------------------------------------------------------------------------


class PatrolRoundListView(ObjectListView):
    model = PatrolRound
    queryset = PatrolRound.objects.select_related("route__property", "guard")
    filterset_class = filters.PatrolRoundFilter
    table_class = tables.PatrolRoundTable


class PatrolRoundDetailView(ObjectDetailView):
    model = PatrolRound
    template_name = "safety/patrolround_detail.html"
    detail_fields = (
        "route",
        "schedule",
        "status",
        "guard",
        "window_start",
        "window_end",
        "started_at",
        "finished_at",
        "acknowledged_by",
        "acknowledged_at",
        "acknowledgement",
    )
    related = ("route__property",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_ = self.object
        user = self.request.user
        context.update(
            summary=summarise_round(round_),
            code_form=forms.TypedCodeForm() if user.has_perm("safety.add_scan") else None,
            can_acknowledge=(
                user.has_perm("safety.change_patrolround")
                and round_.acknowledged_at is None
                and started_late(round_)
            ),
            acknowledge_form=forms.AcknowledgeForm(),
        )
        return context


class PatrolRoundAcknowledgeView(ObjectActionView):
    """The supervisor's note on a round not started on time."""

    model = PatrolRound
    form_class = forms.AcknowledgeForm
    success_message = _("Acknowledged.")

    def perform(self, obj, data):
        acknowledge_round(obj, by=self.request.user, comment=data["comment"])


class TypedCodeView(ObjectMixin, View):
    """The round page's "type the code": the short code on the label, for this round's route."""

    model = PatrolRound
    http_method_names = ["post"]

    def get_permission_required(self):
        return ("safety.add_scan",)

    def post(self, request, pk):
        rounds = scope_queryset(PatrolRound.objects.select_related("route"), request.user)
        round_ = get_object_or_404(rounds, pk=pk)
        form = forms.TypedCodeForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(round_.get_absolute_url())
        try:
            result = record_scan(
                form.cleaned_data["code"],
                request.user,
                route=round_.route,
                typed=True,
                **form.scan_kwargs(),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            announce(request, result)
        return HttpResponseRedirect(round_.get_absolute_url())


def announce(request, result):
    scan = result.scan
    if not result.created:
        messages.info(request, _("This checkpoint was already scanned in this round."))
    elif scan.far_from_checkpoint:
        messages.warning(
            request,
            _("Scanned %(checkpoint)s, but %(distance)s m from it.")
            % {"checkpoint": scan.checkpoint.name, "distance": scan.distance_m},
        )
    else:
        messages.success(
            request, _("Scanned %(checkpoint)s.") % {"checkpoint": scan.checkpoint.name}
        )


# --- the scan page ----------------------------------------------------------------------------


class ScanPageView(PermissionMixin, FormView):
    """What a checkpoint's QR code opens: the checkpoint, and a form to record the scan (the
    page's script adds the phone's position and time). An unknown or another property's
    token is a 404."""

    permission_required = "safety.add_scan"
    template_name = "safety/scan_form.html"
    form_class = forms.ScanForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            try:
                self.checkpoint = find_checkpoint(kwargs["token"], request.user)
            except ValidationError:
                self.checkpoint = None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.checkpoint is None or len(kwargs["token"]) <= 12:
            raise Http404
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.checkpoint is None or len(kwargs["token"]) <= 12:
            raise Http404
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            result = record_scan(self.kwargs["token"], self.request.user, **form.scan_kwargs())
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        announce(self.request, result)
        return HttpResponseRedirect(result.scan.round.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            checkpoint=self.checkpoint,
            breadcrumbs=[(_("Safety & security"), reverse("safety:index")), (_("Scan"), None)],
        )
        return context


def _decimal(value, low, high):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
        if not number.is_finite() or not low <= number <= high:
            raise ValueError
        return number.quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValueError from None


class ScanApiView(PermissionMixin, View):
    """POST JSON ``{"code" | "token", "client_id", "device_time", "latitude", "longitude",
    "accuracy", "note", "anomaly"}`` → the scan. Sending the same ``client_id`` again answers
    the same scan (``"duplicate": true``) and records nothing."""

    permission_required = "safety.add_scan"
    http_method_names = ["post"]

    def post(self, request):
        def refuse(message, status=400):
            return JsonResponse({"ok": False, "error": str(message)}, status=status)

        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return refuse(gettext_now("The request is not valid JSON."))
        if not isinstance(data, dict):
            return refuse(gettext_now("The request is not valid JSON."))
        code = data.get("token") or data.get("code")
        if not isinstance(code, str):
            return refuse(gettext_now("No checkpoint of yours has this code."))
        try:
            client_id = uuid.UUID(str(data["client_id"])) if data.get("client_id") else None
        except (ValueError, TypeError, AttributeError):
            return refuse(gettext_now("The client id is not valid."))
        device_time = None
        if data.get("device_time"):
            try:
                device_time = parse_datetime(str(data["device_time"]))
            except ValueError:
                device_time = None
            if device_time is None:
                return refuse(gettext_now("The time on the phone is not valid."))
            if timezone.is_naive(device_time):
                device_time = timezone.make_aware(device_time)
            if not EARLIEST.year <= device_time.year <= LATEST.year:
                return refuse(gettext_now("The time on the phone is not valid."))
        try:
            latitude = _decimal(data.get("latitude"), -90, 90)
            longitude = _decimal(data.get("longitude"), -180, 180)
            accuracy = data.get("accuracy")
            accuracy = None if accuracy in (None, "") else int(accuracy)
            if accuracy is not None and not 0 <= accuracy <= 100_000:
                raise ValueError
        except (ValueError, TypeError, OverflowError):
            return refuse(gettext_now("The position is not valid."))
        note = data.get("note") or ""
        # A NUL byte, which PostgreSQL refuses in text, is refused here (the forms' fields
        # refuse it too); the length is the model's (full_clean checks it).
        if not isinstance(note, str) or "\x00" in note:
            return refuse(gettext_now("The note is not valid."))
        try:
            result = record_scan(
                code,
                request.user,
                device_time=device_time,
                latitude=latitude,
                longitude=longitude,
                accuracy=accuracy,
                note=note,
                anomaly=bool(data.get("anomaly")),
                client_id=client_id,
                typed=bool(data.get("typed")),
            )
        except ValidationError as exc:
            return refuse(" ".join(exc.messages), status=422)
        scan = result.scan
        return JsonResponse(
            {
                "ok": True,
                "duplicate": not result.created,
                "scan": scan.pk,
                "client_id": str(scan.client_id),
                "checkpoint": scan.checkpoint.name,
                "round": scan.round_id,
                "round_status": scan.round.status,
                "far_from_checkpoint": scan.far_from_checkpoint,
                "scanned_at": scan.scanned_at.isoformat(),
            },
            status=201 if result.created else 200,
        )


# --- scans ------------------------------------------------------------------------------------


class ScanListView(ObjectListView):
    model = Scan
    queryset = Scan.objects.select_related("checkpoint", "round__route", "scanned_by")
    filterset_class = filters.ScanFilter
    table_class = tables.ScanTable


class ScanDetailView(ObjectDetailView):
    model = Scan
    detail_fields = (
        "round",
        "checkpoint",
        "scanned_by",
        "scanned_at",
        "device_time",
        "latitude",
        "longitude",
        "accuracy_m",
        "distance_m",
        "far_from_checkpoint",
        "typed",
        "anomaly",
        "note",
    )
    related = ("round__route",)
    template_name = "safety/scan_detail.html"


class ScanPhotoView(ObjectFileView):
    model = Scan
    file_field = "photo"
