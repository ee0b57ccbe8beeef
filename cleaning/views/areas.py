"""Cleaning areas (with their KPIs and 12-month trends) and standards."""

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectWithLinesEditView,
)

from .. import filters, forms, services
from ..models import CleaningArea, CleaningStandard, CleaningTask, ConsumableIssue
from ..tables import CleaningAreaTable, CleaningInspectionTable, CleaningStandardTable

TREND_MONTHS = 12


def trend_start(today=None):
    today = today or timezone.localdate()
    return today.replace(day=1) - relativedelta(months=TREND_MONTHS - 1)


def trends(tasks, inspections, today=None):
    """Month by month over the last 12: completion and pass rate (two grouped queries)."""
    start = trend_start(today)
    done = {
        row["key"]: row for row in services.completion_by(tasks.filter(due_on__gte=start), "month")
    }
    passed = {
        _month(row["key"]): row
        for row in services.pass_rate_by(inspections.filter(inspected_at__date__gte=start), "month")
    }
    rows = []
    for k in range(TREND_MONTHS):
        month = start + relativedelta(months=k)
        rows.append(
            {
                "month": month,
                "completion": done.get(month, {}).get("rate"),
                "missed": done.get(month, {}).get("missed", 0),
                "pass_rate": passed.get(month, {}).get("rate"),
                "inspections": passed.get(month, {}).get("done", 0),
            }
        )
    return rows


def _month(value):
    """TruncMonth of a date-time gives a date-time; of a date, a date."""
    if hasattr(value, "date") and callable(value.date):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


class CleaningAreaListView(ObjectListView):
    model = CleaningArea
    queryset = CleaningArea.objects.select_related("property", "location", "cleaner", "team")
    filterset_class = filters.CleaningAreaFilter
    table_class = CleaningAreaTable


class CleaningAreaDetailView(ObjectDetailView):
    model = CleaningArea
    template_name = "cleaning/cleaningarea_detail.html"
    detail_fields = (
        "property",
        "location",
        "kind",
        "size_m2",
        "cleaner",
        "team",
        "running_score",
        "active",
        "note",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = self.object
        today = timezone.localdate()
        month_start = today.replace(day=1)
        tasks = CleaningTask.objects.filter(area=area)
        inspections = area.inspections.all()
        context.update(
            trend=trends(tasks, inspections, today),
            month_completion=services.completion(tasks.filter(due_on__gte=month_start)),
            month_pass=services.pass_rate(inspections.filter(inspected_at__date__gte=month_start)),
            inspections=CleaningInspectionTable(
                inspections.select_related("area__property", "inspector")[:10], orderable=False
            ),
            can_inspect=self.request.user.has_perm("cleaning.add_cleaninginspection"),
            can_issue=self.request.user.has_perm("cleaning.add_consumableissue"),
            standard=services.standard_for(area),
            consumables=self.consumables(area, month_start),
        )
        return context

    @staticmethod
    def consumables(area, month_start):
        """This month's consumables of the area: its own issues and its m²-share of its
        team's, per m²."""
        team = Q(team=area.team_id) if area.team_id else Q(pk__in=[])
        issues = ConsumableIssue.objects.filter(
            Q(area=area) | (Q(area__isnull=True) & team), issued_at__date__gte=month_start
        )
        areas = CleaningArea.objects.filter(Q(pk=area.pk) | team)
        rows = services.consumables_cost_by_area(issues, areas)
        return next((row for row in rows if row["pk"] == area.pk), None)


class CleaningAreaEditView(ObjectEditView):
    model = CleaningArea
    form_class = forms.CleaningAreaForm


class CleaningAreaDeleteView(ObjectDeleteView):
    model = CleaningArea


class CleaningStandardListView(ObjectListView):
    model = CleaningStandard
    queryset = CleaningStandard.objects.select_related("property")
    filterset_class = filters.CleaningStandardFilter
    table_class = CleaningStandardTable


class CleaningStandardDetailView(ObjectDetailView):
    model = CleaningStandard
    template_name = "cleaning/cleaningstandard_detail.html"
    detail_fields = (
        "property",
        "kind",
        "times",
        "window_hours",
        "starts_on",
        "next_due",
        "pass_mark",
        "active",
        "sop",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["schedule"] = self.object.describe_schedule()
        context["items"] = list(self.object.items.all())
        context["total_weight"] = sum(item.weight or 0 for item in context["items"])
        return context


class CleaningStandardEditView(ObjectWithLinesEditView):
    model = CleaningStandard
    form_class = forms.CleaningStandardForm
    formset_class = forms.StandardItemFormSet
    lines_title = _("Inspection items (points add up to 100)")


class CleaningStandardDeleteView(ObjectDeleteView):
    model = CleaningStandard
