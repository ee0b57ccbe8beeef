"""Beat tasks of patrols: thin, safe to run twice."""

from datetime import date

from celery import shared_task
from django.utils import timezone

GENERATE_HOUR = 0
GENERATE_MINUTE = 5
CLOSE_HOUR = 0
CLOSE_MINUTE = 15


@shared_task(acks_late=True)
def generate_patrol_rounds_task(day: str | None = None):
    """Daily (beat): expect the patrol rounds due by tomorrow. Idempotent; catches up."""
    from .services.patrols import generate_rounds

    return len(generate_rounds(date.fromisoformat(day) if day else timezone.localdate()))


@shared_task(acks_late=True)
def close_expired_rounds_task():
    """Daily (beat): close the rounds whose window has ended (incomplete, or expired when
    never started). Running it twice changes nothing."""
    from .services.patrols import close_expired_rounds

    return close_expired_rounds()


def ensure_patrol_schedules(**kwargs):
    """The beat entries of patrols, created once after migrate (then editable in admin).
    core.schedules only makes daily entries, so rounds are closed once a night; pages and
    reminders treat a round whose window has ended as closed in the meantime."""
    from core.schedules import ensure_daily_task

    ensure_daily_task(
        "safety.tasks.generate_patrol_rounds_task",
        "Generate patrol rounds / 生成巡更任务",
        "Makes today's and tomorrow's patrol rounds of every schedule. "
        "每天按巡更计划生成今明两天的巡更任务。",
        hour=GENERATE_HOUR,
        minute=GENERATE_MINUTE,
    )
    ensure_daily_task(
        "safety.tasks.close_expired_rounds_task",
        "Close expired patrol rounds / 关闭过期巡更",
        "Closes the patrol rounds whose window has ended. 关闭已过时段的巡更任务。",
        hour=CLOSE_HOUR,
        minute=CLOSE_MINUTE,
    )
