"""The shared CRUD checks of the waste pages, and the collection log's rules."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cleaning.models import (
    CollectionPoint,
    CollectionSchedule,
    ExpectedCollection,
    WasteCategoryLabel,
    WasteCollection,
)
from tests.crud import CrudViewTests
from tests.factories import LocationFactory, PropertyFactory, UserFactory
from tests.procurement.factories import SupplierFactory

from .factories_waste import (
    DAY,
    CollectionPointFactory,
    CollectionScheduleFactory,
    WasteCategoryLabelFactory,
    WasteCollectionFactory,
)

pytestmark = pytest.mark.django_db


class TestCollectionPointViews(CrudViewTests):
    model = CollectionPoint
    factory = CollectionPointFactory

    def form_data(self, property_):
        location = LocationFactory(property=property_)
        return {
            "property": property_.pk,
            "name": "北区垃圾房",
            "location": location.pk,
            "active": "on",
        }

    def edit_data(self, obj):
        return {"property": obj.property_id, "name": "南区垃圾房", "active": "on"}


class TestWasteCategoryLabelViews(CrudViewTests):
    model = WasteCategoryLabel
    factory = WasteCategoryLabelFactory

    def make_object(self, property_):
        taken = set(
            WasteCategoryLabel.objects.filter(property=property_).values_list("category", flat=True)
        )
        free = next(
            c
            for c in ("kitchen", "residual", "recyclable", "hazardous", "renovation", "bulky")
            if c not in taken
        )
        return WasteCategoryLabelFactory(property=property_, category=free)

    def form_data(self, property_):
        return {"property": property_.pk, "category": "residual", "label": "干垃圾"}

    def test_list_query_count_does_not_grow_with_rows(self, client, home):
        """A property renames at most six categories: the rows come from three properties."""
        more = [PropertyFactory(), PropertyFactory()]
        client.force_login(self.user("view", properties=[home, *more]))
        self.make_object(home)
        client.get(self.url("list"))
        with CaptureQueriesContext(connection) as few:
            client.get(self.url("list"))
        for property_ in (home, *more):
            for _ in range(3):
                self.make_object(property_)
        with CaptureQueriesContext(connection) as many:
            response = client.get(self.url("list"))
        assert len(response.context["table"].page.object_list) == 10
        assert len(many) == len(few)

    def edit_data(self, obj):
        return {"property": obj.property_id, "category": obj.category, "label": "湿垃圾"}


class TestCollectionScheduleViews(CrudViewTests):
    model = CollectionSchedule

    def make_object(self, property_):
        return CollectionScheduleFactory(point=CollectionPointFactory(property=property_))

    def form_data(self, property_):
        return {
            "point": CollectionPointFactory(property=property_).pk,
            "category": "kitchen",
            "hauler": SupplierFactory().pk,
            "unit": "weekdays",
            "interval": "1",
            "weekdays": ["0", "2", "4"],
            "window_start": "06:30",
            "window_hours": "2",
            "starts_on": "2026-11-23",
            "active": "on",
        }

    def edit_data(self, obj):
        return {
            "point": obj.point_id,
            "category": "residual",
            "unit": "days",
            "interval": "1",
            "window_start": "19:00",
            "window_hours": "3",
            "starts_on": "2026-11-23",
            "next_due": "2026-11-24",
            "active": "on",
        }


class TestExpectedCollectionViews(CrudViewTests):
    """Expected collections are made by the generator: list and detail."""

    model = ExpectedCollection

    def make_object(self, property_):
        schedule = CollectionScheduleFactory(point=CollectionPointFactory(property=property_))
        start, end = schedule.window_on(DAY)
        return ExpectedCollection.objects.create(
            schedule=schedule,
            point=schedule.point,
            category=schedule.category,
            due_on=DAY,
            window_start=start,
            window_end=end,
        )


class TestWasteCollectionViews(CrudViewTests):
    model = WasteCollection

    def make_object(self, property_):
        return WasteCollectionFactory(point=CollectionPointFactory(property=property_))

    def form_data(self, property_):
        return {
            "point": CollectionPointFactory(property=property_).pk,
            "category": "recyclable",
            "collected_at": "2026-11-23T07:15",
            "bins": "3",
            "weight_kg": "",
            "hauler": SupplierFactory().pk,
            "manifest_number": "LD-2026-0001",
        }

    def edit_data(self, obj):
        return {
            "point": obj.point_id,
            "category": obj.category,
            "collected_at": "2026-11-23T08:00",
            "bins": "",
            "weight_kg": "210.5",
        }


def test_a_collection_needs_bins_or_weight_and_neither_negative(client):
    point = CollectionPointFactory()
    user = UserFactory(
        perms=["cleaning.view_wastecollection", "cleaning.add_wastecollection"],
        properties=[point.property],
    )
    client.force_login(user)
    url = reverse("cleaning:wastecollection_record")
    base = {"point": point.pk, "category": "kitchen", "collected_at": "2026-11-23T07:15"}
    for bad in ({}, {"bins": "-1"}, {"weight_kg": "-3"}, {"bins": "x", "weight_kg": "1e999"}):
        response = client.post(url, {**base, **bad})
        assert response.status_code == HTTPStatus.OK, bad
        assert response.context["form"].errors, bad
    assert not WasteCollection.objects.exists()
    response = client.post(url, {**base, "weight_kg": "95.5"})
    assert response.status_code == HTTPStatus.FOUND
    made = WasteCollection.objects.get()
    assert made.weight_kg == Decimal("95.50") and made.bins is None
    assert made.recorded_by == user


def test_the_database_refuses_a_collection_with_neither_bins_nor_weight():
    point = CollectionPointFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        WasteCollection.objects.create(point=point, category="kitchen")
    with pytest.raises(IntegrityError), transaction.atomic():
        WasteCollection.objects.create(point=point, category="kitchen", weight_kg=Decimal("-1"))


def test_recording_from_an_expected_collection_fills_in_its_point_and_hauler(client):
    hauler = SupplierFactory(name="城环清运公司")
    schedule = CollectionScheduleFactory(hauler=hauler, category="residual")
    start, end = schedule.window_on(DAY)
    expected = ExpectedCollection.objects.create(
        schedule=schedule,
        point=schedule.point,
        category="residual",
        due_on=DAY,
        window_start=start,
        window_end=end,
        hauler=hauler,
    )
    WasteCategoryLabelFactory(property=schedule.point.property, category="residual", label="干垃圾")
    client.force_login(
        UserFactory(
            perms=["cleaning.add_wastecollection", "cleaning.view_wastecollection"],
            properties=[schedule.point.property],
        )
    )
    response = client.get(reverse("cleaning:wastecollection_record"), {"expected": expected.pk})
    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert form.initial["point"] == schedule.point_id
    assert form.initial["hauler"] == hauler.pk
    assert "干垃圾" in response.content.decode()
    # Another property's expected collection is not read.
    other = ExpectedCollection.objects.create(
        schedule=CollectionScheduleFactory(),
        point=CollectionPointFactory(),
        category="kitchen",
        due_on=DAY,
        window_start=start,
        window_end=end,
    )
    response = client.get(reverse("cleaning:wastecollection_record"), {"expected": other.pk})
    assert (
        "point" not in response.context["form"].initial
        or response.context["form"].initial.get("point") != other.point_id
    )


def test_the_hauler_of_the_only_schedule_is_filled_in_when_left_empty(client):
    hauler = SupplierFactory()
    schedule = CollectionScheduleFactory(hauler=hauler, category="kitchen")
    client.force_login(
        UserFactory(perms=["cleaning.add_wastecollection"], properties=[schedule.point.property])
    )
    response = client.post(
        reverse("cleaning:wastecollection_record"),
        {
            "point": schedule.point_id,
            "category": "kitchen",
            "collected_at": "2026-11-23T07:15",
            "bins": "2",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert WasteCollection.objects.get().hauler == hauler


def test_a_window_outside_one_to_24_hours_is_refused(client):
    point = CollectionPointFactory()
    client.force_login(
        UserFactory(perms=["cleaning.add_collectionschedule"], properties=[point.property])
    )
    for hours in ("0", "25", "-1"):
        response = client.post(
            reverse("cleaning:collectionschedule_add"),
            {
                "point": point.pk,
                "category": "kitchen",
                "unit": "days",
                "interval": "1",
                "window_start": "07:00",
                "window_hours": hours,
                "starts_on": "2026-11-23",
            },
        )
        assert response.status_code == HTTPStatus.OK
        assert "window_hours" in response.context["form"].errors
    assert not CollectionSchedule.objects.exists()
