"""The shared CRUD checks of the patrol pages; a checkpoint's token is never listed."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from safety.models import Checkpoint, PatrolRound, PatrolRoute, PatrolSchedule, Scan
from tests.crud import CrudViewTests
from tests.factories import LocationFactory, UserFactory

from .factories_patrols import (
    CheckpointFactory,
    PatrolRoundFactory,
    PatrolRouteFactory,
    PatrolScheduleFactory,
    ScanFactory,
)

pytestmark = pytest.mark.django_db


class TestPatrolRouteViews(CrudViewTests):
    model = PatrolRoute
    factory = PatrolRouteFactory

    def form_data(self, property_):
        return {"property": property_.pk, "name": "南区夜巡", "active": "on"}

    def edit_data(self, obj):
        return {"property": obj.property_id, "name": "北区夜巡", "active": "on"}


class TestCheckpointViews(CrudViewTests):
    model = Checkpoint

    def make_object(self, property_):
        return CheckpointFactory(route=PatrolRouteFactory(property=property_))

    def form_data(self, property_):
        return {
            "route": PatrolRouteFactory(property=property_).pk,
            "position": "1",
            "name": "车库入口",
            "location": LocationFactory(property=property_).pk,
            "latitude": "31.230400",
            "longitude": "121.473700",
            "radius_m": "50",
            "active": "on",
        }

    def edit_data(self, obj):
        return {
            "route": obj.route_id,
            "position": obj.position,
            "name": "车库出口",
            "radius_m": "80",
            "active": "on",
        }

    def test_token_is_never_in_the_list_or_export(self, client, home):
        checkpoint = self.make_object(home)
        client.force_login(self.user("view", properties=[home]))
        for params in ({}, {"_export": "csv"}, {"q": checkpoint.code}):
            response = client.get(self.url("list"), params)
            assert response.status_code == HTTPStatus.OK
            body = b"".join(response) if response.streaming else response.content
            assert checkpoint.token.encode() not in body
            if not params:
                assert checkpoint.code.encode() in body

    def test_the_qr_code_is_shown_only_to_who_may_change(self, client, home):
        checkpoint = self.make_object(home)
        client.force_login(self.user("view", properties=[home]))
        assert "qr" not in client.get(self.url("detail", checkpoint)).context
        client.force_login(self.user("view", "change", properties=[home]))
        assert client.get(self.url("detail", checkpoint)).context["qr"].startswith("<svg")

    def test_half_a_position_is_refused(self, client, home):
        client.force_login(self.user("view", "add", properties=[home]))
        data = {**self.form_data(home), "longitude": ""}
        response = client.post(self.url("add"), data)
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors
        assert not Checkpoint.objects.exists()


class TestPatrolScheduleViews(CrudViewTests):
    model = PatrolSchedule

    def make_object(self, property_):
        return PatrolScheduleFactory(route=PatrolRouteFactory(property=property_))

    def form_data(self, property_):
        return {
            "route": PatrolRouteFactory(property=property_).pk,
            "unit": "days",
            "interval": "1",
            "times": "22:00,08:00, 14:00",
            "window_minutes": "60",
            "starts_on": "2026-11-23",
            "active": "on",
        }

    def edit_data(self, obj):
        return {
            "route": obj.route_id,
            "unit": "weekdays",
            "interval": "1",
            "weekdays": ["0", "2"],
            "first_round": "06:00",
            "every_hours": "4",
            "window_minutes": "45",
            "starts_on": "2026-11-23",
            "next_due": "2026-11-23",
            "active": "on",
        }

    def test_times_are_sorted_and_bad_ones_refused(self, client, home):
        client.force_login(self.user("view", "add", properties=[home]))
        response = client.post(self.url("add"), self.form_data(home))
        assert response.status_code == HTTPStatus.FOUND
        assert PatrolSchedule.objects.get().times == "08:00, 14:00, 22:00"
        for bad in ("25:00", "8h", "08:00;09:00"):
            response = client.post(self.url("add"), {**self.form_data(home), "times": bad})
            assert response.status_code == HTTPStatus.OK
            assert "times" in response.context["form"].errors
        response = client.post(self.url("add"), {**self.form_data(home), "times": ""})
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors
        assert PatrolSchedule.objects.count() == 1


class TestPatrolRoundViews(CrudViewTests):
    model = PatrolRound

    def make_object(self, property_):
        return PatrolRoundFactory(route=PatrolRouteFactory(property=property_))


class TestScanViews(CrudViewTests):
    model = Scan

    def make_object(self, property_):
        return ScanFactory(round=PatrolRoundFactory(route=PatrolRouteFactory(property=property_)))


def test_qr_sheet_lists_the_routes_checkpoints_and_is_scoped(client):
    home = CheckpointFactory().route.property
    route = home.patrol_routes.get()
    CheckpointFactory(route=route)
    stranger = PatrolRouteFactory()
    url = reverse("safety:patrolroute_qr", args=[route.pk])
    viewer = UserFactory(perms=["safety.view_checkpoint"], properties=[home])
    client.force_login(viewer)
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    editor = UserFactory(perms=["safety.change_checkpoint"], properties=[home])
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["labels"]) == 2
    assert response.content.count(b"<svg") == 2
    other = reverse("safety:patrolroute_qr", args=[stranger.pk])
    assert client.get(other).status_code == HTTPStatus.NOT_FOUND
