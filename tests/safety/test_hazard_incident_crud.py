"""The shared CRUD checks for hazards, incidents and corrective actions."""

from safety.models import CorrectiveAction, Hazard, Incident
from tests.crud import CrudViewTests
from tests.factories import LocationFactory
from tests.staff.factories import EmployeeFactory

from .factories_hazards import CorrectiveActionFactory, HazardFactory, IncidentFactory


class TestHazardViews(CrudViewTests):
    model = Hazard
    factory = HazardFactory

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "source": "patrol",
            "found_at": "2026-11-20T09:30",
            "location": LocationFactory(property=property_).pk,
            "category": "electrical",
            "grade": "major",
            "level": "orange",
            "description": "配电房门锁损坏",
            "owner": EmployeeFactory(property=property_).pk,
            "deadline": "2026-11-27",
        }


class TestIncidentViews(CrudViewTests):
    model = Incident
    factory = IncidentFactory

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "kind": "entrapment",
            "severity": "moderate",
            "occurred_at": "2026-11-20T09:30",
            "reported_at": "2026-11-20T09:35",
            "location": LocationFactory(property=property_).pk,
            "description": "3号梯困人",
            "people_involved": "业主一名",
            "losses": "120.50",
            "report_number": "",
        }


class TestCorrectiveActionViews(CrudViewTests):
    model = CorrectiveAction

    def make_object(self, property_):
        return CorrectiveActionFactory(incident=IncidentFactory(property=property_))

    def form_data(self, property_):
        return {
            "incident": IncidentFactory(property=property_).pk,
            "description": "加装漏水报警器",
            "owner": EmployeeFactory(property=property_).pk,
            "due_on": "2026-12-20",
        }

    def success_url(self, obj):
        return obj.incident.get_absolute_url()
