"""Patrols' part of seed_demo: a route of checkpoints at each demo property, four rounds a
day, and a week of rounds walked by the guards (most complete, some incomplete or never
started, one walked out of order). The demo login ``guard`` walks HMC's; ``security``
JLG's. Running it again adds nothing."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.models import Location, Property, User

from .models import Checkpoint, PatrolRoute, PatrolSchedule, RoundStatus, Scan
from .services.patrols import close_expired_rounds, generate_rounds

DAYS = 7
ROUTE_NAME = "夜间安全巡更"
TIMES = "02:00, 08:00, 14:00, 20:00"
# The property's rough position (for the scans' far-from-checkpoint check).
ORIGIN = {
    "JLG": (Decimal("31.230400"), Decimal("121.473700")),
    "HMC": (Decimal("31.240100"), Decimal("121.499000")),
}


def _route(property_, today):
    route = PatrolRoute.objects.create(property=property_, name=ROUTE_NAME, note="每班巡更四次")
    locations = list(Location.objects.filter(property=property_).order_by("code")[:5])
    lat, lon = ORIGIN.get(property_.code, (Decimal("31.23"), Decimal("121.47")))
    for index, location in enumerate(locations, start=1):
        Checkpoint.objects.create(
            route=route,
            position=index,
            name=f"{location.name}巡更点",
            location=location,
            latitude=lat + Decimal("0.0003") * index,
            longitude=lon,
            radius_m=60,
            offset_minutes=10 * index if index == 1 else None,
        )
    start = today - timedelta(days=DAYS)
    PatrolSchedule.objects.create(
        route=route,
        unit="days",
        interval=1,
        times=TIMES,
        window_minutes=60,
        starts_on=start,
        next_due=start,
    )
    return route


def _walk(round_, checkpoints, guard, generator, *, skip_last=False, swap=False):
    order = list(checkpoints)
    if skip_last:
        order = order[:-1]
    if swap and len(order) > 2:
        order[1], order[2] = order[2], order[1]
    when = round_.window_start + timedelta(minutes=generator.randint(2, 10))
    scans = []
    for checkpoint in order:
        when += timedelta(minutes=generator.randint(3, 8))
        scans.append(
            Scan(
                round=round_,
                checkpoint=checkpoint,
                scanned_by=guard,
                scanned_at=when,
                device_time=when,
                latitude=checkpoint.latitude,
                longitude=checkpoint.longitude,
                accuracy_m=generator.randint(5, 20),
                distance_m=0,
            )
        )
    Scan.objects.bulk_create(scans)
    round_.guard = guard
    round_.started_at = scans[0].scanned_at
    if skip_last:
        round_.status = RoundStatus.INCOMPLETE
    else:
        round_.status = RoundStatus.COMPLETE
        round_.finished_at = scans[-1].scanned_at
    round_.save(update_fields=["guard", "started_at", "finished_at", "status", "updated_at"])


def seed(*, scale=1, stdout=None):
    generator = random.Random(20261207)
    today = timezone.localdate()
    now = timezone.now()
    made = 0
    for code, username in (("JLG", "security"), ("HMC", "guard")):
        property_ = Property.objects.filter(code=code).first()
        guard = User.objects.filter(username=username).first()
        if property_ is None or guard is None:
            continue
        if PatrolRoute.objects.filter(property=property_, name=ROUTE_NAME).exists():
            continue
        route = _route(property_, today)
        generate_rounds(today)
        checkpoints = list(route.checkpoints.order_by("position"))
        past = list(route.rounds.filter(window_end__lt=now).order_by("window_start"))
        swapped = False
        for index, round_ in enumerate(past):
            roll = generator.random()
            if roll < 0.08 and index < len(past) - 1:
                continue  # never walked: expires
            skip_last = roll < 0.18
            swap = not swapped and not skip_last and index > len(past) // 2
            swapped = swapped or swap
            _walk(round_, checkpoints, guard, generator, skip_last=skip_last, swap=swap)
            made += 1
    close_expired_rounds(now)
    if stdout:
        stdout.write(f"safety: {made} patrol rounds walked")
