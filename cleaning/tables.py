import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tables import HouqinTable

from .models import (
    CleaningArea,
    CleaningInspection,
    CleaningStandard,
    CleaningTask,
    Rectification,
    RectificationStatus,
    TaskStatus,
)


class CleaningAreaTable(HouqinTable):
    name = tables.Column(linkify=True)
    location = tables.Column(accessor="location__full_name", verbose_name=_("location"))

    class Meta(HouqinTable.Meta):
        model = CleaningArea
        fields = (
            "name",
            "property",
            "location",
            "kind",
            "size_m2",
            "cleaner",
            "team",
            "running_score",
            "active",
        )


class CleaningStandardTable(HouqinTable):
    name = tables.Column(linkify=True)
    schedule = tables.Column(
        accessor="describe_schedule", verbose_name=_("schedule"), orderable=False
    )

    class Meta(HouqinTable.Meta):
        model = CleaningStandard
        fields = (
            "name",
            "property",
            "kind",
            "schedule",
            "times",
            "pass_mark",
            "next_due",
            "active",
        )


class CleaningTaskTable(HouqinTable):
    area = tables.Column(linkify=lambda record: record.get_absolute_url())
    property = tables.Column(accessor="area__property", verbose_name=_("property"))
    window_start = tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT")
    window_end = tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT")
    completed_at = tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT")

    class Meta(HouqinTable.Meta):
        model = CleaningTask
        fields = (
            "area",
            "property",
            "due_on",
            "window_start",
            "window_end",
            "assignee",
            "status",
            "completed_at",
        )
        row_attrs = {
            "class": lambda record: (
                "table-danger"
                if record.status == TaskStatus.OPEN and record.window_end < timezone.now()
                else ""
            )
        }


class CleaningInspectionTable(HouqinTable):
    inspected_at = tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT", linkify=True)
    property = tables.Column(accessor="area__property", verbose_name=_("property"))

    class Meta(HouqinTable.Meta):
        model = CleaningInspection
        fields = ("inspected_at", "area", "property", "inspector", "status", "total", "pass_mark")
        row_attrs = {"class": lambda record: "table-warning" if record.status == "failed" else ""}


class RectificationTable(HouqinTable):
    number = tables.Column(
        accessor="pk", verbose_name=_("number"), linkify=lambda record: record.get_absolute_url()
    )
    property = tables.Column(accessor="area__property", verbose_name=_("property"))
    deadline = tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT")

    class Meta(HouqinTable.Meta):
        model = Rectification
        fields = (
            "number",
            "area",
            "property",
            "responsible",
            "deadline",
            "status",
            "escalations",
        )
        row_attrs = {
            "class": lambda record: (
                "table-danger"
                if record.status != RectificationStatus.CLOSED and record.deadline < timezone.now()
                else ""
            )
        }

    def render_number(self, record):
        return record.number

    def value_number(self, record):
        return record.number
