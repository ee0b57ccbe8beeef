"""Facilities figures, computed in SQL (grouped queries, never a query per row).

Definitions (for a period [start, end) and the orders of the properties shown):

- preventive on-time rate: preventive orders due in the period (not cancelled) that were
  completed by the end of their due day, over those due (an order not done and past its day
  counts as late; one not yet due is left out);
- repair timeliness (维修及时率): repairs completed in the period by their resolution target,
  over repairs completed in the period;
- first-time fix rate: repairs completed in the period never sent back, over those completed;
  rework rate: orders of any kind completed in the period sent back at least once, over those
  completed;
- MTTR: the mean time from report to completion of repairs completed in the period;
- MTBF: the equipment's operating time in the period (equipment in use × hours − unplanned
  downtime) over the number of failures (repair orders on that equipment reported in the
  period);
- availability: 1 − unplanned downtime ÷ (equipment in use × hours in the period); planned
  stops for maintenance are not counted against it;
- cost: parts and contractor cost of the orders completed in the period.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth
from django.utils import timezone

from .models import (
    OPEN_STATUSES,
    Downtime,
    DowntimeReason,
    EquipmentStatus,
    Priority,
    WorkOrderKind,
    WorkOrderStatus,
)

ZERO = Decimal(0)
MONEY = DecimalField(max_digits=16, decimal_places=2)


def downtime_between(downtimes, start, end):
    """The total time of ``downtimes`` within ``start`` (None: ever) and ``end``; downtime
    still going on counts until ``end``."""
    total = _clipped(downtimes, start, end).aggregate(total=Sum("clipped"))["total"]
    return total or timedelta(0)


def _clipped(downtimes, start, end):
    """Downtime overlapping the period, annotated with ``clipped``: its duration inside it."""
    end_value = Value(end, output_field=DateTimeField())
    finish = Least(Coalesce("ended_at", end_value), end_value)
    if start is None:
        begin = F("started_at")
    else:
        begin = Greatest("started_at", Value(start, output_field=DateTimeField()))
        downtimes = downtimes.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
    return downtimes.filter(started_at__lt=end).annotate(
        clipped=ExpressionWrapper(finish - begin, output_field=DurationField())
    )


def ratio(part, whole):
    """A percentage with one decimal, or None when there is nothing to measure."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def hours(duration):
    if duration is None:
        return None
    return (Decimal(duration.total_seconds()) / 3600).quantize(Decimal("0.1"))


def period_bounds(start_day, end_day):
    """Aware datetimes of [start_day 00:00, end_day + 1 00:00)."""
    start = timezone.make_aware(datetime.combine(start_day, time.min))
    end = timezone.make_aware(datetime.combine(end_day + timedelta(days=1), time.min))
    return start, end


@dataclass
class Figures:
    """The headline figures of a set of orders over a period."""

    open_by_priority: dict
    preventive_due: int
    preventive_on_time: int
    repairs_done: int
    repairs_in_time: int
    repairs_first_time: int
    done: int
    reworked: int
    cost: Decimal
    mttr: timedelta | None

    @property
    def preventive_rate(self):
        return ratio(self.preventive_on_time, self.preventive_due)

    @property
    def timeliness(self):
        return ratio(self.repairs_in_time, self.repairs_done)

    @property
    def first_time_fix(self):
        return ratio(self.repairs_first_time, self.repairs_done)

    @property
    def rework_rate(self):
        return ratio(self.reworked, self.done)

    @property
    def mttr_hours(self):
        return hours(self.mttr)


def figures(orders, start, end, now=None):
    """The headline figures of ``orders`` (a scoped queryset) for [start, end)."""
    now = now or timezone.now()
    opened = orders.filter(status__in=OPEN_STATUSES).values("priority").annotate(n=Count("pk"))
    by_priority = {row["priority"]: row["n"] for row in opened}
    due_end = min(end, now)
    preventive = orders.filter(
        kind=WorkOrderKind.PREVENTIVE, resolve_by__gt=start, resolve_by__lte=due_end
    ).exclude(status=WorkOrderStatus.CANCELLED)
    done = orders.filter(completed_at__gte=start, completed_at__lt=end)
    repair = Q(kind=WorkOrderKind.REPAIR)
    counts = done.aggregate(
        done=Count("pk"),
        reworked=Count("pk", filter=Q(rework_count__gt=0)),
        repairs=Count("pk", filter=repair),
        in_time=Count("pk", filter=repair & Q(completed_at__lte=F("resolve_by"))),
        first_time=Count("pk", filter=repair & Q(rework_count=0)),
        cost=Coalesce(Sum(F("parts_cost") + F("external_cost"), output_field=MONEY), ZERO),
        mttr=Avg(
            ExpressionWrapper(F("completed_at") - F("created_at"), output_field=DurationField()),
            filter=repair,
        ),
    )
    due = preventive.aggregate(
        due=Count("pk"), on_time=Count("pk", filter=Q(completed_at__lte=F("resolve_by")))
    )
    return Figures(
        open_by_priority={p: by_priority.get(p, 0) for p in Priority.values},
        preventive_due=due["due"],
        preventive_on_time=due["on_time"],
        repairs_done=counts["repairs"],
        repairs_in_time=counts["in_time"],
        repairs_first_time=counts["first_time"],
        done=counts["done"],
        reworked=counts["reworked"],
        cost=counts["cost"],
        mttr=counts["mttr"],
    )


