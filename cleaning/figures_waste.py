"""Waste figures, in grouped SQL: collection timeliness (垃圾清运及时率) by point and month, and
the volume collected per category and month. The definitions:

- timeliness: of the expected collections whose window closed in the period, the share with a
  collection of their point and category logged inside the window;
- volume: the bins and the kilograms logged, by the month they were collected.
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import WasteCategory
from .models.waste import label_of


def month_bounds(first, last=None):
    """Aware [start, end) of the months from ``first`` to ``last`` (both any day)."""
    last = last or first
    start = timezone.make_aware(datetime.combine(first.replace(day=1), time.min))
    end = timezone.make_aware(
        datetime.combine(last.replace(day=1) + relativedelta(months=1), time.min)
    )
    return start, end


def rate(part, whole):
    return round(part * 100 / whole, 1) if whole else None


@dataclass
class Timeliness:
    due: int = 0
    on_time: int = 0

    @property
    def missed(self):
        return self.due - self.on_time

    @property
    def rate(self):
        return rate(self.on_time, self.due)


def timeliness(expected, start, end, now=None):
    """Timeliness of the ``expected`` collections whose window closed in [start, end) (and
    before ``now``): one query."""
    now = now or timezone.now()
    row = (
        expected.filter(window_end__gte=start, window_end__lt=min(end, now))
        .with_collected()
        .aggregate(due=Count("pk"), on_time=Count("pk", filter=Q(collected=True)))
    )
    return Timeliness(row["due"] or 0, row["on_time"] or 0)


@dataclass
class PointMonth:
    point_id: int  # the point's id, or the property's when grouped by property
    point: str  # its name (the point's, or the property's)
    property_code: str
    months: dict = field(default_factory=dict)  # month (date) → Timeliness


GROUPS = {
    "point": ("point_id", "point__name", "point__property__code"),
    "property": ("point__property_id", "point__property__name", "point__property__code"),
}


def timeliness_by_point(expected, start, end, now=None, group="point"):
    """[PointMonth] of the ``expected`` collections, by point (or by property: ``group``)
    and month of their window's end: one grouped query."""
    now = now or timezone.now()
    key, name, code = GROUPS[group]
    rows = (
        expected.filter(window_end__gte=start, window_end__lt=min(end, now))
        .with_collected()
        .annotate(month=TruncMonth("window_end"))
        .values(key, name, code, "month")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=Q(collected=True)))
        .order_by(code, name, key, "month")
    )
    points = {}
    for row in rows:
        point = points.get(row[key])
        if point is None:
            point = points[row[key]] = PointMonth(row[key], row[name], row[code])
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        point.months[month] = Timeliness(row["due"], row["on_time"])
    return list(points.values())


def summed(points, month=None):
    """The Timeliness of all ``points`` (of one ``month`` only, when given), without asking
    the database again."""
    total = Timeliness()
    for point in points:
        for when, cell in point.months.items():
            if month is None or when == month:
                total.due += cell.due
                total.on_time += cell.on_time
    return total


@dataclass
class CategoryVolume:
    category: str
    label: str
    bins: int = 0
    weight_kg: object = 0


def volume_by_category(collections, start, end, labels=None, property_id=None):
    """Bins and kilograms per category collected in [start, end): one grouped query.
    Categories are named as ``property_id`` names them when one property is shown."""
    rows = (
        collections.filter(collected_at__gte=start, collected_at__lt=end)
        .values("category")
        .annotate(bins=Sum("bins"), weight=Sum("weight_kg"))
    )
    found = {row["category"]: row for row in rows}
    result = []
    for category in WasteCategory.values:
        row = found.get(category, {})
        result.append(
            CategoryVolume(
                category,
                label_of(labels or {}, property_id, category),
                row.get("bins") or 0,
                row.get("weight") or 0,
            )
        )
    return result


def monthly_volume(collections, first_month, months=12):
    """[(month, {category: (bins, kg)})] of the last ``months`` months up to the month of
    ``first_month`` (oldest first), for the chart: one grouped query."""
    first = first_month.replace(day=1) - relativedelta(months=months - 1)
    start, end = month_bounds(first, first_month)
    rows = (
        collections.filter(collected_at__gte=start, collected_at__lt=end)
        .annotate(month=TruncMonth("collected_at"))
        .values("month", "category")
        .annotate(bins=Sum("bins"), weight=Sum("weight_kg"))
    )
    table = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        table.setdefault(month, {})[row["category"]] = (row["bins"] or 0, row["weight"] or 0)
    series = []
    for k in range(months):
        month = first + relativedelta(months=k)
        series.append((month, table.get(month, {})))
    return series
