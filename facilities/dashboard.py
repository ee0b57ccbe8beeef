"""The facilities tile: equipment by status and what expires this month, in one query."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dashboard import Stat
from core.scoping import scope_queryset

from .filters import DOWN, certificate_expiring, due_this_week, due_today, missed_this_week
from .models import (
    Equipment,
    EquipmentStatus,
    InspectionRound,
    Priority,
    RoundStatus,
    WorkOrder,
    WorkOrderKind,
)


def equipment_figures(request):
    user = request.user
    if not user.has_perm("facilities.view_equipment"):
        return []
    figures = (
        scope_queryset(Equipment.objects.all(), user)
        .exclude(status=EquipmentStatus.RETIRED)
        .aggregate(
            total=Count("pk"),
            down=Count("pk", filter=DOWN),
            certificates=Count("pk", filter=certificate_expiring()),
        )
    )
    url = reverse("facilities:equipment_list")
    return [
        Stat(_("Equipment in use"), figures["total"], f"{url}?in_use=true"),
        Stat(
            _("Faulty or stopped"),
            figures["down"],
            f"{url}?down=true",
            "danger" if figures["down"] else "",
        ),
        Stat(
            _("Certificates expiring"),
            figures["certificates"],
            f"{url}?certificate_expiring=true",
            "warning" if figures["certificates"] else "",
        ),
    ]


def work_order_figures(request):
    user = request.user
    if not user.has_perm("facilities.view_workorder"):
        return []
    now = timezone.now()
    figures = scope_queryset(WorkOrder.objects.open(), user).aggregate(
        total=Count("pk"),
        urgent=Count("pk", filter=Q(priority=Priority.URGENT)),
        overdue=Count("pk", filter=Q(resolve_by__lt=now)),
        preventive=Count("pk", filter=Q(kind=WorkOrderKind.PREVENTIVE) & due_this_week()),
    )
    url = reverse("facilities:workorder_list")
    return [
        Stat(_("Open work orders"), figures["total"], f"{url}?open=true"),
        Stat(
            _("Urgent"),
            figures["urgent"],
            f"{url}?open=true&priority=urgent",
            "danger" if figures["urgent"] else "",
        ),
        Stat(
            _("Past resolution target"),
            figures["overdue"],
            f"{url}?overdue=true",
            "danger" if figures["overdue"] else "",
        ),
        Stat(
            _("Maintenance due this week"),
            figures["preventive"],
            f"{url}?open=true&kind=preventive&due_this_week=true",
            "warning" if figures["preventive"] else "",
        ),
    ]


def round_figures(request):
    user = request.user
    if not user.has_perm("facilities.view_inspectionround"):
        return []
    today = timezone.localdate()
    figures = scope_queryset(
        InspectionRound.objects.filter(
            status=RoundStatus.OPEN, due_on__range=(today - timedelta(days=7), today)
        ),
        user,
    ).aggregate(
        today=Count("pk", filter=due_today()),
        missed=Count("pk", filter=missed_this_week()),
    )
    url = reverse("facilities:inspectionround_list")
    return [
        Stat(_("Rounds to walk today"), figures["today"], f"{url}?status=open&due_today=true"),
        Stat(
            _("Rounds not done (7 days)"),
            figures["missed"],
            f"{url}?missed_this_week=true",
            "danger" if figures["missed"] else "",
        ),
    ]
