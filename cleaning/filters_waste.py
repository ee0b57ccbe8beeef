from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ConditionFilter, HouqinFilterSet
from core.models import Property

from .models import (
    CollectionPoint,
    CollectionSchedule,
    ExpectedCollection,
    WasteCategoryLabel,
    WasteCollection,
)


def property_filter(path):
    return django_filters.ModelChoiceFilter(
        label=_("Property"), field_name=path, queryset=Property.objects.all()
    )


def missed():
    """Windows closed with no collection logged inside them (the list annotates
    ``collected``)."""
    return Q(collected=False, window_end__lt=timezone.now())


def missed_yesterday():
    yesterday = timezone.localdate() - timedelta(days=1)
    return missed() & Q(due_on=yesterday)


def missed_this_week():
    today = timezone.localdate()
    return missed() & Q(due_on__gte=today - timedelta(days=7), due_on__lt=today)


def expected_today():
    return Q(due_on=timezone.localdate())


class CollectionPointFilter(HouqinFilterSet):
    search_fields = ("name", "location__full_name")

    class Meta:
        model = CollectionPoint
        fields = ["property", "active"]


class WasteCategoryLabelFilter(HouqinFilterSet):
    search_fields = ("label",)

    class Meta:
        model = WasteCategoryLabel
        fields = ["property", "category"]


class CollectionScheduleFilter(HouqinFilterSet):
    search_fields = ("point__name", "hauler__name")
    property = property_filter("point__property")

    class Meta:
        model = CollectionSchedule
        fields = ["property", "point", "category", "hauler", "active"]


class ExpectedCollectionFilter(HouqinFilterSet):
    search_fields = ("point__name",)
    property = property_filter("point__property")
    due_on = django_filters.DateFromToRangeFilter(label=_("Due"))
    today = ConditionFilter(expected_today, label=_("Expected today"))
    missed = ConditionFilter(missed, label=_("Missed"))
    missed_yesterday = ConditionFilter(missed_yesterday, label=_("Missed yesterday"))
    missed_this_week = ConditionFilter(missed_this_week, label=_("Missed in the last 7 days"))

    class Meta:
        model = ExpectedCollection
        fields = ["property", "point", "category", "due_on", "today", "missed"]


class WasteCollectionFilter(HouqinFilterSet):
    search_fields = ("point__name", "manifest_number", "hauler__name")
    property = property_filter("point__property")
    collected_at = django_filters.DateFromToRangeFilter(label=_("Collected"))

    class Meta:
        model = WasteCollection
        fields = ["property", "point", "category", "hauler", "collected_at"]
