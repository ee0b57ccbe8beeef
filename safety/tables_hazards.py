import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.tables import HouqinTable

from .models import ActionStatus, CorrectiveAction, Hazard, HazardStatus, Incident


class HazardTable(HouqinTable):
    number = tables.Column(
        accessor="pk",
        verbose_name=pgettext_lazy("record number", "number"),
        linkify=lambda record: record.get_absolute_url(),
    )
    location = tables.Column(accessor="location__full_name", verbose_name=_("location"))
    found_at = tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT")

    class Meta(HouqinTable.Meta):
        model = Hazard
        fields = (
            "number",
            "property",
            "category",
            "grade",
            "level",
            "location",
            "owner",
            "deadline",
            "status",
            "found_at",
        )
        row_attrs = {
            "class": lambda record: (
                "table-danger"
                if record.status != HazardStatus.CLOSED and record.deadline < timezone.localdate()
                else ""
            )
        }

    def render_number(self, record):
        return record.number


class IncidentTable(HouqinTable):
    number = tables.Column(
        accessor="pk",
        verbose_name=pgettext_lazy("record number", "number"),
        linkify=lambda record: record.get_absolute_url(),
    )
    location = tables.Column(accessor="location__full_name", verbose_name=_("location"))
    occurred_at = tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT")

    class Meta(HouqinTable.Meta):
        model = Incident
        fields = (
            "number",
            "property",
            "kind",
            "severity",
            "occurred_at",
            "location",
            "status",
            "losses",
        )

    def render_number(self, record):
        return record.number


class CorrectiveActionTable(HouqinTable):
    description = tables.Column(linkify=True)
    property = tables.Column(accessor="incident__property", verbose_name=_("property"))

    class Meta(HouqinTable.Meta):
        model = CorrectiveAction
        fields = ("description", "incident", "property", "owner", "due_on", "status")
        row_attrs = {
            "class": lambda record: (
                "table-danger"
                if record.status == ActionStatus.OPEN and record.due_on < timezone.localdate()
                else ""
            )
        }
