"""Properties and locations through the shared CRUD test."""

from core.models import Location, LocationKind, Property
from tests.crud import CrudViewTests
from tests.factories import LocationFactory, PropertyFactory


class TestPropertyViews(CrudViewTests):
    model = Property
    factory = PropertyFactory
    creates_in_property = False

    def make_object(self, property_):
        return property_

    def test_list_query_count_does_not_grow_with_rows(self, client, home):
        # Each new property must be one the user works on to show up in the list.
        self.make_object = lambda _p: self._assigned(PropertyFactory())
        self._user = None
        super().test_list_query_count_does_not_grow_with_rows(client, home)

    def _assigned(self, property_):
        from core.models import User

        for user in User.objects.all():
            user.properties.add(property_)
        return property_

    def test_delete(self, client, home):
        # A property with nothing in it may be deleted.
        super().test_delete(client, home)

    def form_data(self, property_):
        return {
            "name": "新物业",
            "code": "NEW1",
            "kind": "office",
            "address": "",
            "phone": "",
            "active": "on",
        }

    def edit_data(self, obj):
        return {"name": obj.name + "（改）", "code": obj.code, "kind": obj.kind, "active": "on"}


class TestLocationViews(CrudViewTests):
    model = Location
    factory = LocationFactory

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "kind": LocationKind.BUILDING,
            "code": "BX",
            "name": "新楼",
            "note": "",
        }

    def edit_data(self, obj):
        return {
            "property": obj.property_id,
            "kind": obj.kind,
            "code": obj.code,
            "name": "改名",
            "note": "n",
        }
