"""What patrols offer the rest of the site: reminders (to the security supervisor of the
property), My work, calendar, search (never by token), monthly figures, appraisal measures,
and the demo seed."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from core.roles import GUARD, SECURITY_SUPERVISOR
from core.search import parse
from safety import providers_patrols as providers
from safety.models import Checkpoint, PatrolRound, PatrolRoute, RoundStatus, Scan
from safety.services.patrols import close_expired_rounds, generate_rounds, record_scan
from tests.factories import PropertyFactory, UserFactory
from tests.staff.factories import EmployeeFactory

from .factories_patrols import CheckpointFactory, PatrolRouteFactory, PatrolScheduleFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 2)
NEXT = DAY + datetime.timedelta(days=1)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def route():
    route = PatrolRouteFactory()
    CheckpointFactory(route=route, position=1, name="地下车库入口")
    CheckpointFactory(route=route, position=2)
    PatrolScheduleFactory(route=route, starts_on=DAY, next_due=DAY)  # 08:00 and 20:00
    return route


def test_missed_and_late_rounds_remind_the_supervisor_of_the_property(route):
    boss = UserFactory(groups=[SECURITY_SUPERVISOR], properties=[route.property])
    elsewhere = UserFactory(groups=[SECURITY_SUPERVISOR], properties=[PropertyFactory()])
    guard = UserFactory(groups=[GUARD], properties=[route.property])
    with time_machine.travel(at(DAY, 6), tick=False):
        generate_rounds()
    # 08:00 walked on time and complete; 20:00 started late and left incomplete.
    for checkpoint in route.checkpoints.all():
        record_scan(checkpoint.token, guard, now=at(DAY, 8, 5))
    record_scan(route.checkpoints.first().token, guard, now=at(DAY, 20, 40))
    with time_machine.travel(at(NEXT, 0, 15), tick=False):
        close_expired_rounds()
    missed = list(providers.missed_rounds(NEXT))
    assert [(r.recipient, timezone.localtime(r.obj.window_start).hour) for r in missed] == [
        (boss, 20)
    ]
    assert elsewhere not in {r.recipient for r in missed}
    late = list(providers.late_rounds(NEXT))
    assert [(r.recipient, r.obj.status) for r in late] == [(boss, RoundStatus.INCOMPLETE)]
    # The day after, only that day's yesterday is reminded of (its rounds were never walked).
    later = providers.missed_rounds(NEXT + datetime.timedelta(days=1))
    assert {r.obj.due_on for r in later} == {NEXT}


def test_my_work_lists_the_rounds_a_guard_walks_today(route):
    guard = UserFactory(groups=[GUARD], properties=[route.property])
    outsider = UserFactory(groups=[GUARD], properties=[PropertyFactory()])
    viewer = UserFactory(perms=["safety.view_patrolround"], properties=[route.property])
    with time_machine.travel(at(DAY, 7), tick=False):
        generate_rounds()
        items = providers.rounds_to_walk(guard, DAY)
        assert [item.title for item in items] == [route.name, route.name]
        assert providers.rounds_to_walk(outsider, DAY) == []
        assert providers.rounds_to_walk(viewer, DAY) == []
    with time_machine.travel(at(DAY, 9, 30), tick=False):
        assert len(providers.rounds_to_walk(guard, DAY)) == 1  # 08:00's window is over


def test_calendar_search_figures_and_measures(route):
    boss = UserFactory(groups=[SECURITY_SUPERVISOR], properties=[route.property])
    guard = UserFactory(groups=[GUARD], properties=[route.property])
    EmployeeFactory(property=route.property, user=guard)
    with time_machine.travel(at(DAY, 6), tick=False):
        generate_rounds()
    for checkpoint in route.checkpoints.all():
        record_scan(checkpoint.token, guard, now=at(DAY, 8, 5))
    close_expired_rounds(at(NEXT, 0, 15))
    events = providers.patrol_rounds(boss, DAY, NEXT)
    shown = sorted((e.done, e.severity) for e in events if timezone.localdate(e.start) == DAY)
    assert shown == [(False, "danger"), (True, "")]
    checkpoint = Checkpoint.objects.get(name="地下车库入口")
    for text in ("车库", checkpoint.code.lower()):
        assert [r.title for r in providers.checkpoints(boss, parse(text))] == [checkpoint.name]
    assert providers.checkpoints(boss, parse(checkpoint.token)) == []
    outsider = UserFactory(groups=[SECURITY_SUPERVISOR], properties=[PropertyFactory()])
    assert providers.checkpoints(outsider, parse("车库")) == []
    figures = {f.key: f.value for f in providers.month_figures(route.property, DAY)}
    assert figures["safety.patrol_completion"] == 50
    assert figures["safety.patrol_rounds_missed"] == 1
    measures = {str(m.label): m.value for m in providers.guard_measures(guard.employee, DAY, DAY)}
    assert measures["Patrol round completion"] == 100  # the 20:00 round was nobody's


def test_the_demo_seeds_a_week_of_rounds_and_reminders_fire(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert PatrolRoute.objects.filter(property__code__in=["JLG", "HMC"]).count() == 2
    statuses = set(PatrolRound.objects.values_list("status", flat=True))
    assert {RoundStatus.COMPLETE, RoundStatus.INCOMPLETE, RoundStatus.EXPIRED} <= statuses
    assert Scan.objects.filter(scanned_by__username="guard").exists()
    assert list(providers.missed_rounds(timezone.localdate()))
    count = Scan.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Scan.objects.count() == count
