"""The shared CRUD checks for visitors and access cards."""

from safety.models import AccessCard, Visitor
from tests.crud import CrudViewTests
from tests.factories import LocationFactory

from .factories_visitors import AccessCardFactory, VisitorFactory


class TestVisitorViews(CrudViewTests):
    model = Visitor
    factory = VisitorFactory
    user_perms = ("safety.view_visitor_phone",)

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "name": "李四",
            "phone": "13900001111",
            "host_name": "张三",
            "unit": LocationFactory(property=property_).pk,
            "purpose": "探亲",
            "id_type": "resident_id",
            "id_last_four": "0012",
            "plate": "沪B 12345",
            "badge": "V9",
            "expected_at": "2026-12-08T10:00",
        }


class TestAccessCardViews(CrudViewTests):
    model = AccessCard
    factory = AccessCardFactory

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "number": "A-0001",
            "holder_name": "陈女士",
            "holder_kind": "tenant",
            "unit": LocationFactory(property=property_).pk,
            "issued_on": "2026-01-01",
            "expires_on": "2027-01-01",
            "note": "",
        }
