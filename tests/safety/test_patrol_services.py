"""Patrols: round generation, scanning (tokens, typed codes, idempotent client ids, far
scans), the round analysis, closing expired rounds, acknowledgement and completion rates."""

import datetime
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from safety.models import PatrolRound, RoundStatus, Scan
from safety.services.patrols import (
    acknowledge_round,
    analyse_round,
    close_expired_rounds,
    completion_rates,
    distance_m,
    generate_rounds,
    record_scan,
    summarise_round,
)
from tests.factories import PropertyFactory, UserFactory

from .factories_patrols import (
    CheckpointFactory,
    PatrolRoundFactory,
    PatrolRouteFactory,
    PatrolScheduleFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 2)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def guard_of(property_):
    return UserFactory(perms=["safety.add_scan", "safety.view_scan"], properties=[property_])


@pytest.fixture
def route():
    route = PatrolRouteFactory()
    for position in (1, 2, 3):
        CheckpointFactory(route=route, position=position)
    return route


def points(route):
    return list(route.checkpoints.order_by("position"))


# --- generation -------------------------------------------------------------------------------


def test_generation_is_idempotent_and_catches_up(route):
    schedule = PatrolScheduleFactory(route=route, starts_on=DAY, next_due=DAY)
    with time_machine.travel(at(DAY, 6), tick=False):
        made = generate_rounds()
        assert len(made) == 4  # 08:00 and 20:00, today and tomorrow
        assert generate_rounds() == []
    assert PatrolRound.objects.count() == 4
    with time_machine.travel(at(DAY + datetime.timedelta(days=4), 6), tick=False):
        made = generate_rounds()
    # The two days without a run, today and the lead day: two rounds each.
    assert len(made) == 8
    starts = sorted(r.window_start for r in PatrolRound.objects.filter(schedule=schedule))
    assert starts[0] == at(DAY, 8) and starts[-1] == at(DAY + datetime.timedelta(days=5), 20)
    assert len(set(starts)) == len(starts) == 12
    first = PatrolRound.objects.get(window_start=at(DAY, 8))
    assert first.window_end == at(DAY, 9)
    assert first.status == RoundStatus.PENDING


def test_every_n_hours_and_inactive_routes(route):
    PatrolScheduleFactory(
        route=route,
        times="",
        first_round=datetime.time(6),
        every_hours=8,
        starts_on=DAY,
        next_due=DAY,
    )
    quiet = PatrolRouteFactory(active=False)
    PatrolScheduleFactory(route=quiet, starts_on=DAY, next_due=DAY)
    generate_rounds(DAY)
    hours = sorted(
        timezone.localtime(r.window_start).hour for r in PatrolRound.objects.filter(due_on=DAY)
    )
    assert hours == [6, 14, 22]
    assert not PatrolRound.objects.filter(route=quiet).exists()


# --- scanning ---------------------------------------------------------------------------------


def test_a_scan_needs_a_valid_token_of_ones_own_property(route):
    round_ = PatrolRoundFactory(route=route, due_on=DAY)
    first = points(route)[0]
    stranger = guard_of(PropertyFactory())
    now = at(DAY, 8, 5)
    for code, user in (
        ("not-a-token-at-all-but-long", guard_of(route.property)),
        (first.token, stranger),
        (first.code, stranger),
        ("", guard_of(route.property)),
        ("x" * 500, guard_of(route.property)),
    ):
        with pytest.raises(ValidationError):
            record_scan(code, user, now=now)
    assert not Scan.objects.exists()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PENDING


def test_no_open_round_records_nothing(route):
    PatrolRoundFactory(route=route, due_on=DAY)
    guard = guard_of(route.property)
    with pytest.raises(ValidationError, match="open"):
        record_scan(points(route)[0].token, guard, now=at(DAY, 12))
    assert not Scan.objects.exists()


def test_scans_start_and_complete_the_round(route):
    round_ = PatrolRoundFactory(route=route, due_on=DAY)
    guard = guard_of(route.property)
    first, second, third = points(route)
    result = record_scan(first.token, guard, now=at(DAY, 8, 5))
    assert result.created
    round_.refresh_from_db()
    assert (round_.status, round_.guard, round_.started_at) == (
        RoundStatus.IN_PROGRESS,
        guard,
        at(DAY, 8, 5),
    )
    # Typed in lower case: the short code still matches.
    record_scan(second.code.lower(), guard, typed=True, now=at(DAY, 8, 10))
    assert Scan.objects.get(checkpoint=second).typed
    again = record_scan(second.token, guard, now=at(DAY, 8, 11))
    assert not again.created and Scan.objects.count() == 2
    record_scan(third.token, guard, now=at(DAY, 8, 15))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.COMPLETE
    assert round_.finished_at == at(DAY, 8, 15)


def test_the_same_client_id_twice_records_one_scan(route):
    PatrolRoundFactory(route=route, due_on=DAY)
    guard = guard_of(route.property)
    client_id = uuid.uuid4()
    first = record_scan(points(route)[0].token, guard, client_id=client_id, now=at(DAY, 8, 5))
    second = record_scan(points(route)[0].token, guard, client_id=client_id, now=at(DAY, 8, 30))
    assert first.created and not second.created
    assert second.scan.pk == first.scan.pk
    assert Scan.objects.count() == 1
    with pytest.raises(ValidationError):
        record_scan(points(route)[1].token, guard_of(route.property), client_id=client_id)


