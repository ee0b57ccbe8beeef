"""Tables of patrols. A checkpoint's token never appears in a table (nor in an export)."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import HouqinTable

from .models import Checkpoint, PatrolRound, PatrolRoute, PatrolSchedule, Scan
from .models.patrols import ROUND_COLOURS


class PatrolRouteTable(HouqinTable):
    name = tables.Column(linkify=True)

    class Meta(HouqinTable.Meta):
        model = PatrolRoute
        fields = ("name", "property", "active")


class CheckpointTable(HouqinTable):
    name = tables.Column(linkify=True)

    class Meta(HouqinTable.Meta):
        model = Checkpoint
        fields = ("route", "position", "name", "code", "location", "radius_m", "active")


class PatrolScheduleTable(HouqinTable):
    route = tables.Column(linkify=True)
    schedule = tables.Column(
        accessor="describe_schedule", verbose_name=_("schedule"), orderable=False
    )
    times = tables.Column(
        accessor="describe_times", verbose_name=_("times of day"), orderable=False
    )

    class Meta(HouqinTable.Meta):
        model = PatrolSchedule
        fields = ("route", "schedule", "times", "window_minutes", "next_due", "active")


class PatrolRoundTable(HouqinTable):
    window_start = tables.DateTimeColumn(
        linkify=True, format="SHORT_DATETIME_FORMAT", verbose_name=_("window")
    )
    property = tables.Column(accessor="route__property", verbose_name=_("property"))
    status = tables.Column()

    class Meta(HouqinTable.Meta):
        model = PatrolRound
        fields = ("window_start", "route", "property", "status", "guard", "started_at")

    def render_window_start(self, record):
        start = timezone.localtime(record.window_start)
        end = timezone.localtime(record.window_end)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    def value_window_start(self, record):
        return self.render_window_start(record)

    def render_status(self, record):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            ROUND_COLOURS.get(record.status, "secondary"),
            record.get_status_display(),
        )

    def value_status(self, record):
        return str(record.get_status_display())


class ScanTable(HouqinTable):
    scanned_at = tables.DateTimeColumn(linkify=True, format="SHORT_DATETIME_FORMAT")

    class Meta(HouqinTable.Meta):
        model = Scan
        fields = (
            "scanned_at",
            "checkpoint",
            "round",
            "scanned_by",
            "typed",
            "far_from_checkpoint",
            "anomaly",
            "note",
        )
