from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.filters import ConditionFilter, HouqinFilterSet
from core.models import Property

from .models import (
    OPEN_STATUSES,
    Downtime,
    Equipment,
    EquipmentCategory,
    EquipmentStatus,
    InspectionPoint,
    InspectionRound,
    InspectionRoute,
    MaintenancePlan,
    PlanTemplate,
    Reading,
    RoundStatus,
    WorkOrder,
)


class EquipmentCategoryFilter(HouqinFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = EquipmentCategory
        fields = ["special"]


IN_USE = ~Q(status=EquipmentStatus.RETIRED)
DOWN = Q(status__in=[EquipmentStatus.FAULTY, EquipmentStatus.STOPPED])


def certificate_expiring():
    """In use, with an inspection certificate expired or expiring within 30 days."""
    soon = timezone.localdate() + timedelta(days=30)
    return IN_USE & Q(certificate_expires_on__lte=soon)


def due_this_week():
    return Q(due_on__lte=timezone.localdate() + timedelta(days=7))


def due_today():
    return Q(due_on=timezone.localdate())


def missed_this_week():
    """Open rounds that were due in the 7 days before today."""
    today = timezone.localdate()
    return Q(status=RoundStatus.OPEN, due_on__gte=today - timedelta(days=7), due_on__lt=today)


class EquipmentFilter(HouqinFilterSet):
    search_fields = ("asset_code", "name", "model_number", "manufacturer", "serial_number")
    in_use = ConditionFilter(IN_USE, label=_("Not retired"))
    down = ConditionFilter(DOWN, label=_("Faulty or stopped"))
    certificate_expiring = ConditionFilter(
        certificate_expiring, label=_("Inspection certificate expiring in 30 days")
    )
    expiring = django_filters.BooleanFilter(
        label=_("Warranty or certificate expiring in 30 days"),
        method="filter_expiring",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Equipment
        fields = ["property", "category", "status", "criticality", "location"]

    def filter_expiring(self, queryset, name, value):
        soon = queryset.model.objects.warranty_or_certificate_expiring(timezone.localdate())
        ids = soon.values("pk")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)


class PlanTemplateFilter(HouqinFilterSet):
    search_fields = ("code", "title", "basis")

    class Meta:
        model = PlanTemplate
        fields = ["category", "unit", "active"]


class MaintenancePlanFilter(HouqinFilterSet):
    search_fields = ("title", "equipment__asset_code", "equipment__name")
    property = django_filters.ModelChoiceFilter(
        label=_("Property"), field_name="equipment__property", queryset=Property.objects.all()
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        field_name="equipment__category",
        queryset=EquipmentCategory.objects.all(),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = MaintenancePlan
        fields = ["property", "category", "unit", "mode", "assignee", "contractor", "active"]

    def filter_overdue(self, queryset, name, value):
        late = MaintenancePlan.objects.late_condition(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class WorkOrderFilter(HouqinFilterSet):
    search_fields = ("number", "title", "equipment__asset_code", "equipment__name")
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        field_name="equipment__category",
        queryset=EquipmentCategory.objects.all(),
    )
    open = django_filters.BooleanFilter(
        label=pgettext_lazy("work orders", "Open"),
        method="filter_open",
        widget=django_filters.widgets.BooleanWidget(),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Past its resolution target"),
        method="filter_overdue",
        widget=django_filters.widgets.BooleanWidget(),
    )
    due_this_week = ConditionFilter(due_this_week, label=_("Due within 7 days"))

    class Meta:
        model = WorkOrder
        fields = [
            "property",
            "status",
            "kind",
            "priority",
            "source",
            "category",
            "assignee",
            "equipment",
            "open",
            "overdue",
        ]

    def filter_open(self, queryset, name, value):
        condition = Q(status__in=OPEN_STATUSES)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_overdue(self, queryset, name, value):
        condition = Q(status__in=OPEN_STATUSES, resolve_by__lt=timezone.now())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class DowntimeFilter(HouqinFilterSet):
    search_fields = ("equipment__asset_code", "equipment__name", "note")
    property = django_filters.ModelChoiceFilter(
        label=_("Property"), field_name="equipment__property", queryset=Property.objects.all()
    )
    ongoing = django_filters.BooleanFilter(
        label=_("Ongoing"),
        field_name="ended_at",
        lookup_expr="isnull",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Downtime
        fields = ["property", "reason", "equipment", "ongoing"]


class InspectionRouteFilter(HouqinFilterSet):
    search_fields = ("name",)

    class Meta:
        model = InspectionRoute
        fields = ["property", "assignee", "active"]


class InspectionPointFilter(HouqinFilterSet):
    search_fields = ("name", "equipment__asset_code", "equipment__name")

    class Meta:
        model = InspectionPoint
        fields = ["route", "equipment"]


class InspectionRoundFilter(HouqinFilterSet):
    property = django_filters.ModelChoiceFilter(
        label=_("Property"), field_name="route__property", queryset=Property.objects.all()
    )
    missed = django_filters.BooleanFilter(
        label=_("Not done in time"),
        method="filter_missed",
        widget=django_filters.widgets.BooleanWidget(),
    )
    out_of_range = django_filters.BooleanFilter(
        label=_("With readings out of range"),
        method="filter_out_of_range",
        widget=django_filters.widgets.BooleanWidget(),
    )
    due_today = ConditionFilter(due_today, label=_("Due today"))
    missed_this_week = ConditionFilter(missed_this_week, label=_("Not done in the last 7 days"))

    class Meta:
        model = InspectionRound
        fields = ["property", "route", "status", "assignee", "missed", "out_of_range"]

    def filter_missed(self, queryset, name, value):
        condition = Q(status=RoundStatus.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_out_of_range(self, queryset, name, value):
        flagged = Reading.objects.filter(passed=False).values("round")
        return queryset.filter(pk__in=flagged) if value else queryset.exclude(pk__in=flagged)
