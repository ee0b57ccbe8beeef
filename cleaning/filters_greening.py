from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ConditionFilter, HouqinFilterSet

from .filters_waste import property_filter
from .models import GreeningPlan, GreeningTask, GreeningTaskStatus, GreenZone, PesticideApplication


def due_today():
    return Q(status=GreeningTaskStatus.OPEN, due_on=timezone.localdate())


def overdue():
    return Q(status=GreeningTaskStatus.OPEN, due_on__lt=timezone.localdate())


def due_this_week():
    return Q(status=GreeningTaskStatus.OPEN, due_on__lte=timezone.localdate() + timedelta(days=7))


class GreenZoneFilter(HouqinFilterSet):
    search_fields = ("name", "main_plants")

    class Meta:
        model = GreenZone
        fields = ["property", "active"]


class GreeningPlanFilter(HouqinFilterSet):
    search_fields = ("zone__name", "instructions")
    property = property_filter("zone__property")

    class Meta:
        model = GreeningPlan
        fields = ["property", "zone", "kind", "season", "assignee", "active"]


class GreeningTaskFilter(HouqinFilterSet):
    search_fields = ("zone__name", "note")
    property = property_filter("zone__property")
    due_today = ConditionFilter(due_today, label=_("Due today"))
    overdue = ConditionFilter(overdue, label=_("Overdue"))
    due_this_week = ConditionFilter(due_this_week, label=_("To do within 7 days"))

    class Meta:
        model = GreeningTask
        fields = ["property", "zone", "kind", "status", "assignee"]


class PesticideApplicationFilter(HouqinFilterSet):
    search_fields = ("product", "zone__name")
    property = property_filter("zone__property")

    class Meta:
        model = PesticideApplication
        fields = ["property", "zone", "applied_by"]
