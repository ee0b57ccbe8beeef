"""The cleaning tile: today's tasks, yesterday's missed, this month's pass rate and the open
rectifications (a few aggregate queries)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dashboard import Stat
from core.scoping import scope_queryset

from . import services
from .models import CleaningInspection, CleaningTask, Rectification, TaskStatus


def task_figures(request):
    user = request.user
    if not user.has_perm("cleaning.view_cleaningtask"):
        return []
    today, now = timezone.localdate(), timezone.now()
    figures = scope_queryset(
        CleaningTask.objects.filter(due_on__range=(today - timedelta(days=1), today)), user
    ).aggregate(
        today=Count("pk", filter=Q(due_on=today)),
        done=Count("pk", filter=Q(due_on=today, status=TaskStatus.DONE)),
        missed=Count(
            "pk",
            filter=Q(due_on=today - timedelta(days=1), status=TaskStatus.OPEN, window_end__lt=now),
        ),
    )
    url = reverse("cleaning:cleaningtask_list")
    return [
        Stat(_("Cleaning tasks today"), figures["today"], f"{url}?due_today=true"),
        Stat(_("Done today"), figures["done"], f"{url}?due_today=true&status=done"),
        Stat(
            _("Missed yesterday"),
            figures["missed"],
            f"{url}?missed_yesterday=true",
            "danger" if figures["missed"] else "",
        ),
    ]


def inspection_figures(request):
    user = request.user
    if not user.has_perm("cleaning.view_cleaninginspection"):
        return []
    month_start = timezone.localdate().replace(day=1)
    figures = services.pass_rate(
        scope_queryset(CleaningInspection.objects.filter(inspected_at__date__gte=month_start), user)
    )
    open_figures = scope_queryset(Rectification.objects.unresolved(), user).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=timezone.now()))
    )
    inspections = reverse("cleaning:cleaninginspection_list")
    rectifications = reverse("cleaning:rectification_list")
    rate = figures["rate"]
    return [
        Stat(
            _("Pass rate this month"),
            "—" if rate is None else f"{rate}%",
            f"{inspections}?this_month=true",
            "warning" if rate is not None and rate < 90 else "",
        ),
        Stat(_("Open rectifications"), open_figures["open"], f"{rectifications}?unresolved=true"),
        Stat(
            _("Rectifications overdue"),
            open_figures["overdue"],
            f"{rectifications}?overdue=true",
            "danger" if open_figures["overdue"] else "",
        ),
    ]
