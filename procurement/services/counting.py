"""Stock counts (盘点): open with a snapshot, record what is found, submit, approve, post.

Movements keep flowing while a storeroom is counted. Each line remembers when it was counted;
its expected quantity is the snapshot plus whatever moved between the snapshot and that
moment, so an issue made mid-count is never mistaken for a loss.
"""

import logging
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.recurrence import Generator

from ..models import (
    IN_PROGRESS,
    STOCK_COUNT,
    CountStatus,
    MovementKind,
    StockBalance,
    StockCount,
    StockCountLine,
    StockLevel,
    StockMovement,
    Storeroom,
)
from .stock import CENT, MAX_VALUE, THOUSANDTH, post_movement

# bulk_update writes one UPDATE with a CASE over every row it is given: over 5,000 count lines
# that CASE is searched 5,000 times per row (seconds in PostgreSQL); a few hundred at a time
# keeps each statement short.
UPDATE_BATCH = 250

logger = logging.getLogger(__name__)


def approval_value():
    return Decimal(settings.PROCUREMENT_COUNT_APPROVAL_VALUE)


@transaction.atomic
def open_count(storeroom, *, by=None, day=None):
    """Open the count sheet of ``storeroom`` for ``day`` with a snapshot of the book."""
    day = day or timezone.localdate()
    # FOR NO KEY UPDATE: a movement being posted (it references the storeroom) is not held
    # up by this lock, so it finishes and frees its balance row for the snapshot below.
    storeroom = Storeroom.objects.select_for_update(no_key=True).get(pk=storeroom.pk)
    if not storeroom.active:
        raise ValidationError(_("This storeroom is not active."))
    if StockCount.objects.filter(storeroom=storeroom, status__in=IN_PROGRESS).exists():
        raise ValidationError(_("This storeroom is being counted already."))
    if StockCount.objects.filter(storeroom=storeroom, scheduled_for=day).exists():
        raise ValidationError(_("This storeroom already has a count for this day."))
    # Lock the room's balances: movements in flight finish first, later ones come after the
    # snapshot's timestamp and are accounted for when each line is counted.
    # Only the balance rows (of="self"): locking the joined items would block every movement
    # of them in any storeroom (a movement's foreign key share-locks its item).
    balances = list(
        StockBalance.objects.select_for_update(of=("self",))
        .filter(storeroom=storeroom)
        .select_related("item")
        .order_by("item_id")
    )
    snapshot_at = timezone.now()
    count = StockCount(
        storeroom=storeroom, scheduled_for=day, blind=storeroom.blind_count, snapshot_at=snapshot_at
    )
    count._history_user = by
    try:
        with transaction.atomic():
            count.save()
    except IntegrityError as exc:
        raise ValidationError(_("This storeroom is being counted already.")) from exc
    seen = set()
    lines = []
    for balance in balances:
        seen.add(balance.item_id)
        lines.append(
            StockCountLine(
                count=count,
                item_id=balance.item_id,
                book_quantity=balance.quantity,
                # Stock received free is worth nothing: the standard price only when empty.
                unit_cost=(
                    balance.average_cost if balance.quantity else balance.item.standard_price
                ),
            )
        )
    # Items the room should hold but never has: counted too (something may be found).
    for level in (
        StockLevel.objects.filter(storeroom=storeroom, item__active=True)
        .exclude(item_id__in=seen)
        .select_related("item")
    ):
        lines.append(
            StockCountLine(
                count=count,
                item_id=level.item_id,
                book_quantity=Decimal(0),
                unit_cost=level.item.standard_price,
            )
        )
    StockCountLine.objects.bulk_create(lines)
    return count


class DueCounts(Generator):
    """Each storeroom's scheduled count opens on its day (core's generator, monthly series
    anchored on ``count_anchor``). One count at a time: a room still being counted waits,
    and after days without a run only the first missed count is opened, dated on its day,
    while the series moves past today."""

    name = "stock counts"
    next_field = "next_count_on"
    max_catch_up = 1

    def due_sources(self, day):
        due = Storeroom.objects.filter(
            active=True, count_every_months__gt=0, next_count_on__lte=day
        ).order_by("pk")
        return list(due.values_list("pk", flat=True))

    def lock(self, pk):
        # FOR NO KEY UPDATE: movements referencing the room are not held up (see open_count).
        return Storeroom.objects.select_for_update(no_key=True).get(pk=pk)

    def skip(self, room):
        if not room.active or not room.count_every_months:
            return True
        return StockCount.objects.filter(storeroom=room, status__in=IN_PROGRESS).exists()

    def recurrence_of(self, room):
        return room.count_recurrence

    def anchor_of(self, room):
        return room.count_anchor or room.next_count_on

    def existing(self, room, dates):
        return set(
            StockCount.objects.filter(storeroom=room, scheduled_for__in=dates).values_list(
                "scheduled_for", flat=True
            )
        )

    def create(self, room, dates):
        return [open_count(room, day=due) for due in dates]

    def after(self, room, day):
        # The counts missed before today are not made up: the next is the first after today.
        return max(
            room.next_count_on,
            self.recurrence_of(room).following(self.anchor_of(room), day),
        )


def open_due_counts(day=None):
    """The daily task: open every scheduled count due by ``day``. Running it twice opens
    nothing more; after days without a run it opens the first missed count, dated on its due
    day, and moves the schedule past ``day``. A storeroom still being counted waits. Each
    storeroom is its own transaction: one that fails is logged and the others go on."""
    return DueCounts().run(day or timezone.localdate())