@dataclass
class Reliability:
    """MTTR, MTBF, downtime and availability of one group (a category, or a property)."""

    label: str
    equipment: int
    failures: int
    mttr: timedelta | None
    downtime: timedelta
    period_hours: Decimal
    cost: Decimal = ZERO

    @property
    def operating_hours(self):
        return self.equipment * self.period_hours - hours(self.downtime)

    @property
    def mtbf_hours(self):
        if not self.failures:
            return None
        return (self.operating_hours / self.failures).quantize(Decimal("0.1"))

    @property
    def mttr_hours(self):
        return hours(self.mttr)

    @property
    def downtime_hours(self):
        return hours(self.downtime)

    @property
    def availability(self):
        capacity = self.equipment * self.period_hours
        if not capacity:
            return None
        return ratio(capacity - hours(self.downtime), capacity)


def reliability(equipment, orders, start, end, by):
    """Reliability per ``by`` ("category" or "property") in [start, end): five grouped
    queries, whatever the number of groups."""
    key = f"{by}_id"
    period_hours = hours(end - start)
    equipment = equipment.exclude(status=EquipmentStatus.RETIRED)
    names = {
        row[key]: row[f"{by}__name"]
        for row in equipment.values(key, f"{by}__name").annotate(n=Count("pk"))
    }
    counts = {row[key]: row["n"] for row in equipment.values(key).annotate(n=Count("pk"))}
    # Failures of the equipment counted in the denominator (not of retired equipment).
    repairs = orders.filter(kind=WorkOrderKind.REPAIR, equipment__in=equipment)
    failures = {
        row[f"equipment__{key}"]: row["n"]
        for row in repairs.filter(created_at__gte=start, created_at__lt=end)
        .values(f"equipment__{key}")
        .annotate(n=Count("pk"))
    }
    done = orders.filter(completed_at__gte=start, completed_at__lt=end, equipment__isnull=False)
    repair_times = {
        row[f"equipment__{key}"]: (row["mttr"], row["cost"])
        for row in done.values(f"equipment__{key}").annotate(
            mttr=Avg(
                ExpressionWrapper(
                    F("completed_at") - F("created_at"), output_field=DurationField()
                ),
                filter=Q(kind=WorkOrderKind.REPAIR),
            ),
            cost=Coalesce(Sum(F("parts_cost") + F("external_cost"), output_field=MONEY), ZERO),
        )
    }
    down = {
        row[f"equipment__{key}"]: row["total"]
        for row in _clipped(
            Downtime.objects.filter(equipment__in=equipment).exclude(reason=DowntimeReason.PLANNED),
            start,
            end,
        )
        .values(f"equipment__{key}")
        .annotate(total=Sum("clipped"))
    }
    rows = [
        Reliability(
            label=names[group],
            equipment=counts[group],
            failures=failures.get(group, 0),
            mttr=repair_times.get(group, (None, ZERO))[0],
            downtime=down.get(group) or timedelta(0),
            period_hours=period_hours,
            cost=repair_times.get(group, (None, ZERO))[1],
        )
        for group in names
    ]
    return sorted(rows, key=lambda row: row.label)


def monthly_trend(orders, last_month_start, months=12, now=None):
    """Per month (oldest first): orders opened and completed, repairs, preventive on-time
    rate and cost; three grouped queries."""
    now = now or timezone.now()
    first = last_month_start - relativedelta(months=months - 1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(
        datetime.combine(last_month_start + relativedelta(months=1), time.min)
    )
    zone = timezone.get_current_timezone()

    def by_month(queryset, field, **aggregates):
        return {
            timezone.localtime(row["month"]).date().replace(day=1)
            if isinstance(row["month"], datetime)
            else row["month"]: row
            for row in queryset.annotate(
                month=TruncMonth(field, tzinfo=zone) if field != "due_on" else TruncMonth(field)
            )
            .values("month")
            .annotate(**aggregates)
        }

    opened = by_month(
        orders.filter(created_at__gte=start, created_at__lt=end),
        "created_at",
        opened=Count("pk"),
        repairs=Count("pk", filter=Q(kind=WorkOrderKind.REPAIR)),
    )
    completed = by_month(
        orders.filter(completed_at__gte=start, completed_at__lt=end),
        "completed_at",
        completed=Count("pk"),
        cost=Coalesce(Sum(F("parts_cost") + F("external_cost"), output_field=MONEY), ZERO),
    )
    preventive = by_month(
        orders.filter(
            kind=WorkOrderKind.PREVENTIVE, due_on__gte=first, resolve_by__lte=min(end, now)
        ).exclude(status=WorkOrderStatus.CANCELLED),
        "due_on",
        due=Count("pk"),
        on_time=Count("pk", filter=Q(completed_at__lte=F("resolve_by"))),
    )
    rows = []
    for n in range(months):
        month = first + relativedelta(months=n)
        a, b = opened.get(month, {}), completed.get(month, {})
        c = preventive.get(month, {})
        rows.append(
            {
                "month": month,
                "opened": a.get("opened", 0),
                "repairs": a.get("repairs", 0),
                "completed": b.get("completed", 0),
                "cost": b.get("cost", ZERO),
                "preventive_rate": ratio(c.get("on_time", 0), c.get("due", 0)),
            }
        )
    return rows
