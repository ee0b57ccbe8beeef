"""Waste collection: the expected collections each schedule makes (core's generator, in
batches), and recording a collection made."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.recurrence import Generator
from core.workflow import save_with_history

from ..models import CollectionSchedule, ExpectedCollection

MAX_CATCH_UP = 60


def expected_rows(todo):
    """The expected collections of each (schedule, dates) of ``todo``."""
    rows = []
    for schedule, dates in todo:
        for day in dates:
            start, end = schedule.window_on(day)
            rows.append(
                ExpectedCollection(
                    schedule=schedule,
                    point_id=schedule.point_id,
                    category=schedule.category,
                    due_on=day,
                    window_start=start,
                    window_end=end,
                    hauler_id=schedule.hauler_id,
                )
            )
    return rows


class ExpectedCollections(Generator):
    """Each active schedule of an active point expects its collections on their days, a
    day ahead (so today's and tomorrow's are always there): one per schedule and day,
    catching up missed days, 200 schedules per transaction. A schedule is always fixed."""

    name = "expected waste collections"
    max_catch_up = MAX_CATCH_UP
    batch_size = 200
    lead = 1

    def due_sources(self, day):
        due = CollectionSchedule.objects.filter(
            active=True, point__active=True, next_due__lte=day + timedelta(days=self.lead)
        ).order_by("pk")
        return list(due.values_list("pk", flat=True))

    def locked(self):
        return CollectionSchedule.objects.select_for_update(of=("self",)).select_related("point")

    def lock(self, pk):
        return self.locked().get(pk=pk)

    def lock_many(self, pks):
        return list(self.locked().filter(pk__in=pks).order_by("pk"))

    def skip(self, schedule):
        return not (schedule.active and schedule.point.active)

    def floating(self, schedule):
        return False

    def lead_days_of(self, schedule):
        return self.lead

    def existing(self, schedule, dates):
        return self.existing_many([(schedule, dates)]).get(schedule.pk, set())

    def existing_many(self, wanted):
        have = {}
        rows = ExpectedCollection.objects.filter(
            schedule__in=[schedule.pk for schedule, _dates in wanted],
            due_on__in={day for _schedule, dates in wanted for day in dates},
        ).values_list("schedule_id", "due_on")
        for schedule_id, due_on in rows:
            have.setdefault(schedule_id, set()).add(due_on)
        return have

    def create(self, schedule, dates):
        return self.create_many([(schedule, dates)])

    def create_many(self, todo):
        return ExpectedCollection.objects.bulk_create(expected_rows(todo))


def generate_expected_collections(day=None):
    """The daily task: expect every collection due by tomorrow. Running it twice makes
    nothing more; days without a run are caught up (each one then shows as missed unless a
    collection was logged in its window)."""
    return ExpectedCollections().run(day or timezone.localdate())


@transaction.atomic
def record_collection(collection, *, by):
    """Save a collection logged by ``by`` (the form's instance, validated)."""
    if collection.pk is None:
        collection.recorded_by = by
    if collection.hauler_id is None and collection.point_id:
        # The hauler of the point's schedule for this category, when there is exactly one.
        haulers = set(
            CollectionSchedule.objects.filter(
                point=collection.point_id, category=collection.category, hauler__isnull=False
            ).values_list("hauler_id", flat=True)[:2]
        )
        if len(haulers) == 1:
            collection.hauler_id = haulers.pop()
    collection.full_clean()
    return save_with_history(collection, by)
