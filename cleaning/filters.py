import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ConditionFilter, HouqinFilterSet
from core.models import Property

from .models import (
    CleaningArea,
    CleaningInspection,
    CleaningStandard,
    CleaningTask,
    ConsumableIssue,
    InspectionStatus,
    Rectification,
    RectificationStatus,
    TaskStatus,
)


def missed():
    return Q(status=TaskStatus.OPEN, window_end__lt=timezone.now())


def missed_yesterday():
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    return missed() & Q(due_on=yesterday)


def due_today():
    return Q(due_on=timezone.localdate())


def overdue():
    return ~Q(status=RectificationStatus.CLOSED) & Q(deadline__lt=timezone.now())


def this_month():
    return Q(inspected_at__date__gte=timezone.localdate().replace(day=1))


class CleaningAreaFilter(HouqinFilterSet):
    search_fields = ("name", "location__full_name")

    class Meta:
        model = CleaningArea
        fields = ["property", "kind", "cleaner", "team", "active"]


class CleaningStandardFilter(HouqinFilterSet):
    search_fields = ("name", "sop")

    class Meta:
        model = CleaningStandard
        fields = ["property", "kind", "unit", "active"]


class CleaningTaskFilter(HouqinFilterSet):
    search_fields = ("area__name",)
    property = django_filters.ModelChoiceFilter(
        label=_("Property"), field_name="area__property", queryset=Property.objects.all()
    )
    due_on = django_filters.DateFilter(label=_("Day"))
    missed = ConditionFilter(missed, label=_("Missed"))
    missed_yesterday = ConditionFilter(missed_yesterday, label=_("Missed yesterday"))
    due_today = ConditionFilter(due_today, label=_("Today"))

    class Meta:
        model = CleaningTask
        fields = ["property", "area", "status", "assignee", "due_on", "missed"]


class CleaningInspectionFilter(HouqinFilterSet):
    search_fields = ("area__name", "note")
    property = django_filters.ModelChoiceFilter(
        label=_("Property"), field_name="area__property", queryset=Property.objects.all()
    )
    this_month = ConditionFilter(this_month, label=_("This month"))
    failed = ConditionFilter(Q(status=InspectionStatus.FAILED), label=_("Failed"))

    class Meta:
        model = CleaningInspection
        fields = ["property", "area", "status", "inspector", "this_month"]


class RectificationFilter(HouqinFilterSet):
    search_fields = ("area__name", "done_note")
    property = django_filters.ModelChoiceFilter(
        label=_("Property"), field_name="area__property", queryset=Property.objects.all()
    )
    unresolved = ConditionFilter(~Q(status=RectificationStatus.CLOSED), label=_("Not closed"))
    overdue = ConditionFilter(overdue, label=_("Past its deadline"))
    escalated = ConditionFilter(
        ~Q(status=RectificationStatus.CLOSED) & Q(escalations__gt=0), label=_("Escalated")
    )

    class Meta:
        model = Rectification
        fields = ["property", "area", "status", "responsible", "unresolved", "overdue", "escalated"]


class ConsumableIssueFilter(HouqinFilterSet):
    search_fields = ("area__name", "team__name", "note")
    issued_at = django_filters.DateFromToRangeFilter(
        label=_("Issued"), field_name="issued_at__date"
    )

    class Meta:
        model = ConsumableIssue
        fields = ["property", "area", "team", "storeroom", "issued_at"]
