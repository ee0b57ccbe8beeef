from datetime import date

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from .digests import send_reminders


class DigestsFailed(Exception):
    pass


# acks_late + reject_on_worker_lost: a worker that dies mid-run hands the task back; the
# digest claims make the second run send only what the first did not.
@shared_task(bind=True, max_retries=5, acks_late=True, reject_on_worker_lost=True)
def send_reminders_task(self, day: str | None = None):
    """The daily digest run (beat). Safe to run twice: sent digests are never sent again."""
    run_day = date.fromisoformat(day) if day else timezone.localdate()
    try:
        result = send_reminders(run_day)
    except SoftTimeLimitExceeded as exc:
        raise self.retry(kwargs={"day": run_day.isoformat()}, exc=exc, countdown=300) from exc
    if result.failed:
        # Retry the same day later, with growing delays; what was sent stays sent.
        raise self.retry(
            kwargs={"day": result.day.isoformat()},
            exc=DigestsFailed(f"{len(result.failed)} digests failed"),
            countdown=60 * 2**self.request.retries,
        )
    return {"day": result.day.isoformat(), "sent": len(result.sent)}


# An export of a few hundred thousand rows takes minutes, not the default ten.
@shared_task(
    acks_late=True, reject_on_worker_lost=True, time_limit=60 * 60, soft_time_limit=55 * 60
)
def run_export(job_id: int):
    """Write a queued export's file and e-mail its owner (``core.exports.run_job``). Safe to
    run twice: the job is claimed, so a second run does nothing."""
    from .exports import run_job

    job = run_job(job_id)
    return {"job": job_id, "status": job.status if job else "skipped"}


@shared_task
def expire_exports_task():
    """Daily (beat): delete export files past EXPORT_RETENTION_DAYS."""
    from .exports import expire_jobs

    return {"expired": expire_jobs()}
