"""Patrols: the rounds each schedule expects (core's generator), recording a scan, the
analysis of a round, closing rounds whose window has passed, and completion rates."""

import math
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core.recurrence import Generator
from core.scoping import visible_property_ids
from core.workflow import save_with_history

from ..models import Checkpoint, PatrolRound, PatrolSchedule, RoundStatus, Scan
from ..models.patrols import CLOSED_STATUSES, OPEN_STATUSES

MAX_CATCH_UP = 14
# A checkpoint with its own offset is late when scanned this long after it was due.
GRACE = timedelta(minutes=10)
# A round started this long after its window opened was started late.
LATE_START = timedelta(minutes=15)
# How far back a phone's own clock is believed (a scan queued offline and sent later).
DEVICE_TIME_TRUSTED = timedelta(hours=12)
DEVICE_CLOCK_AHEAD = timedelta(minutes=5)
EARTH_RADIUS_M = 6_371_000


# --- generation -------------------------------------------------------------------------------


class PatrolRounds(Generator):
    """Each active schedule of an active route expects its rounds on its days, a day ahead:
    one per schedule and window, catching up missed days (up to two weeks)."""

    name = "patrol rounds"
    max_catch_up = MAX_CATCH_UP
    batch_size = 100
    lead = 1

    def due_sources(self, day):
        due = PatrolSchedule.objects.filter(
            active=True, route__active=True, next_due__lte=day + timedelta(days=self.lead)
        ).order_by("pk")
        return list(due.values_list("pk", flat=True))

    def locked(self):
        return PatrolSchedule.objects.select_for_update(of=("self",)).select_related("route")

    def lock(self, pk):
        return self.locked().get(pk=pk)

    def lock_many(self, pks):
        return list(self.locked().filter(pk__in=pks).order_by("pk"))

    def skip(self, schedule):
        return not (schedule.active and schedule.route.active)

    def floating(self, schedule):
        return False

    def lead_days_of(self, schedule):
        return self.lead

    def existing(self, schedule, dates):
        return self.existing_many([(schedule, dates)]).get(schedule.pk, set())

    def existing_many(self, wanted):
        have = {}
        rows = PatrolRound.objects.filter(
            schedule__in=[schedule.pk for schedule, _dates in wanted],
            due_on__in={day for _schedule, dates in wanted for day in dates},
        ).values_list("schedule_id", "due_on")
        for schedule_id, due_on in rows:
            have.setdefault(schedule_id, set()).add(due_on)
        return have

    def create(self, schedule, dates):
        return self.create_many([(schedule, dates)])

    def create_many(self, todo):
        rows = [
            PatrolRound(
                route_id=schedule.route_id,
                schedule=schedule,
                due_on=day,
                window_start=start,
                window_end=end,
            )
            for schedule, dates in todo
            for day in dates
            for start, end in schedule.windows_on(day)
        ]
        return PatrolRound.objects.bulk_create(rows)


def generate_rounds(day=None):
    """The daily task: expect every round due by tomorrow. Running it twice makes nothing
    more; days without a run are caught up (their rounds then expire unwalked)."""
    return PatrolRounds().run(day or timezone.localdate())


def close_expired_rounds(now=None):
    """Close the rounds whose window has ended: started ones are incomplete, never started
    ones expired. Returns (incomplete, expired) counts; running it twice changes nothing."""
    now = now or timezone.now()
    ended = PatrolRound.objects.filter(window_end__lt=now)
    incomplete = ended.filter(status=RoundStatus.IN_PROGRESS).update(
        status=RoundStatus.INCOMPLETE, updated_at=now
    )
    expired = ended.filter(status=RoundStatus.PENDING).update(
        status=RoundStatus.EXPIRED, updated_at=now
    )
    return incomplete, expired


# --- scanning ---------------------------------------------------------------------------------


def distance_m(lat1, lon1, lat2, lon2):
    """The great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi = phi2 - phi1
    dlambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def unknown_checkpoint():
    return ValidationError(_("No checkpoint of yours has this code."), code="unknown")


CODE_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")


def find_checkpoint(code, user, *, route=None):
    """The active checkpoint of ``code`` (its secret token, or its short code typed in) that
    ``user`` may scan; another property's checkpoint is as unknown as a made-up code."""
    code = (code or "").strip()
    # Tokens and codes are URL-safe ASCII: anything else (a NUL byte, which PostgreSQL would
    # refuse with an error) is unknown without asking the database.
    if not code or len(code) > 64 or not CODE_CHARACTERS.fullmatch(code):
        raise unknown_checkpoint()
    found = Checkpoint.objects.select_related("route").filter(active=True, route__active=True)
    # A token is long; a short code is what a guard types (any case).
    found = found.filter(token=code) if len(code) > 12 else found.filter(code=code.upper())
    if route is not None:
        found = found.filter(route=route)
    visible = visible_property_ids(user)
    if visible is not None:
        found = found.filter(property__in=visible)
    checkpoints = list(found[:2])
    if len(checkpoints) != 1:
        if len(checkpoints) > 1:
            raise ValidationError(
                _("Several checkpoints have this code; scan the QR code instead."),
                code="ambiguous",
            )
        raise unknown_checkpoint()
    return checkpoints[0]


