"""Stock counts: open, count (on a phone), submit, approve."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from core.views import ObjectActionView, ObjectDetailView, ObjectFormView, ObjectListView
from core.views.generic import add_errors
from core.views.mixins import PermissionMixin

from .. import filters, forms, services, tables
from ..models import STOCK_COUNT, CountStatus, StockCount
from ..services.counting import CountLinesError, approval_value


class StockCountListView(ObjectListView):
    model = StockCount
    queryset = StockCount.objects.select_related("storeroom")
    filterset_class = filters.StockCountFilter
    table_class = tables.StockCountTable


class StockCountDetailView(ObjectDetailView):
    model = StockCount
    template_name = "procurement/stockcount_detail.html"
    detail_fields = (
        "storeroom",
        "scheduled_for",
        "status",
        "blind",
        "snapshot_at",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "posted_at",
        "variance_value",
        "variance_abs_value",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        count, user = self.object, self.request.user
        lines = list(count.lines.select_related("item"))
        context.update(
            lines=lines,
            hide_book=count.blind and count.status == CountStatus.OPEN,
            counted=sum(1 for line in lines if line.counted is not None),
            limit=approval_value(),
            can_count=count.status == CountStatus.OPEN
            and user.has_perm("procurement.change_stockcount"),
            can_approve=STOCK_COUNT.allowed(count, "approve", user),
        )
        return context


class OpenCountView(PermissionMixin, FormView):
    """Start a count now (besides the scheduled ones the daily task opens)."""

    permission_required = "procurement.add_stockcount"
    form_class = forms.OpenCountForm
    template_name = "generic/simple_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            count = services.open_count(form.cleaned_data["storeroom"], by=self.request.user)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Count sheet opened with a snapshot of the book."))
        return HttpResponseRedirect(reverse("procurement:stockcount_enter", args=[count.pk]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Start a stock count")
        context["submit_label"] = _("Open the count sheet")
        context["cancel_url"] = reverse("procurement:stockcount_list")
        context["breadcrumbs"] = [
            (_("Stock counts"), reverse("procurement:stockcount_list")),
            (_("Start a stock count"), None),
        ]
        return context


class CountEntryView(ObjectFormView):
    """The count sheet: what was found, line by line. "Save" keeps the work; "Submit"
    also closes the counting and computes the variances."""

    model = StockCount
    action = "change"
    form_class = forms.CountEntryForm
    template_name = "procurement/count_entry.html"

    def get_queryset(self):
        return super().get_queryset().filter(status=CountStatus.OPEN).select_related("storeroom")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "lines": list(self.object.lines.select_related("item")),
        }

    def form_valid(self, form):
        try:
            services.record_counts(self.object, form.entries(), by=self.request.user)
            if "submit" in self.request.POST:
                count = services.submit_count(self.object, by=self.request.user)
                if count.status == CountStatus.POSTED:
                    messages.success(self.request, _("Count posted: variances are in the ledger."))
                else:
                    messages.warning(
                        self.request,
                        _("Variances above the limit: the count waits for the director."),
                    )
                return HttpResponseRedirect(count.get_absolute_url())
        except CountLinesError as exc:
            form.add_error(None, exc.messages)
            form.mark_lines(exc.field, exc.lines)
            return self.form_invalid(form)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Counts saved."))
        return HttpResponseRedirect(reverse("procurement:stockcount_enter", args=[self.object.pk]))


class ApproveCountView(ObjectActionView):
    model = StockCount
    permission_required = "procurement.approve_stockcount"
    success_message = _("Variances approved and posted.")

    def perform(self, count, data):
        services.approve_count(count, by=self.request.user)


class CancelCountView(ObjectActionView):
    model = StockCount
    success_message = _("Count cancelled.")

    def perform(self, count, data):
        services.cancel_count(count, by=self.request.user)