class CountLinesError(ValidationError):
    """A refusal about some lines of the sheet: ``field`` ("counted" or "reason") is what
    each of ``lines`` lacks, so the count sheet can mark that field on every one of them."""

    def __init__(self, message, *, field, lines):
        super().__init__(message)
        self.field, self.lines = field, list(lines)


def _locked(count):
    return STOCK_COUNT.lock(count, "storeroom")


@transaction.atomic
def record_counts(count, entries, *, by):
    """Save what was found: ``entries`` maps line ids to (counted or None, reason). A line
    whose quantity changes is stamped with the moment, for the movements since the snapshot."""
    count = _locked(count)
    if count.status != CountStatus.OPEN:
        raise ValidationError(_("This count is closed."))
    now = timezone.now()
    changed = []
    lines = {line.pk: line for line in count.lines.all()}
    for key, (counted, reason) in entries.items():
        line = lines.get(getattr(key, "pk", key))
        if line is None:
            continue
        if counted is not None:
            counted = Decimal(counted)
            if not counted.is_finite() or counted < 0 or counted != counted.quantize(THOUSANDTH):
                raise ValidationError(
                    _("%(item)s: count zero or more, with at most three decimals.")
                    % {"item": line.item}
                )
        reason = (reason or "").strip()
        if counted != line.counted:
            line.counted, line.counted_at = counted, now if counted is not None else None
        elif reason == line.reason:
            continue
        line.reason = reason
        changed.append(line)
    StockCountLine.objects.bulk_update(
        changed, ["counted", "counted_at", "reason"], batch_size=UPDATE_BATCH
    )
    return len(changed)


def _expected(count, lines):
    """Each line's book quantity at the moment it was counted."""
    moved = defaultdict(list)
    for item_id, at, quantity in StockMovement.objects.filter(
        storeroom=count.storeroom, at__gt=count.snapshot_at
    ).values_list("item_id", "at", "quantity"):
        moved[item_id].append((at, quantity))
    for line in lines:
        line.expected = line.book_quantity + sum(
            (quantity for at, quantity in moved[line.item_id] if at <= line.counted_at),
            Decimal(0),
        )


@transaction.atomic
def submit_count(count, *, by):
    """Counting is done: compute the variances. Within the limit they post at once; above it
    the count waits for the director. Submitting twice changes nothing."""
    count = _locked(count)
    STOCK_COUNT.check(count, "submit")
    lines = list(count.lines.select_related("item"))
    missing = [line for line in lines if line.counted is None]
    if missing:
        raise CountLinesError(
            _("%(count)d lines are not counted yet (first: %(item)s).")
            % {"count": len(missing), "item": missing[0].item},
            field="counted",
            lines=missing,
        )
    _expected(count, lines)
    unexplained = [line for line in lines if line.variance and not line.reason]
    if unexplained:
        raise CountLinesError(
            ngettext(
                "Give the reason for each variance: %(count)d line has none.",
                "Give the reason for each variance: %(count)d lines have none.",
                len(unexplained),
            )
            % {"count": len(unexplained)},
            field="reason",
            lines=unexplained,
        )
    StockCountLine.objects.bulk_update(lines, ["expected"], batch_size=UPDATE_BATCH)
    values = [line.variance_value or Decimal(0) for line in lines]
    if sum((abs(v) for v in values), Decimal(0)) >= MAX_VALUE:
        raise ValidationError(_("These counts are beyond what the ledger can hold: check them."))
    count.lines_counted = len(lines)
    count.lines_matching = sum(1 for line in lines if not line.variance)
    count.variance_value = sum(values, Decimal(0)).quantize(CENT)
    count.variance_abs_value = sum((abs(v) for v in values), Decimal(0)).quantize(CENT)
    STOCK_COUNT.step(
        count,
        "submit",
        by=by,
        fields=["lines_counted", "lines_matching", "variance_value", "variance_abs_value"],
        submitted_by=by,
        submitted_at=timezone.now(),
    )
    if count.variance_abs_value <= approval_value():
        _post(count, lines, "post", by=by)
    return count


@transaction.atomic
def approve_count(count, *, by):
    """The director's approval of variances above the limit: posts them. Twice changes
    nothing."""
    count = _locked(count)
    STOCK_COUNT.check(count, "approve")
    if not by.has_perm("procurement.approve_stockcount"):
        raise ValidationError(
            _("Variances above %(limit)s are approved by the director.")
            % {"limit": "¥" + number_format(approval_value(), 2, force_grouping=True)}
        )
    _post(count, list(count.lines.select_related("item")), "approve", by=by)
    return count


def _post(count, lines, action, *, by):
    """One COUNT movement per line with a variance, for exactly the variance; the count is
    then posted (``action``: automatically within the limit, or approved above it)."""
    problems = []
    for line in sorted(lines, key=lambda line: line.item_id):
        if not line.variance:
            continue
        try:
            with transaction.atomic():
                line.movement = post_movement(
                    line.item,
                    count.storeroom,
                    line.variance,
                    MovementKind.COUNT,
                    by=by,
                    unit_cost=line.unit_cost,
                    reference=str(count),
                    note=line.reason,
                )
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError(problems)
    StockCountLine.objects.bulk_update(
        [line for line in lines if line.movement_id], ["movement"], batch_size=UPDATE_BATCH
    )
    STOCK_COUNT.step(count, action, by=by, approved_by=by, posted_at=timezone.now())


@transaction.atomic
def cancel_count(count, *, by):
    count = _locked(count)
    STOCK_COUNT.check(count, "cancel")
    if count.status == CountStatus.SUBMITTED and not by.has_perm("procurement.approve_stockcount"):
        # Its variances wait for the director: only the director may drop them.
        raise ValidationError(_("This count waits for the director's approval."))
    return STOCK_COUNT.step(count, "cancel", by=by)