def _round_for(checkpoint, now, device_time):
    """The round of the checkpoint's route the scan belongs to: the one open now, else (a
    scan sent late from a phone's queue) the one whose window held the phone's time."""
    rounds = PatrolRound.objects.select_for_update().filter(route=checkpoint.route_id)
    current = (
        rounds.filter(status__in=OPEN_STATUSES, window_start__lte=now, window_end__gte=now)
        .order_by("-status", "window_start")  # in progress before pending
        .first()
    )
    if current is not None:
        return current
    if device_time is not None and now - DEVICE_TIME_TRUSTED <= device_time <= now + (
        DEVICE_CLOCK_AHEAD
    ):
        return (
            rounds.exclude(status=RoundStatus.COMPLETE)
            .filter(window_start__lte=device_time, window_end__gte=device_time)
            .order_by("window_start")
            .first()
        )
    return None


@dataclass
class ScanResult:
    scan: Scan
    created: bool  # False: the same scan sent again (or the checkpoint already scanned)


def record_scan(
    code,
    user,
    *,
    device_time=None,
    latitude=None,
    longitude=None,
    accuracy=None,
    note="",
    anomaly=False,
    photo=None,
    client_id=None,
    typed=False,
    route=None,
    now=None,
):
    """Record ``user`` at the checkpoint of ``code`` in the round open now. Sending the same
    ``client_id`` again returns the first scan and records nothing. A scan far from the
    checkpoint is recorded and flagged, never refused. The last checkpoint completes the round.
    Raises ValidationError (and records nothing) for an unknown code or no open round."""
    if client_id is not None:
        earlier = Scan.objects.filter(client_id=client_id).first()
        if earlier is not None:
            if earlier.scanned_by_id != user.pk:
                raise ValidationError(_("This scan was sent by someone else."), code="client_id")
            return ScanResult(earlier, False)
    checkpoint = find_checkpoint(code, user, route=route)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _record(
                checkpoint,
                user,
                now=now,
                device_time=device_time,
                latitude=latitude,
                longitude=longitude,
                accuracy=accuracy,
                note=note,
                anomaly=anomaly,
                photo=photo,
                client_id=client_id,
                typed=typed,
            )
    except IntegrityError:
        # The same scan sent twice at once: the other request recorded it.
        if client_id is not None:
            earlier = Scan.objects.filter(client_id=client_id, scanned_by=user).first()
            if earlier is not None:
                return ScanResult(earlier, False)
        raise ValidationError(_("This scan could not be recorded; try again.")) from None


def _record(
    checkpoint,
    user,
    *,
    now,
    device_time,
    latitude,
    longitude,
    accuracy,
    note,
    anomaly,
    photo,
    client_id,
    typed,
):
    round_ = _round_for(checkpoint, now, device_time)
    if round_ is None:
        raise ValidationError(
            _("No round of route “%(route)s” is open now.") % {"route": checkpoint.route.name},
            code="no_round",
        )
    earlier = Scan.objects.filter(round=round_, checkpoint=checkpoint).first()
    if earlier is not None:
        return ScanResult(earlier, False)
    if (latitude is None) != (longitude is None):
        latitude = longitude = None
    scan = Scan(
        round=round_,
        checkpoint=checkpoint,
        scanned_by=user,
        scanned_at=now,
        device_time=device_time,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy,
        typed=typed,
        anomaly=bool(anomaly),
        note=(note or "")[:500],
    )
    if photo:
        scan.photo = photo
    if client_id is not None:
        scan.client_id = client_id
    if checkpoint.has_position() and latitude is not None:
        distance = distance_m(checkpoint.latitude, checkpoint.longitude, latitude, longitude)
        scan.distance_m = round(distance)
        scan.far_from_checkpoint = distance > checkpoint.radius_m
    scan.full_clean(exclude=["round", "checkpoint", "scanned_by"])
    scan.save()
    _advance(round_, user, now)
    return ScanResult(scan, True)


def _advance(round_, user, now):
    fields = []
    if round_.status in (RoundStatus.PENDING, RoundStatus.EXPIRED):
        round_.status = RoundStatus.IN_PROGRESS
        round_.started_at = now
        fields += ["status", "started_at"]
    if round_.guard_id is None:
        round_.guard = user
        fields.append("guard")
    wanted = set(
        Checkpoint.objects.filter(route=round_.route_id, active=True).values_list("pk", flat=True)
    )
    scanned = set(round_.scans.values_list("checkpoint_id", flat=True))
    if wanted <= scanned:
        round_.status = RoundStatus.COMPLETE
        round_.finished_at = now
        fields += ["status", "finished_at"]
    elif round_.status == RoundStatus.EXPIRED or (
        round_.status == RoundStatus.IN_PROGRESS and round_.window_end < now
    ):
        round_.status = RoundStatus.INCOMPLETE
        fields.append("status")
    if fields:
        save_with_history(round_, user, fields=sorted({*fields, "updated_at"}))


