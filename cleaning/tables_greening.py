import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import HouqinTable

from .models import GreeningPlan, GreeningTask, PesticideApplication


class GreeningPlanTable(HouqinTable):
    zone = tables.Column(linkify=True)
    kind = tables.Column(linkify=lambda record: record.get_absolute_url())
    schedule = tables.Column(
        accessor="describe_schedule", verbose_name=_("schedule"), orderable=False
    )
    season = tables.Column(accessor="describe_season", verbose_name=_("season"), orderable=False)
    property = tables.Column(accessor="zone__property", verbose_name=_("property"))

    class Meta(HouqinTable.Meta):
        model = GreeningPlan
        fields = (
            "zone",
            "kind",
            "property",
            "schedule",
            "season",
            "next_due",
            "assignee",
            "active",
        )


class GreeningTaskTable(HouqinTable):
    due_on = tables.DateColumn(linkify=True)
    property = tables.Column(accessor="zone__property", verbose_name=_("property"))

    class Meta(HouqinTable.Meta):
        model = GreeningTask
        fields = ("due_on", "zone", "property", "kind", "status", "assignee", "done_by", "done_at")
        row_attrs = {"class": lambda record: "table-warning" if record.is_overdue else ""}


class PesticideApplicationTable(HouqinTable):
    applied_at = tables.DateTimeColumn(linkify=True, format="SHORT_DATETIME_FORMAT")
    dose = tables.Column(verbose_name=_("dose"))

    class Meta(HouqinTable.Meta):
        model = PesticideApplication
        fields = ("applied_at", "product", "dose", "zone", "applied_by", "safety_interval_days")

    def render_dose(self, record):
        return f"{record.dose.normalize():f} {record.get_dose_unit_display()}"

    def value_dose(self, record):
        return self.render_dose(record)
