import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import HouqinTable

from .models import (
    OPEN_STATUSES,
    Downtime,
    InspectionRound,
    InspectionRoute,
    MaintenancePlan,
    Priority,
    WorkOrder,
)

PRIORITY_BADGES = {"urgent": "danger", "high": "warning", "normal": "secondary", "low": "light"}


def priority_badge(order, labels=None):
    """The priority as a coloured badge; ``labels`` ({value: label}), when given, spares
    get_priority_display's rebuilding of the whole choice list for each row."""
    label = labels.get(order.priority) if labels else None
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        PRIORITY_BADGES.get(order.priority, "secondary"),
        label or order.get_priority_display(),
    )


class WorkOrderTable(HouqinTable):
    number = tables.Column(linkify=True)
    equipment = tables.Column(accessor="equipment__asset_code", verbose_name=_("equipment"))
    priority = tables.Column(verbose_name=_("priority"))
    resolve_by = tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT")

    class Meta(HouqinTable.Meta):
        model = WorkOrder
        fields = (
            "number",
            "title",
            "kind",
            "property",
            "equipment",
            "priority",
            "status",
            "assignee",
            "due_on",
            "resolve_by",
        )
        row_attrs = {
            "class": lambda record: (
                "table-danger"
                if record.status in OPEN_STATUSES
                and record.resolve_by
                and record.resolve_by < timezone.now()
                else ""
            )
        }

    def render_title(self, record):
        return record.display_title

    def value_title(self, record):
        return record.display_title

    def render_priority(self, record):
        labels = getattr(self, "_priority_labels", None)
        if labels is None:
            labels = self._priority_labels = {k: str(v) for k, v in Priority.choices}
        return priority_badge(record, labels)

    def value_priority(self, record):
        return record.get_priority_display()


class MaintenancePlanTable(HouqinTable):
    title = tables.Column(linkify=True)
    property = tables.Column(accessor="equipment__property", verbose_name=_("property"))
    schedule = tables.Column(
        accessor="describe_schedule", verbose_name=_("schedule"), orderable=False
    )
    assigned = tables.Column(
        accessor="assignee", verbose_name=_("assignee"), orderable=False, default="—"
    )

    class Meta(HouqinTable.Meta):
        model = MaintenancePlan
        fields = ("title", "equipment", "property", "schedule", "mode", "next_due", "active")
        sequence = ("title", "equipment", "property", "schedule", "mode", "next_due", "assigned")
        row_attrs = {
            "class": lambda record: (
                "table-warning" if record.is_overdue(timezone.localdate()) else ""
            )
        }

    def render_assigned(self, record):
        return record.assignee or record.contractor or "—"


class DowntimeTable(HouqinTable):
    equipment = tables.Column(linkify=True)
    started_at = tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT")
    ended_at = tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT", default=_("ongoing"))
    work_order = tables.Column(linkify=True)

    class Meta(HouqinTable.Meta):
        model = Downtime
        fields = ("equipment", "reason", "started_at", "ended_at", "work_order", "note")


class InspectionRouteTable(HouqinTable):
    name = tables.Column(linkify=True)
    schedule = tables.Column(
        accessor="describe_schedule", verbose_name=_("schedule"), orderable=False
    )
    points = tables.Column(accessor="point_count", verbose_name=_("points"))
    completion = tables.Column(
        accessor="rounds_done", verbose_name=_("done in 30 days"), orderable=False
    )

    class Meta(HouqinTable.Meta):
        model = InspectionRoute
        fields = ("name", "property", "schedule", "points", "next_due", "assignee", "active")
        sequence = ("name", "property", "schedule", "points", "completion", "next_due")

    def render_completion(self, record):
        if not record.rounds_due:
            return "—"
        rate = round(record.rounds_done * 100 / record.rounds_due)
        return f"{record.rounds_done}/{record.rounds_due} ({rate}%)"


class InspectionRoundTable(HouqinTable):
    due_on = tables.DateColumn(linkify=True)
    property = tables.Column(accessor="route__property", verbose_name=_("property"))
    flagged = tables.Column(accessor="out_of_range", verbose_name=_("out of range"), default="")

    class Meta(HouqinTable.Meta):
        model = InspectionRound
        fields = ("due_on", "route", "property", "status", "assignee", "completed_at")
        row_attrs = {
            "class": lambda record: (
                "table-danger"
                if record.status == "open" and record.due_on < timezone.localdate()
                else ""
            )
        }