# --- analysis ---------------------------------------------------------------------------------


@dataclass
class CheckpointResult:
    checkpoint: Checkpoint
    scan: Scan | None
    due: object  # aware datetime
    late: bool = False
    out_of_order: bool = False

    @property
    def missing(self):
        return self.scan is None


def analyse_round(round_, now=None):
    """Each checkpoint of the round's route, in route order, with its scan: missing (not
    scanned, once its window has ended), late (scanned after it was due) or out of order
    (scanned after a checkpoint that comes later on the route). Two queries."""
    scans = {
        scan.checkpoint_id: scan for scan in round_.scans.select_related("scanned_by", "checkpoint")
    }
    checkpoints = list(
        Checkpoint.objects.filter(route=round_.route_id)
        .filter(Q(active=True) | Q(pk__in=list(scans)))
        .order_by("position", "pk")
    )
    results = []
    for checkpoint in checkpoints:
        if checkpoint.offset_minutes is not None:
            due = min(
                round_.window_start + timedelta(minutes=checkpoint.offset_minutes) + GRACE,
                round_.window_end,
            )
        else:
            due = round_.window_end
        scan = scans.get(checkpoint.pk)
        results.append(
            CheckpointResult(checkpoint, scan, due, late=scan is not None and scan.scanned_at > due)
        )
    # Walk the scans in time order: one whose checkpoint comes before the furthest reached
    # so far was scanned out of order.
    by_time = sorted(
        (r for r in results if r.scan is not None), key=lambda r: (r.scan.scanned_at, r.scan.pk)
    )
    furthest = None
    for result in by_time:
        position = result.checkpoint.position
        if furthest is not None and position < furthest:
            result.out_of_order = True
        furthest = position if furthest is None else max(furthest, position)
    return results


@dataclass
class RoundSummary:
    results: list
    missing: int
    late: int
    out_of_order: int
    far: int
    anomalies: int


def summarise_round(round_, now=None):
    results = analyse_round(round_, now)
    closed = round_.status in CLOSED_STATUSES or round_.window_end < (now or timezone.now())
    scans = [r.scan for r in results if r.scan is not None]
    return RoundSummary(
        results=results,
        missing=sum(1 for r in results if r.missing) if closed else 0,
        late=sum(1 for r in results if r.late),
        out_of_order=sum(1 for r in results if r.out_of_order),
        far=sum(1 for s in scans if s.far_from_checkpoint),
        anomalies=sum(1 for s in scans if s.anomaly),
    )


# --- supervision ------------------------------------------------------------------------------


def started_late(round_, now=None):
    """The round was not started on time: not started within ``LATE_START`` of its window."""
    now = now or timezone.now()
    if round_.started_at is not None:
        return round_.started_at > round_.window_start + LATE_START
    return round_.window_start + LATE_START < now


@transaction.atomic
def acknowledge_round(round_, *, by, comment, now=None):
    """The security supervisor notes why a round was not started on time."""
    now = now or timezone.now()
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Say why the round was not started on time."))
    if round_.acknowledged_at is not None:
        raise ValidationError(_("This round was already acknowledged."))
    if not started_late(round_, now):
        raise ValidationError(_("This round was started on time."))
    round_.acknowledged_by = by
    round_.acknowledged_at = now
    round_.acknowledgement = comment[:300]
    return save_with_history(
        round_, by, fields=["acknowledged_by", "acknowledged_at", "acknowledgement", "updated_at"]
    )


# --- figures ----------------------------------------------------------------------------------

GROUPINGS = {
    "route": ("route_id", "route__name"),
    "guard": ("guard_id", "guard__username"),
    "month": ("month",),
}


def completion_rates(rounds, by="route"):
    """The closed rounds of ``rounds`` grouped ``by`` route, guard or month: rows of the
    group's keys, ``closed``, ``complete`` and ``rate`` (per cent, or None). One query."""
    fields = GROUPINGS[by]
    rows = rounds.filter(status__in=CLOSED_STATUSES)
    if by == "month":
        rows = rows.annotate(month=TruncMonth("window_start"))
    rows = (
        rows.order_by()
        .values(*fields)
        .annotate(
            closed=Count("pk"),
            complete=Count("pk", filter=Q(status=RoundStatus.COMPLETE)),
        )
        .order_by(*fields)
    )
    result = []
    for row in rows:
        row["rate"] = (
            (Decimal(row["complete"] * 100) / row["closed"]).quantize(Decimal("0.1"))
            if row["closed"]
            else None
        )
        result.append(row)
    return result


def completion_rate(rounds):
    """(complete, closed, rate per cent or None) of the closed rounds of ``rounds``."""
    figures = rounds.filter(status__in=CLOSED_STATUSES).aggregate(
        closed=Count("pk"), complete=Count("pk", filter=Q(status=RoundStatus.COMPLETE))
    )
    rate = (
        (Decimal(figures["complete"] * 100) / figures["closed"]).quantize(Decimal("0.1"))
        if figures["closed"]
        else None
    )
    return figures["complete"], figures["closed"], rate
