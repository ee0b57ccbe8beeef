"""Incidents: the response timeline in order (service, form and database), the review with
its root cause, and corrective actions verified by someone other than their owner."""

import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safety import services
from safety.models import ActionStatus, CorrectiveAction, Incident, IncidentStatus
from tests.factories import UserFactory
from tests.staff.factories import EmployeeFactory

from .factories_hazards import CorrectiveActionFactory, IncidentFactory

pytestmark = pytest.mark.django_db

PERMS = [
    "safety.view_incident",
    "safety.change_incident",
    "safety.view_correctiveaction",
    "safety.change_correctiveaction",
]


def officer(property_):
    return UserFactory(properties=[property_], perms=PERMS)


def test_the_response_in_order_to_reviewed(property_a):
    user = officer(property_a)
    incident = IncidentFactory(property=property_a)
    now = timezone.now()
    services.respond(incident, by=user, at=now - datetime.timedelta(minutes=50))
    services.arrive(incident, by=user, at=now - datetime.timedelta(minutes=40))
    services.resolve(
        incident, by=user, at=now - datetime.timedelta(minutes=10), actions_taken="关阀"
    )
    services.review(incident, by=user, root_cause="水管老化")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.REVIEWED
    assert incident.responded_at < incident.on_scene_at < incident.resolved_at
    assert incident.actions_taken == "关阀" and incident.reviewed_by == user


def test_a_step_before_the_one_before_it_is_refused(property_a):
    user = officer(property_a)
    incident = IncidentFactory(property=property_a)
    with pytest.raises(ValidationError):
        services.respond(incident, by=user, at=incident.reported_at - datetime.timedelta(minutes=1))
    services.respond(incident, by=user)
    incident.refresh_from_db()
    with pytest.raises(ValidationError):
        services.arrive(incident, by=user, at=incident.responded_at - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.resolve(incident, by=user, at=incident.responded_at - datetime.timedelta(hours=1))
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESPONDING and incident.resolved_at is None


def test_resolving_needs_a_response_and_review_needs_a_root_cause(property_a):
    user = officer(property_a)
    incident = IncidentFactory(property=property_a)
    with pytest.raises(ValidationError):
        services.resolve(incident, by=user)
    services.respond(incident, by=user)
    services.resolve(incident, by=user)
    with pytest.raises(ValidationError):
        services.review(incident, by=user, root_cause=" ")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED


@pytest.mark.parametrize(
    "fields",
    [
        {"reported_at": -90},  # reported before it happened (an hour before)
        {"responded_at": -2},  # responded before it was reported
        {"responded_at": 1, "on_scene_at": 0},  # on scene before responding
        {"on_scene_at": 1},  # on scene with no response
        {"responded_at": 1, "on_scene_at": 3, "resolved_at": 2},  # resolved before arriving
        {"resolved_at": 2},  # resolved with no response
    ],
)
def test_the_database_keeps_the_timeline_in_order(property_a, fields):
    incident = IncidentFactory(property=property_a)
    base = incident.reported_at
    values = {name: base + datetime.timedelta(minutes=m) for name, m in fields.items()}
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(**values)


def test_the_form_refuses_a_report_before_the_incident(client, property_a):
    user = UserFactory(properties=[property_a], perms=["safety.add_incident"])
    client.force_login(user)
    response = client.post(
        "/safety/incidents/new/",
        {
            "property": property_a.pk,
            "kind": "theft",
            "severity": "minor",
            "occurred_at": "2026-11-20T10:00",
            "reported_at": "2026-11-20T09:00",
            "description": "电动车被盗",
            "losses": "1500",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    assert not Incident.objects.exists()


def test_negative_losses_are_refused(client, property_a):
    user = UserFactory(properties=[property_a], perms=["safety.add_incident"])
    client.force_login(user)
    response = client.post(
        "/safety/incidents/new/",
        {
            "property": property_a.pk,
            "kind": "theft",
            "severity": "minor",
            "occurred_at": "2026-11-20T09:00",
            "reported_at": "2026-11-20T09:10",
            "description": "电动车被盗",
            "losses": "-1",
        },
    )
    assert "losses" in response.context["form"].errors
    assert not Incident.objects.exists()


def test_the_buttons_over_http_with_hostile_times(client, property_a):
    user = officer(property_a)
    incident = IncidentFactory(property=property_a)
    client.force_login(user)
    for data in ({"at": "0001-01-01T00:00"}, {"at": "not a time"}, {"at": "9999-12-31T23:59"}):
        response = client.post(f"/safety/incidents/{incident.pk}/respond/", data)
        assert response.status_code == HTTPStatus.FOUND
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.OPEN
    client.post(f"/safety/incidents/{incident.pk}/respond/")
    client.post(f"/safety/incidents/{incident.pk}/on-scene/")
    client.post(f"/safety/incidents/{incident.pk}/resolve/", {"note": "处理完毕"})
    response = client.post(f"/safety/incidents/{incident.pk}/review/", {"root_cause": "巡查不到位"})
    assert response.status_code == HTTPStatus.FOUND
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.REVIEWED and incident.on_scene_at is not None


def test_another_propertys_incident_actions_are_not_found(client, property_a, property_b):
    incident = IncidentFactory(property=property_b)
    action = CorrectiveActionFactory(incident=incident)
    client.force_login(officer(property_a))
    for name in ("respond", "on-scene", "resolve", "review"):
        assert client.post(f"/safety/incidents/{incident.pk}/{name}/").status_code == 404
    for name in ("done", "verify", "reopen"):
        url = f"/safety/corrective-actions/{action.pk}/{name}/"
        assert client.post(url).status_code == HTTPStatus.NOT_FOUND


# --- corrective actions ---------------------------------------------------------------------


def owned_action(property_):
    owner_user = officer(property_)
    owner = EmployeeFactory(property=property_, user=owner_user)
    incident = IncidentFactory(property=property_)
    return CorrectiveActionFactory(incident=incident, owner=owner), owner_user


def test_a_corrective_action_done_then_verified_by_another(property_a):
    action, owner_user = owned_action(property_a)
    checker = officer(property_a)
    services.mark_action_done(action, by=owner_user, note="已加装报警器")
    with pytest.raises(ValidationError, match="owner"):
        services.verify_action(action, by=owner_user)
    services.verify_action(action, by=checker)
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED and action.verified_by == checker


def test_a_corrective_action_not_accepted_goes_back_to_its_owner(property_a):
    action, owner_user = owned_action(property_a)
    checker = officer(property_a)
    services.mark_action_done(action, by=owner_user)
    services.verify_action(action, by=checker, passed=False, note="未完成")
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.done_at is None


def test_verifying_before_done_is_refused(property_a):
    action, _owner_user = owned_action(property_a)
    with pytest.raises(ValidationError):
        services.verify_action(action, by=officer(property_a))


def test_the_database_refuses_the_owner_as_verifier_of_an_action(property_a):
    action, _owner_user = owned_action(property_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectiveAction.objects.filter(pk=action.pk).update(verifier=action.owner)


def test_the_action_form_refuses_an_owner_of_another_property(client, property_a, property_b):
    user = UserFactory(
        properties=[property_a, property_b],
        perms=["safety.add_correctiveaction", "safety.view_correctiveaction"],
    )
    client.force_login(user)
    incident = IncidentFactory(property=property_a)
    response = client.post(
        "/safety/corrective-actions/new/",
        {
            "incident": incident.pk,
            "description": "培训",
            "owner": EmployeeFactory(property=property_b).pk,
            "due_on": "2026-12-20",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "owner" in response.context["form"].errors
    assert not CorrectiveAction.objects.exists()
