"""What cleaning puts on the calendar (and the iCal feed): inspections planned and done, and
rectification deadlines. A query per kind, whatever the number of entries."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import day_bounds
from core.registry import CalendarEvent
from core.scoping import scope_queryset

from .models import CleaningInspection, InspectionStatus, Rectification

AREA = "cleaning"


def inspections(user, start, end):
    """Inspections in the window: planned (still to score) and done, with their result."""
    if not user.has_perm("cleaning.view_cleaninginspection"):
        return []
    first, last = day_bounds(start, end)
    found = scope_queryset(
        CleaningInspection.objects.filter(
            inspected_at__gte=first, inspected_at__lt=last
        ).select_related("area__property", "inspector"),
        user,
    )
    now = timezone.now()
    events = []
    for inspection in found:
        done = inspection.status != InspectionStatus.OPEN
        events.append(
            CalendarEvent(
                uid=f"cleaning.inspection.{inspection.pk}",
                area=AREA,
                kind=_("Cleaning inspection") if done else _("Cleaning inspection planned"),
                title=inspection.area.name,
                start=inspection.inspected_at,
                url=inspection.get_absolute_url(),
                group="inspections",
                property_code=inspection.area.property.code,
                severity="danger"
                if inspection.status == InspectionStatus.FAILED
                or (not done and inspection.inspected_at < now)
                else "",
                detail=" · ".join(
                    str(part)
                    for part in (
                        inspection.get_status_display(),
                        inspection.total if done else "",
                        inspection.inspector.name,
                    )
                    if part != ""
                ),
                done=done,
            )
        )
    return events


def rectification_deadlines(user, start, end):
    if not user.has_perm("cleaning.view_rectification"):
        return []
    first, last = day_bounds(start, end)
    found = scope_queryset(
        Rectification.objects.unresolved()
        .filter(deadline__gte=first, deadline__lt=last)
        .select_related("area__property"),
        user,
    )
    now = timezone.now()
    return [
        CalendarEvent(
            uid=f"cleaning.rectification.{rectification.pk}",
            area=AREA,
            kind=_("Rectification deadline"),
            title=f"{rectification.number} · {rectification.area.name}",
            start=rectification.deadline,
            url=rectification.get_absolute_url(),
            group="rectifications",
            property_code=rectification.area.property.code,
            severity="danger" if rectification.deadline < now else "warning",
            detail=rectification.get_status_display(),
        )
        for rectification in found
    ]
