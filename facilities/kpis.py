"""Facilities figures, computed in SQL."""

from datetime import timedelta

from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least


def downtime_between(downtimes, start, end):
    """The total time of ``downtimes`` within ``start`` (None: ever) and ``end``; downtime
    still going on counts until ``end``."""
    end_value = Value(end, output_field=DateTimeField())
    finish = Least(Coalesce("ended_at", end_value), end_value)
    begin = (
        Greatest("started_at", Value(start, output_field=DateTimeField()))
        if start
        else F("started_at")
    )
    downtimes = downtimes.filter(started_at__lt=end)
    if start is not None:
        downtimes = downtimes.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
    total = downtimes.aggregate(
        total=Sum(ExpressionWrapper(finish - begin, output_field=DurationField()))
    )["total"]
    return total or timedelta(0)
