import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import HouqinFilterSet
from core.models import Property

from .models import Checkpoint, PatrolRound, PatrolRoute, PatrolSchedule, RoundStatus, Scan


def property_filter(path):
    return django_filters.ModelChoiceFilter(
        label=_("Property"), field_name=path, queryset=Property.objects.all()
    )


class PatrolRouteFilter(HouqinFilterSet):
    search_fields = ("name",)
    property = property_filter("property")

    class Meta:
        model = PatrolRoute
        fields = ["property", "active"]


class CheckpointFilter(HouqinFilterSet):
    search_fields = ("name", "code")
    property = property_filter("property")

    class Meta:
        model = Checkpoint
        fields = ["property", "route", "active"]


class PatrolScheduleFilter(HouqinFilterSet):
    property = property_filter("route__property")

    class Meta:
        model = PatrolSchedule
        fields = ["property", "route", "active"]


class PatrolRoundFilter(HouqinFilterSet):
    property = property_filter("route__property")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RoundStatus.choices)
    due_on = django_filters.DateFromToRangeFilter(label=_("Date"))

    class Meta:
        model = PatrolRound
        fields = ["property", "route", "status", "due_on"]


class ScanFilter(HouqinFilterSet):
    property = property_filter("round__route__property")
    scanned_at = django_filters.DateFromToRangeFilter(label=_("Scanned at"))

    class Meta:
        model = Scan
        fields = ["property", "anomaly", "far_from_checkpoint", "typed", "scanned_at"]
