"""Inspections, scored on a phone, and the rectifications a failed one opens."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
)
from core.views.mixins import query_id
from core.workflow import save_with_history

from .. import filters, forms, services
from ..models import (
    CleaningInspection,
    InspectionAnswer,
    InspectionStatus,
    Rectification,
    RectificationStatus,
)
from ..tables import CleaningInspectionTable, RectificationTable

REPORT_FAULT = "facilities.report_fault"


class CleaningInspectionListView(ObjectListView):
    model = CleaningInspection
    queryset = CleaningInspection.objects.select_related("area__property", "inspector")
    filterset_class = filters.CleaningInspectionFilter
    table_class = CleaningInspectionTable


class CleaningInspectionDetailView(ObjectDetailView):
    """The inspection on a phone: each item with large controls for its points, and for a
    failed one what is wrong, what it needs and a photo; then submit."""

    model = CleaningInspection
    template_name = "cleaning/cleaninginspection_detail.html"
    detail_fields = (
        "area",
        "standard",
        "inspector",
        "cleaner",
        "inspected_at",
        "status",
        "total",
        "pass_mark",
        "reinspects",
        "note",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection, user = self.object, self.request.user
        answers = list(inspection.answers.select_related("work_order"))
        can_score = self.user_can("change") and inspection.status == InspectionStatus.OPEN
        form = forms.ScoreForm(results=answers) if can_score else None
        rows = []
        for answer in answers:
            if form is None:
                rows.append((answer, None, None, None, None))
            else:
                rows.append(
                    (
                        answer,
                        form[answer.field_name],
                        form[answer.note_field],
                        form[answer.needs_field],
                        form[answer.photo_field],
                    )
                )
        rectification = Rectification.objects.filter(inspection=inspection).first()
        context.update(
            rows=rows,
            can_score=can_score,
            can_repair=user.has_perm(REPORT_FAULT),
            rectification=rectification,
            scored=sum((a.score or 0) for a in answers),
        )
        return context


class CleaningInspectionEditView(ObjectEditView):
    """Start an inspection (the service copies the standard's items), or change the time and
    note of one still being scored. ``?reinspects=<rectification>`` starts a re-inspection."""

    model = CleaningInspection
    form_class = forms.CleaningInspectionForm

    def reinspects(self):
        pk = query_id(self.request, "reinspects")
        if pk is None or "pk" in self.kwargs:
            return None
        from core.scoping import visible_records

        return (
            visible_records(Rectification.objects.select_related("area"), self.request.user)
            .exclude(status=RectificationStatus.CLOSED)
            .filter(pk=pk)
            .first()
        )

    def get_initial(self):
        initial = super().get_initial()
        rectification = self.reinspects()
        if rectification is not None:
            initial["area"] = rectification.area_id
        area = query_id(self.request, "area")
        if area is not None:
            initial.setdefault("area", area)
        return initial

    def save_form(self, form):
        data = form.cleaned_data
        if self.object is None:
            return services.start_inspection(
                area=data["area"],
                inspector=data["inspector"],
                inspected_at=data["inspected_at"],
                note=data.get("note", ""),
                reinspects=self.reinspects(),
                by=self.request.user,
            )
        return services.update_inspection(
            form.instance, by=self.request.user, fields=["inspected_at", "note"]
        )


class CleaningInspectionDeleteView(ObjectDeleteView):
    model = CleaningInspection


class ScoreInspectionView(ObjectActionView):
    model = CleaningInspection
    form_class = forms.ScoreForm
    success_message = _("Scores saved.")

    def get_form_kwargs(self):
        return {"results": list(self.object.answers.all())}

    def perform(self, inspection, data):
        failed = services.record_scores(
            inspection, self.form.answers(), self.form.details(), by=self.request.user
        )
        missing = [a for a in failed if not (a.photo and a.note)]
        if missing:
            messages.warning(
                self.request,
                _("%(count)d failed items still need a photo and a note.")
                % {"count": len(missing)},
            )
        if self.request.POST.get("then_submit"):
            # "Submit" on the scoring form: the scores are kept even when submitting is
            # refused (an item not scored, a failed item without its photo).
            try:
                with transaction.atomic():
                    submitted = services.submit_inspection(inspection, by=self.request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(self.request, message)
                return
            submitted_message(self, submitted)


def submitted_message(view, inspection):
    view.success_message = _("Inspection submitted.")
    if inspection.status == InspectionStatus.FAILED:
        view.success_message = _("The inspection failed.")
        view.success_level = messages.WARNING


class SubmitInspectionView(ObjectActionView):
    model = CleaningInspection
    success_message = _("Inspection submitted.")

    def perform(self, inspection, data):
        submitted_message(self, services.submit_inspection(inspection, by=self.request.user))


class AnswerRepairView(ObjectActionView):
    """A failed item that needs a repair opens a facilities work order in one step."""

    model = InspectionAnswer
    permission_required = REPORT_FAULT
    success_message = _("Work order opened.")

    def perform(self, answer, data):
        self.order = services.open_repair(answer, by=self.request.user)

    def get_success_url(self):
        return self.object.inspection.get_absolute_url()


class AnswerPhotoView(ObjectFileView):
    model = InspectionAnswer
    permission_required = "cleaning.view_cleaninginspection"
    file_field = "photo"


class InspectionPhotoView(ObjectFileView):
    model = CleaningInspection
    file_field = "photo"


class RectificationListView(ObjectListView):
    model = Rectification
    queryset = Rectification.objects.select_related("area__property", "responsible")
    filterset_class = filters.RectificationFilter
    table_class = RectificationTable


class RectificationDetailView(ObjectDetailView):
    model = Rectification
    template_name = "cleaning/rectification_detail.html"
    detail_fields = (
        "area",
        "inspection",
        "responsible",
        "deadline",
        "status",
        "done_at",
        "done_note",
        "closed_at",
        "escalations",
        "escalated_at",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rectification = self.object
        context.update(
            failed_items=list(
                rectification.inspection.answers.filter(passed=False).select_related("work_order")
            ),
            reinspections=list(
                rectification.reinspections.select_related("inspector").order_by("inspected_at")
            ),
            can_reinspect=self.request.user.has_perm("cleaning.add_cleaninginspection")
            and rectification.status != RectificationStatus.CLOSED,
            overdue=rectification.status != RectificationStatus.CLOSED
            and rectification.deadline < timezone.now(),
        )
        return context


class RectificationEditView(ObjectEditView):
    """The deadline and the responsible person (rectifications are opened by inspections)."""

    model = Rectification
    form_class = forms.RectificationForm

    def save_form(self, form):
        if form.instance.status == RectificationStatus.CLOSED:
            raise ValidationError(_("This rectification is closed."))
        return save_with_history(form.instance, self.request.user, ["responsible", "deadline"])


class RectificationDoneView(ObjectActionView):
    model = Rectification
    permission_required = "cleaning.rectify_rectification"
    form_class = forms.DoneForm
    success_message = _("Marked done: waiting for the re-inspection.")

    def perform(self, rectification, data):
        services.mark_done(rectification, by=self.request.user, note=data.get("note", ""))
