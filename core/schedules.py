"""Daily Celery beat entries, created once after migrate; administrators may then change
them in django-celery-beat's admin (they are never overwritten)."""

from django.conf import settings


def ensure_daily_task(task: str, name: str, description: str, hour: int, minute: int = 0):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    if PeriodicTask.objects.filter(task=task).exists():
        return
    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute=str(minute),
        hour=str(hour),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.create(name=name, task=task, crontab=schedule, description=description)
