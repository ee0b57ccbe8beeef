from datetime import date

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def open_due_counts_task(day: str | None = None):
    """Daily (beat): open the stock counts due. Safe to run twice; catches up missed days."""
    from .services import open_due_counts

    run_day = date.fromisoformat(day) if day else timezone.localdate()
    return [count.pk for count in open_due_counts(run_day)]
