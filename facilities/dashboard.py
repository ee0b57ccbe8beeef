"""The facilities tile: equipment by status and what expires this month, in one query."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dashboard import Stat
from core.scoping import scope_queryset

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
    soon = timezone.localdate() + timedelta(days=30)
    figures = (
        scope_queryset(Equipment.objects.all(), user)
        .exclude(status=EquipmentStatus.RETIRED)
        .aggregate(
            total=Count("pk"),
            down=Count(
                "pk", filter=Q(status__in=[EquipmentStatus.FAULTY, EquipmentStatus.STOPPED])
            ),
            certificates=Count("pk", filter=Q(certificate_expires_on__lte=soon)),
        )
    )
    url = reverse("facilities:equipment_list")
    return [
        Stat(_("Equipment in use"), figures["total"], url),
        Stat(
            _("Faulty or stopped"),
            figures["down"],
            f"{url}?status=faulty",
            "danger" if figures["down"] else "",
        ),
        Stat(
            _("Certificates expiring"),
            figures["certificates"],
            f"{url}?expiring=true",
            "warning" if figures["certificates"] else "",
        ),
    ]


def work_order_figures(request):
    user = request.user
    if not user.has_perm("facilities.view_workorder"):
        return []
    now = timezone.now()
    week = timezone.localdate() + timedelta(days=7)
    figures = scope_queryset(WorkOrder.objects.open(), user).aggregate(
        total=Count("pk"),
        urgent=Count("pk", filter=Q(priority=Priority.URGENT)),
        overdue=Count("pk", filter=Q(resolve_by__lt=now)),
        preventive=Count("pk", filter=Q(kind=WorkOrderKind.PREVENTIVE, due_on__lte=week)),
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
            f"{url}?open=true&kind=preventive",
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
        today=Count("pk", filter=Q(due_on=today)),
        missed=Count("pk", filter=Q(due_on__lt=today)),
    )
    url = reverse("facilities:inspectionround_list")
    return [
        Stat(_("Rounds to walk today"), figures["today"], f"{url}?status=open"),
        Stat(
            _("Rounds not done (7 days)"),
            figures["missed"],
            f"{url}?missed=true",
            "danger" if figures["missed"] else "",
        ),
    ]