def test_a_late_upload_finds_its_round_by_the_phones_time(route):
    round_ = PatrolRoundFactory(route=route, due_on=DAY)
    guard = guard_of(route.property)
    close_expired_rounds(at(DAY, 10))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.EXPIRED
    record_scan(points(route)[0].token, guard, device_time=at(DAY, 8, 20), now=at(DAY, 11))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.INCOMPLETE
    # A phone clock far in the past (or future) is not believed.
    with pytest.raises(ValidationError):
        record_scan(points(route)[1].token, guard, device_time=at(DAY, 8, 20), now=at(DAY, 23))


def test_a_far_scan_is_recorded_and_flagged(route):
    PatrolRoundFactory(route=route, due_on=DAY)
    first, second, _third = points(route)
    for checkpoint in (first, second):
        checkpoint.latitude, checkpoint.longitude, checkpoint.radius_m = (
            Decimal("31.230000"),
            Decimal("121.470000"),
            50,
        )
        checkpoint.save()
    guard = guard_of(route.property)
    near = record_scan(
        first.token,
        guard,
        latitude=Decimal("31.230200"),
        longitude=Decimal("121.470000"),
        now=at(DAY, 8, 5),
    ).scan
    far = record_scan(
        second.token,
        guard,
        latitude=Decimal("31.240000"),
        longitude=Decimal("121.470000"),
        now=at(DAY, 8, 10),
    ).scan
    assert not near.far_from_checkpoint and 20 <= near.distance_m <= 25
    assert far.far_from_checkpoint and 1100 <= far.distance_m <= 1120
    assert round(distance_m(0, 0, 0, 1)) == 111195


# --- analysis, closing, acknowledgement -------------------------------------------------------


def test_analysis_names_missing_late_and_out_of_order_checkpoints(route):
    round_ = PatrolRoundFactory(route=route, due_on=DAY)
    first, second, third = points(route)
    first.offset_minutes = 5
    first.save()
    guard = guard_of(route.property)
    record_scan(third.token, guard, now=at(DAY, 8, 10))
    record_scan(first.token, guard, now=at(DAY, 8, 20))  # due by 08:05 + 10 min grace
    results = {r.checkpoint: r for r in analyse_round(round_)}
    assert results[first].late and results[first].out_of_order
    assert not results[third].late and not results[third].out_of_order
    assert results[second].missing
    close_expired_rounds(at(DAY, 9, 1))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.INCOMPLETE
    summary = summarise_round(round_, now=at(DAY, 9, 1))
    assert (summary.missing, summary.late, summary.out_of_order) == (1, 1, 1)


def test_close_expired_rounds(route):
    walked = PatrolRoundFactory(route=route, due_on=DAY)
    unwalked = PatrolRoundFactory(route=PatrolRouteFactory(), due_on=DAY)
    later = PatrolRoundFactory(route=route, due_on=DAY, window_start=at(DAY, 20))
    record_scan(points(route)[0].token, guard_of(route.property), now=at(DAY, 8, 5))
    assert close_expired_rounds(at(DAY, 9, 30)) == (1, 1)
    assert close_expired_rounds(at(DAY, 9, 30)) == (0, 0)
    for round_, status in (
        (walked, RoundStatus.INCOMPLETE),
        (unwalked, RoundStatus.EXPIRED),
        (later, RoundStatus.PENDING),
    ):
        round_.refresh_from_db()
        assert round_.status == status


def test_acknowledging_a_late_round(route):
    round_ = PatrolRoundFactory(route=route, due_on=DAY)
    boss = UserFactory(properties=[route.property])
    with pytest.raises(ValidationError):
        acknowledge_round(round_, by=boss, comment="", now=at(DAY, 9))
    with pytest.raises(ValidationError):  # not late yet
        acknowledge_round(round_, by=boss, comment="x", now=at(DAY, 8, 5))
    acknowledge_round(round_, by=boss, comment="保安临时处理突发事件", now=at(DAY, 9))
    round_.refresh_from_db()
    assert round_.acknowledged_by == boss and round_.acknowledgement
    with pytest.raises(ValidationError):
        acknowledge_round(round_, by=boss, comment="again", now=at(DAY, 9))


def test_completion_rates_by_route_guard_and_month(route):
    guard = guard_of(route.property)
    complete = PatrolRoundFactory(route=route, due_on=DAY, status=RoundStatus.COMPLETE)
    complete.guard = guard
    complete.save()
    PatrolRoundFactory(
        route=route,
        due_on=DAY,
        window_start=at(DAY, 14),
        status=RoundStatus.INCOMPLETE,
        guard=guard,
    )
    PatrolRoundFactory(route=route, due_on=DAY, window_start=at(DAY, 20))  # still pending
    by_route = completion_rates(PatrolRound.objects.all(), "route")
    assert [(r["route_id"], r["closed"], r["complete"], r["rate"]) for r in by_route] == [
        (route.pk, 2, 1, Decimal("50.0"))
    ]
    assert completion_rates(PatrolRound.objects.all(), "guard")[0]["guard_id"] == guard.pk
    [month] = completion_rates(PatrolRound.objects.all(), "month")
    assert month["closed"] == 2
