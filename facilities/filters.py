import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import HouqinFilterSet

from .models import Equipment, EquipmentCategory


class EquipmentCategoryFilter(HouqinFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = EquipmentCategory
        fields = ["special"]


class EquipmentFilter(HouqinFilterSet):
    search_fields = ("asset_code", "name", "model_number", "manufacturer", "serial_number")
    expiring = django_filters.BooleanFilter(
        label=_("Warranty or certificate expiring in 30 days"),
        method="filter_expiring",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Equipment
        fields = ["property", "category", "status", "criticality", "location"]

    def filter_expiring(self, queryset, name, value):
        day = timezone.localdate()
        model = queryset.model
        soon = (
            model.objects.expiring("warranty_ends_on", day, passed=False)
            .values("pk")
            .union(model.objects.expiring("certificate_expires_on", day).values("pk"))
        )
        ids = [row["pk"] for row in soon]
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)
