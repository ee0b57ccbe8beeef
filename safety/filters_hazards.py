import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ConditionFilter, HouqinFilterSet
from core.models import Property

from .models import (
    ActionStatus,
    CorrectiveAction,
    Hazard,
    HazardStatus,
    Incident,
    IncidentStatus,
)


def hazard_overdue():
    return ~Q(status=HazardStatus.CLOSED) & Q(deadline__lt=timezone.localdate())


def action_overdue():
    return Q(status=ActionStatus.OPEN, due_on__lt=timezone.localdate())


class HazardFilter(HouqinFilterSet):
    search_fields = ("description", "location__full_name", "rectification_note")
    unresolved = ConditionFilter(~Q(status=HazardStatus.CLOSED), label=_("Not closed"))
    overdue = ConditionFilter(hazard_overdue, label=_("Past its deadline"))

    class Meta:
        model = Hazard
        fields = [
            "property",
            "status",
            "category",
            "grade",
            "level",
            "source",
            "owner",
            "unresolved",
            "overdue",
        ]


class IncidentFilter(HouqinFilterSet):
    search_fields = ("description", "location__full_name", "report_number", "people_involved")
    occurred = django_filters.DateFromToRangeFilter(
        label=_("Occurred"), field_name="occurred_at__date"
    )
    unresolved = ConditionFilter(
        Q(status__in=[IncidentStatus.OPEN, IncidentStatus.RESPONDING]), label=_("Not resolved")
    )

    class Meta:
        model = Incident
        fields = ["property", "kind", "severity", "status", "occurred", "unresolved"]


class CorrectiveActionFilter(HouqinFilterSet):
    search_fields = ("description", "done_note")
    property = django_filters.ModelChoiceFilter(
        label=_("Property"), field_name="incident__property", queryset=Property.objects.all()
    )
    overdue = ConditionFilter(action_overdue, label=_("Past its due date"))

    class Meta:
        model = CorrectiveAction
        fields = ["property", "status", "owner", "overdue"]
