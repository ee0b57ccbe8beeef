"""Properties and their location trees: the reference data every area points at."""

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode

from ..filters import HouqinFilterSet
from ..forms import LocationForm, PropertyForm
from ..models import Location, Property
from ..scoping import sees_all_properties
from .generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView


class PropertyFilter(HouqinFilterSet):
    search_fields = ("name", "code", "address")

    class Meta:
        model = Property
        fields = ["kind", "active"]


class PropertyListView(ObjectListView):
    model = Property
    filterset_class = PropertyFilter
    columns = ("name", "code", "kind", "address", "phone", "active")


TOP_LOCATIONS = 100


class PropertyDetailView(ObjectDetailView):
    model = Property
    template_name = "core/property_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The top level (buildings, areas) with how many places each holds, at most
        # TOP_LOCATIONS of them; the full tree is the location list filtered by the property.
        top = self.object.locations.filter(depth=0)
        context["locations"] = top.annotate(inside=Count("children")).order_by("path")[
            :TOP_LOCATIONS
        ]
        context["location_count"] = self.object.locations.count()
        context["top_location_count"] = top.count()
        context["all_locations_url"] = (
            reverse("core:location_list") + "?" + urlencode({"property": self.object.pk})
        )
        return context


class PropertyEditView(ObjectEditView):
    model = Property
    form_class = PropertyForm

    def save_form(self, form):
        created = form.instance.pk is None
        property_ = form.save()
        if created and not sees_all_properties(self.request.user):
            # Whoever opens a property works on it; otherwise they could not see it.
            self.request.user.properties.add(property_)
        return property_


class PropertyDeleteView(ObjectDeleteView):
    model = Property


class LocationFilter(HouqinFilterSet):
    search_fields = ("full_name", "code", "note")

    class Meta:
        model = Location
        fields = ["property", "kind"]


class LocationListView(ObjectListView):
    model = Location
    queryset = Location.objects.select_related("property").order_by("property_id", "path")
    filterset_class = LocationFilter
    columns = ("full_name", "code", "kind", "property", "note")


class LocationDetailView(ObjectDetailView):
    model = Location
    template_name = "core/location_detail.html"
    detail_fields = ("property", "full_name", "kind", "code", "name", "note")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ancestors"] = self.object.ancestors()
        context["children"] = self.object.children.order_by("code")
        return context


class LocationEditView(ObjectEditView):
    model = Location
    form_class = LocationForm


class LocationDeleteView(ObjectDeleteView):
    model = Location
