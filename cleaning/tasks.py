"""The cleaning app's Celery tasks (found by ``autodiscover_tasks``)."""

from datetime import date

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def generate_cleaning_tasks_task(day: str | None = None):
    """Daily (beat): make the cleaning tasks due. Safe to run twice; catches up."""
    from .services import generate_due_tasks

    run_day = date.fromisoformat(day) if day else timezone.localdate()
    return len(generate_due_tasks(run_day))


from .tasks_waste import (  # noqa: E402, F401
    generate_expected_collections_task,
    generate_greening_tasks_task,
)
