"""Cleaning tasks: generated each day from the standards × the active areas of their kind
(core's generator: idempotent per standard and day, catching up, in batches), checked off on
a phone, and counted: done, missed, completion rate by area, team and month."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core.recurrence import Generator
from core.workflow import save_with_history

from ..models import CleaningArea, CleaningStandard, CleaningTask, TaskStatus

MAX_CATCH_UP = 14  # a standard's days made in one run; the rest follow in the next
INSERT_BATCH = 2000


def cleaner_for(area):
    """The area's cleaner, when still on the books at the area's property."""
    cleaner = area.cleaner
    if cleaner is None or cleaner.status == "resigned" or cleaner.property_id != area.property_id:
        return None
    return cleaner


class DueTasks(Generator):
    """Each active standard makes, for each of its days, one task per time of day for every
    active area of its kind at its property (a standard without times: one task for the
    day). Standards are fixed series with no lead days."""

    name = "cleaning tasks"
    max_catch_up = MAX_CATCH_UP
    batch_size = 200

    def due_sources(self, day):
        due = CleaningStandard.objects.filter(active=True, next_due__lte=day).order_by("pk")
        return list(due.values_list("pk", flat=True))

    def locked(self):
        return CleaningStandard.objects.select_for_update(of=("self",))

    def lock(self, pk):
        return self.locked().get(pk=pk)

    def lock_many(self, pks):
        return list(self.locked().filter(pk__in=pks).order_by("pk"))

    def skip(self, standard):
        return not standard.active

    def floating(self, standard):
        return False

    def lead_days_of(self, standard):
        return 0

    def existing(self, standard, dates):
        return self.existing_many([(standard, dates)]).get(standard.pk, set())

    def existing_many(self, wanted):
        have = {}
        rows = (
            CleaningTask.objects.filter(
                standard__in=[standard.pk for standard, _dates in wanted],
                due_on__in={day for _standard, dates in wanted for day in dates},
            )
            .values_list("standard_id", "due_on")
            .distinct()
        )
        for standard_id, due_on in rows:
            have.setdefault(standard_id, set()).add(due_on)
        return have

    def create(self, standard, dates):
        return self.create_many([(standard, dates)])

    def create_many(self, todo):
        areas = {}
        wanted = Q()
        for standard, _dates in todo:
            wanted |= Q(property_id=standard.property_id, kind=standard.kind)
        for area in CleaningArea.objects.filter(wanted, active=True).select_related("cleaner"):
            areas.setdefault((area.property_id, area.kind), []).append(area)
        zone = timezone.get_current_timezone()
        tasks = []
        for standard, dates in todo:
            for day in dates:
                windows = standard.windows(day, zone)
                for area in areas.get((standard.property_id, standard.kind), []):
                    assignee = cleaner_for(area)
                    tasks.extend(
                        CleaningTask(
                            area=area,
                            standard=standard,
                            due_on=day,
                            slot=slot,
                            window_start=start,
                            window_end=end,
                            assignee=assignee,
                        )
                        for slot, start, end in windows
                    )
        for start in range(0, len(tasks), INSERT_BATCH):
            CleaningTask.objects.bulk_create(tasks[start : start + INSERT_BATCH])
        return tasks


def generate_due_tasks(day=None):
    """The daily task: make every cleaning task due by ``day``; running it twice makes
    nothing more, and days without a run are caught up."""
    return DueTasks().run(day or timezone.localdate())


def may_tick(task, user):
    """The task's cleaner, or whoever runs the inspections (the supervisor), ticks it off."""
    if user.has_perm("cleaning.add_cleaninginspection"):
        return True
    employee = getattr(user, "employee", None) if user.is_authenticated else None
    return employee is not None and task.assignee_id == employee.pk


@transaction.atomic
def complete_task(task, *, by, now=None):
    """The cleaner taps "done": the task keeps who and when. A task past its window counts
    as missed and is not ticked off afterwards."""
    task = CleaningTask.objects.select_for_update(of=("self",)).get(pk=task.pk)
    now = now or timezone.now()
    if task.status == TaskStatus.DONE:
        raise ValidationError(_("This task is already done."))
    if not may_tick(task, by):
        raise ValidationError(_("Only the task's cleaner or a cleaning supervisor ticks it off."))
    if now < task.window_start:
        raise ValidationError(_("This task's time has not come yet."))
    if now > task.window_end:
        raise ValidationError(_("This task's time has passed: it counts as missed."))
    task.status, task.completed_at, task.completed_by = TaskStatus.DONE, now, by
    return save_with_history(task, by, ["status", "completed_at", "completed_by"])


# --- figures --------------------------------------------------------------------------------


def completion(tasks, now=None):
    """Over ``tasks``: done, missed and the completion rate (done of those whose window has
    closed or that are done; tasks still within their window are not counted yet)."""
    now = now or timezone.now()
    figures = tasks.aggregate(
        done=Count("pk", filter=Q(status=TaskStatus.DONE)),
        missed=Count("pk", filter=Q(status=TaskStatus.OPEN, window_end__lt=now)),
    )
    return figures | {"rate": rate(figures["done"], figures["done"] + figures["missed"])}


def rate(part, whole):
    return None if not whole else round(part * 100 / whole, 1)


def completion_by(tasks, group, now=None):
    """Completion grouped by ``group`` ("area", "team" or "month"): rows of the group's key
    and label, done, missed and rate; one grouped query."""
    now = now or timezone.now()
    keys = {
        "area": ("area_id", "area__name"),
        "team": ("area__team_id", "area__team__name"),
        "month": ("month", "month"),
    }[group]
    if group == "month":
        tasks = tasks.annotate(month=TruncMonth("due_on"))
    rows = (
        tasks.order_by()
        .values(*dict.fromkeys(keys))
        .annotate(
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            missed=Count("pk", filter=Q(status=TaskStatus.OPEN, window_end__lt=now)),
        )
        .order_by(keys[1])
    )
    return [
        {
            "key": row[keys[0]],
            "label": row[keys[1]],
            "done": row["done"],
            "missed": row["missed"],
            "rate": rate(row["done"], row["done"] + row["missed"]),
        }
        for row in rows
    ]
