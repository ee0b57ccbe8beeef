"""What facilities knows about a technician's appraisal period (shown beside the form)."""

from django.db.models import Avg, Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from core.registry import Measure

from .kpis import ratio
from .models import DONE_STATUSES


def work_order_measures(employee, start, end):
    """Orders the employee completed in the period: how many, how many on time, how many
    sent back, the average quality rating and the hours booked (one query)."""
    done = employee.work_orders.filter(
        status__in=DONE_STATUSES, completed_at__date__range=(start, end)
    ).aggregate(
        done=Count("pk"),
        on_time=Count("pk", filter=Q(completed_at__lte=F("resolve_by"))),
        reworked=Count("pk", filter=Q(rework_count__gt=0)),
        rating=Avg("rating"),
        hours=Sum("labour_hours"),
    )
    on_time = ratio(done["on_time"], done["done"])
    rating = done["rating"]
    return [
        Measure(_("Work orders completed"), done["done"], "", "facilities"),
        Measure(_("Completed on time"), "—" if on_time is None else on_time, "%", "facilities"),
        Measure(_("Sent back for rework"), done["reworked"], "", "facilities"),
        Measure(
            _("Average quality rating"),
            "—" if rating is None else round(rating, 1),
            "/ 5",
            "facilities",
        ),
        Measure(_("Labour hours"), done["hours"] or 0, _("hours"), "facilities"),
    ]
