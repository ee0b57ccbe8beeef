from datetime import date

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def generate_work_orders_task(day: str | None = None):
    """Daily (beat): open the preventive work orders due. Safe to run twice; catches up."""
    from .services import generate_due_work_orders

    run_day = date.fromisoformat(day) if day else timezone.localdate()
    return [order.pk for order in generate_due_work_orders(run_day)]


@shared_task(acks_late=True)
def generate_rounds_task(day: str | None = None):
    """Daily (beat): open the inspection rounds due. Safe to run twice; catches up."""
    from .services import generate_due_rounds

    run_day = date.fromisoformat(day) if day else timezone.localdate()
    return [round_.pk for round_ in generate_due_rounds(run_day)]
