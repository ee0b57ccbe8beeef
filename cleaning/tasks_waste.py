"""Daily beat tasks of waste collection and greening: thin, safe to run twice."""

from datetime import date

from celery import shared_task
from django.utils import timezone


def _day(day):
    return date.fromisoformat(day) if day else timezone.localdate()


@shared_task(acks_late=True)
def generate_expected_collections_task(day: str | None = None):
    """Daily (beat): expect the waste collections due by tomorrow. Idempotent; catches up."""
    from .services.waste import generate_expected_collections

    return len(generate_expected_collections(_day(day)))


@shared_task(acks_late=True)
def generate_greening_tasks_task(day: str | None = None):
    """Daily (beat): open the greening tasks due within their plans' lead days. Idempotent;
    catches up."""
    from .services.greening import generate_greening_tasks

    return len(generate_greening_tasks(_day(day)))
