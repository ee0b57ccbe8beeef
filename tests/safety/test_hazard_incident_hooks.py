"""Reminders per kind (at a fixed date), My work, calendar, search and monthly figures of
hazards and incidents."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from core.roles import DIRECTOR, SECURITY_SUPERVISOR
from core.search import parse
from safety import providers_hazards as hooks
from safety import services
from tests.factories import UserFactory
from tests.staff.factories import EmployeeFactory

from .factories_hazards import CorrectiveActionFactory, HazardFactory, IncidentFactory, photo

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 23)


def at(day, hour=7):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return time_machine.travel(moment, tick=False)


def kinds(items, user):
    return [(r.kind.key, r.obj) for r in items if r.recipient == user]


@pytest.fixture
def supervisor(property_a):
    return UserFactory(groups=[SECURITY_SUPERVISOR], properties=[property_a])


@pytest.fixture
def director():
    return UserFactory(groups=[DIRECTOR])


def test_hazards_due_within_3_days_and_overdue(property_a, supervisor, director):
    with at(DAY):
        owner_user = UserFactory(properties=[property_a])
        owner = EmployeeFactory(property=property_a, user=owner_user)
        soon = HazardFactory(property=property_a, owner=owner, deadline=DAY + datetime.timedelta(3))
        later = HazardFactory(property=property_a, deadline=DAY + datetime.timedelta(4))
        late = HazardFactory(property=property_a, deadline=DAY - datetime.timedelta(1))
        major = HazardFactory(
            property=property_a, grade="major", deadline=DAY - datetime.timedelta(5)
        )
        due = list(hooks.hazards_due(DAY))
        overdue = list(hooks.hazards_overdue(DAY))
    assert kinds(due, supervisor) == [("safety.hazard_due", soon)]
    assert kinds(due, owner_user) == [("safety.hazard_due", soon)]
    assert later not in [r.obj for r in due]
    assert kinds(overdue, supervisor) == [
        ("safety.hazard_overdue", major),
        ("safety.hazard_overdue", late),
    ]
    # Major hazards also go to the director; general ones do not.
    assert kinds(overdue, director) == [("safety.hazard_overdue", major)]
    assert kinds(due, director) == []


def test_a_closed_hazard_reminds_nobody(property_a, supervisor):
    hazard = HazardFactory(property=property_a, deadline=DAY - datetime.timedelta(2))
    checker = UserFactory(properties=[property_a])
    services.start_rectifying(hazard, by=checker)
    services.ask_for_verification(hazard, by=checker, note="done", after_photo=photo())
    services.verify_hazard(hazard, by=checker, passed=True)
    assert list(hooks.hazards_overdue(DAY)) == []


def test_corrective_actions_overdue(property_a, supervisor):
    owner_user = UserFactory(properties=[property_a])
    incident = IncidentFactory(property=property_a)
    late = CorrectiveActionFactory(
        incident=incident,
        owner=EmployeeFactory(property=property_a, user=owner_user),
        due_on=DAY - datetime.timedelta(1),
    )
    CorrectiveActionFactory(incident=incident, due_on=DAY)  # due today: not overdue yet
    done = CorrectiveActionFactory(incident=incident, due_on=DAY - datetime.timedelta(3))
    services.mark_action_done(done, by=owner_user)
    found = list(hooks.actions_overdue(DAY))
    assert kinds(found, supervisor) == [("safety.action_overdue", late)]
    assert kinds(found, owner_user) == [("safety.action_overdue", late)]


def test_another_propertys_supervisor_is_not_reminded(property_a, property_b):
    elsewhere = UserFactory(groups=[SECURITY_SUPERVISOR], properties=[property_b])
    HazardFactory(property=property_a, deadline=DAY - datetime.timedelta(1))
    assert kinds(hooks.hazards_overdue(DAY), elsewhere) == []


def test_my_work_for_the_owner_and_the_verifier(property_a, supervisor):
    owner_user = UserFactory(
        properties=[property_a],
        perms=["safety.change_hazard", "safety.change_correctiveaction"],
    )
    owner = EmployeeFactory(property=property_a, user=owner_user)
    mine = HazardFactory(property=property_a, owner=owner)
    HazardFactory(property=property_a)  # someone else's
    action = CorrectiveActionFactory(incident=IncidentFactory(property=property_a), owner=owner)
    today = timezone.localdate()
    assert [i.url for i in hooks.my_hazards(owner_user, today)] == [mine.get_absolute_url()]
    assert [i.url for i in hooks.my_corrective_actions(owner_user, today)] == [
        action.get_absolute_url()
    ]
    assert hooks.hazards_to_verify(owner_user, today) == []  # no verify permission
    services.start_rectifying(mine, by=owner_user)
    services.ask_for_verification(mine, by=owner_user, note="done", after_photo=photo())
    assert hooks.my_hazards(owner_user, today) == []
    assert [i.url for i in hooks.hazards_to_verify(supervisor, today)] == [mine.get_absolute_url()]


def test_calendar_search_and_month_figures(property_a, supervisor):
    today = timezone.localdate()
    hazard = HazardFactory(
        property=property_a, grade="major", description="燃气管道锈蚀", deadline=today
    )
    incident = IncidentFactory(property=property_a, kind="fire", description="厨房油烟着火")
    events = hooks.hazard_deadlines(supervisor, today, today + datetime.timedelta(days=1))
    assert [e.uid for e in events] == [f"safety.hazard.{hazard.pk}.deadline"]
    later = today + datetime.timedelta(1), today + datetime.timedelta(9)
    assert hooks.hazard_deadlines(supervisor, *later) == []
    assert [r.url for r in hooks.search_hazards(supervisor, parse("燃气管道"))] == [
        hazard.get_absolute_url()
    ]
    assert [r.url for r in hooks.search_hazards(supervisor, parse(hazard.number))] == [
        hazard.get_absolute_url()
    ]
    assert [r.url for r in hooks.search_incidents(supervisor, parse(incident.number))] == [
        incident.get_absolute_url()
    ]
    outsider = UserFactory(groups=[SECURITY_SUPERVISOR])
    assert hooks.search_hazards(outsider, parse("燃气管道")) == []
    figures = {f.key: f.value for f in hooks.month_figures(property_a, today)}
    assert figures["safety.hazards_found_major"] == 1
    assert figures["safety.hazards_found_general"] == 0
    assert figures["safety.incidents_fire"] == 1 and figures["safety.incidents"] == 1


def test_the_hooks_are_declared():
    from core.registry import providers

    names = {p.name for p in providers("reminders", "safety")}
    assert {"hazards_due", "hazards_overdue", "actions_overdue"} <= names
    assert {p.name for p in providers("search", "safety")} >= {
        "search_hazards",
        "search_incidents",
    }


def test_the_pages_show_on_a_phone_with_the_buttons(client, property_a, supervisor):
    hazard = HazardFactory(property=property_a)
    client.force_login(supervisor)
    page = client.get(hazard.get_absolute_url(), HTTP_USER_AGENT="iPhone")
    assert page.status_code == 200
    assert f"/safety/hazards/{hazard.pk}/start/".encode() in page.content
    assert f"/safety/hazards/{hazard.pk}/repair/".encode() in page.content
    incident = IncidentFactory(property=property_a)
    page = client.get(incident.get_absolute_url())
    assert f"/safety/incidents/{incident.pk}/respond/".encode() in page.content
