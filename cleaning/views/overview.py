"""The cleaning area's page: its figures this month and the 12-month trends of completion
and pass rate, by area and by team (grouped SQL)."""

from django.utils import timezone

from core.scoping import scope_queryset
from core.views import AreaView

from .. import services
from ..models import CleaningArea, CleaningInspection, CleaningTask, ConsumableIssue, Rectification
from ..services.consumables import CENT
from .areas import trends

WORST_AREAS = 15


class CleaningIndexView(AreaView):
    template_name = "cleaning/index.html"
    area = "cleaning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not user.has_perm("cleaning.view_cleaninginspection"):
            return context

        today = timezone.localdate()
        month_start = today.replace(day=1)
        tasks = scope_queryset(CleaningTask.objects.all(), user)
        inspections = scope_queryset(CleaningInspection.objects.all(), user)
        month_tasks = tasks.filter(due_on__gte=month_start, due_on__lte=today)
        month_inspections = inspections.filter(inspected_at__date__gte=month_start)
        by_area = services.pass_rate_by(month_inspections, "area")
        by_area.sort(key=lambda row: (row["rate"] is None, row["rate"] or 0))
        trend = trends(tasks, inspections, today)
        if user.has_perm("cleaning.view_consumableissue"):
            self.add_consumables(context, trend, month_start)
        context.update(
            figures=True,
            trend=trend,
            completion=services.completion(month_tasks),
            pass_rate=services.pass_rate(month_inspections),
            on_time=services.closed_on_time(
                scope_queryset(Rectification.objects.all(), user).filter(
                    closed_at__date__gte=month_start
                )
            ),
            completion_by_team=services.completion_by(month_tasks, "team"),
            pass_by_team=services.pass_rate_by(month_inspections, "team"),
            worst_areas=by_area[:WORST_AREAS],
        )
        return context

    def add_consumables(self, context, trend, month_start):
        """This month's consumables cost per m² (overall and the costliest areas) and, in the
        trend, each month's cost over today's cleaned area."""
        user = self.request.user
        issues = scope_queryset(ConsumableIssue.objects.all(), user)
        areas = scope_queryset(CleaningArea.objects.all(), user)
        month_issues = issues.filter(issued_at__date__gte=month_start)
        figures = services.consumables_cost(month_issues, areas)
        by_month = services.consumables_cost_by_month(issues, trend[0]["month"])
        for row in trend:
            cost = by_month.get(row["month"])
            row["consumables_per_m2"] = (
                (cost / figures["size_m2"]).quantize(CENT) if cost and figures["size_m2"] else None
            )
        by_area = services.consumables_cost_by_area(month_issues, areas)
        context.update(
            consumables=figures,
            show_consumables=True,
            costliest_areas=[row for row in by_area if row["cost"]][:WORST_AREAS],
        )
