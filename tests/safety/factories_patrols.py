import datetime

import factory
from django.utils import timezone

from safety.models import Checkpoint, PatrolRound, PatrolRoute, PatrolSchedule, Scan
from tests.factories import PropertyFactory, UserFactory


class PatrolRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatrolRoute

    property = factory.SubFactory(PropertyFactory)
    name = factory.Sequence(lambda n: f"巡更路线{n}")


class CheckpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checkpoint

    route = factory.SubFactory(PatrolRouteFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"巡更点{n}")


class PatrolScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatrolSchedule

    route = factory.SubFactory(PatrolRouteFactory)
    unit = "days"
    interval = 1
    times = "08:00, 20:00"
    window_minutes = 60
    starts_on = datetime.date(2026, 11, 2)
    next_due = datetime.date(2026, 11, 2)


def _window_start(obj):
    return timezone.make_aware(datetime.datetime.combine(obj.due_on, datetime.time(8)))


class PatrolRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatrolRound

    route = factory.SubFactory(PatrolRouteFactory)
    due_on = datetime.date(2026, 11, 2)
    window_start = factory.LazyAttribute(_window_start)
    window_end = factory.LazyAttribute(lambda o: o.window_start + datetime.timedelta(hours=1))


class ScanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scan

    round = factory.SubFactory(PatrolRoundFactory)
    checkpoint = factory.LazyAttribute(lambda o: CheckpointFactory(route=o.round.route))
    scanned_by = factory.SubFactory(UserFactory)
    scanned_at = factory.LazyAttribute(
        lambda o: o.round.window_start + datetime.timedelta(minutes=5)
    )
