"""Cleaning tasks: the list, a task's page with its one big "done" button."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.views import ObjectActionView, ObjectDetailView, ObjectListView

from .. import filters, services
from ..models import CleaningTask, TaskStatus
from ..tables import CleaningTaskTable


class CleaningTaskListView(ObjectListView):
    model = CleaningTask
    queryset = CleaningTask.objects.select_related("area__property", "assignee")
    filterset_class = filters.CleaningTaskFilter
    table_class = CleaningTaskTable


class CleaningTaskDetailView(ObjectDetailView):
    model = CleaningTask
    template_name = "cleaning/cleaningtask_detail.html"
    detail_fields = (
        "area",
        "standard",
        "due_on",
        "window_start",
        "window_end",
        "assignee",
        "status",
        "completed_at",
        "completed_by",
    )
    related = ("area__location",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task, now = self.object, timezone.now()
        context.update(
            missed=task.is_missed(now),
            can_tick=task.status == TaskStatus.OPEN
            and task.window_start <= now <= task.window_end
            and self.user_can("change")
            and services.may_tick(task, self.request.user),
        )
        return context


class CompleteTaskView(ObjectActionView):
    model = CleaningTask
    success_message = _("Task done.")

    def perform(self, task, data):
        services.complete_task(task, by=self.request.user)
