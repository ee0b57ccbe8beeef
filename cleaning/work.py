"""What cleaning puts on My work: today's tasks for the cleaner (a "done" button on each),
rectifications for the person responsible, and areas still to inspect this month for the
supervisor. One query per source (``core.work``)."""

from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.registry import WorkAction, WorkItem
from core.scoping import scope_queryset
from core.work import WorkSource

from .models import CleaningArea, CleaningInspection, CleaningTask, Rectification, TaskStatus

AREA = "cleaning"


def _tasks(user, day):
    if not user.has_perm("cleaning.change_cleaningtask"):
        return None
    return scope_queryset(
        CleaningTask.objects.for_user(user)
        .filter(due_on=day, status=TaskStatus.OPEN, window_end__gte=timezone.now())
        .select_related("area__property")
        .order_by("window_start", "pk"),
        user,
    )


def _task_item(task, user):
    done = WorkAction(
        _("Done"), reverse("cleaning:cleaningtask_done", args=[task.pk]), "btn-success", "check2"
    )
    start, end = timezone.localtime(task.window_start), timezone.localtime(task.window_end)
    return WorkItem(
        area=AREA,
        kind=_("Cleaning task"),
        title=task.area.name,
        url=task.get_absolute_url(),
        due=task.window_end,
        detail=f"{start:%H:%M}–{end:%H:%M}",
        property_code=task.area.property.code,
        group="tasks",
        group_label=_("Cleaning tasks"),
        actions=(done,),
    )


def _rectifications(user, day):
    if not user.has_perm("cleaning.rectify_rectification"):
        return None
    return scope_queryset(
        Rectification.objects.for_user(user)
        .filter(status="open")
        .select_related("area__property")
        .order_by("deadline", "pk"),
        user,
    )


def _rectification_item(rectification, user):
    return WorkItem(
        area=AREA,
        kind=_("Rectification"),
        title=f"{rectification.number} · {rectification.area.name}",
        url=rectification.get_absolute_url(),
        due=rectification.deadline,
        severity="danger" if rectification.escalations else "warning",
        detail=rectification.get_status_display(),
        property_code=rectification.area.property.code,
        group="rectifications",
        group_label=_("Rectifications"),
    )


def _to_inspect(user, day):
    """Areas with no inspection yet this month (for whoever inspects)."""
    if not user.has_perm("cleaning.add_cleaninginspection"):
        return None
    month_start = timezone.make_aware(datetime.combine(day.replace(day=1), time.min))
    inspected = CleaningInspection.objects.filter(
        area=OuterRef("pk"), inspected_at__gte=month_start
    )
    return scope_queryset(
        CleaningArea.objects.filter(active=True)
        .exclude(Exists(inspected))
        .select_related("property")
        .order_by("property_id", "name"),
        user,
    )


def _to_inspect_item(area, user):
    month_start = timezone.localdate().replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return WorkItem(
        area=AREA,
        kind=_("Area to inspect this month"),
        title=area.name,
        url=area.get_absolute_url(),
        due=month_end,
        detail=area.get_kind_display(),
        property_code=area.property.code,
        group="inspections",
        group_label=_("Inspections due"),
    )


todays_tasks = WorkSource(_tasks, _task_item, list_url="cleaning:cleaningtask_list")
rectifications = WorkSource(
    _rectifications, _rectification_item, list_url="cleaning:rectification_list"
)
areas_to_inspect = WorkSource(
    _to_inspect, _to_inspect_item, limit=20, list_url="cleaning:cleaningarea_list"
)
