"""The shared CRUD checks for the facilities pages that had none: downtime, inspection points
and inspection rounds."""

import datetime

from django.utils import timezone

from facilities.models import Downtime, InspectionPoint, InspectionRound, InspectionRoute
from tests.crud import CrudViewTests

from .factories import EquipmentFactory

DAY = datetime.date(2026, 11, 23)


def route(property_):
    return InspectionRoute.objects.create(
        property=property_,
        name="配电房日巡",
        unit="days",
        interval=1,
        starts_on=DAY,
        next_due=DAY,
    )


def no_checks():
    """The management form of an empty list of readings to take."""
    return {
        "checks-TOTAL_FORMS": "0",
        "checks-INITIAL_FORMS": "0",
        "checks-MIN_NUM_FORMS": "0",
        "checks-MAX_NUM_FORMS": "1000",
    }


class TestDowntimeViews(CrudViewTests):
    """Downtime is started and ended from the equipment's page: list and detail."""

    model = Downtime

    def make_object(self, property_):
        return Downtime.objects.create(
            equipment=EquipmentFactory(property=property_),
            reason="failure",
            started_at=timezone.now() - datetime.timedelta(hours=3),
        )


class TestInspectionPointViews(CrudViewTests):
    model = InspectionPoint

    def make_object(self, property_):
        return InspectionPoint.objects.create(route=route(property_), position=1, name="变压器")

    def form_data(self, property_):
        return {
            "route": route(property_).pk,
            "position": "2",
            "name": "低压柜",
            "equipment": EquipmentFactory(property=property_).pk,
            **no_checks(),
        }

    def edit_data(self, obj):
        return {"route": obj.route_id, "position": "3", "name": "低压柜", **no_checks()}

    def success_url(self, obj):
        return obj.route.get_absolute_url()  # points are edited from their route


class TestInspectionRoundViews(CrudViewTests):
    """Rounds are generated from their route's schedule: list and detail."""

    model = InspectionRound

    def make_object(self, property_):
        return InspectionRound.objects.create(route=route(property_), due_on=DAY)
