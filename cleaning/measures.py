"""What cleaning knows about a cleaner's appraisal period (shown beside the form)."""

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.registry import Measure

from .models import InspectionStatus, TaskStatus
from .services.tasks import rate


def cleaner_measures(employee, start, end):
    """The cleaner's tasks in the period (done, missed, completion) and the inspections of
    their areas (pass rate, average score): two queries."""
    tasks = employee.cleaning_tasks.filter(due_on__range=(start, end)).aggregate(
        done=Count("pk", filter=Q(status=TaskStatus.DONE)),
        missed=Count("pk", filter=Q(status=TaskStatus.OPEN, window_end__lt=timezone.now())),
    )
    inspections = (
        employee.inspected_cleaning.exclude(status=InspectionStatus.OPEN)
        .filter(inspected_at__date__range=(start, end))
        .aggregate(
            done=Count("pk"),
            passed=Count("pk", filter=Q(status=InspectionStatus.PASSED)),
            average=Avg("total"),
        )
    )
    if not (tasks["done"] or tasks["missed"] or inspections["done"]):
        return []
    completion = rate(tasks["done"], tasks["done"] + tasks["missed"])
    pass_rate = rate(inspections["passed"], inspections["done"])
    average = inspections["average"]
    return [
        Measure(_("Cleaning tasks done"), tasks["done"], "", "cleaning"),
        Measure(_("Cleaning tasks missed"), tasks["missed"], "", "cleaning"),
        Measure(
            _("Cleaning task completion"),
            "—" if completion is None else completion,
            "%",
            "cleaning",
        ),
        Measure(_("Inspections of their areas"), inspections["done"], "", "cleaning"),
        Measure(
            _("Inspection pass rate"), "—" if pass_rate is None else pass_rate, "%", "cleaning"
        ),
        Measure(
            _("Average inspection score"),
            "—" if average is None else round(average, 1),
            "/ 100",
            "cleaning",
        ),
    ]
