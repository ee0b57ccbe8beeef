from datetime import date

from celery import shared_task

from .digests import send_reminders


class DigestsFailed(Exception):
    pass


@shared_task(bind=True, max_retries=5)
def send_reminders_task(self, day: str | None = None):
    """The daily digest run (beat). Safe to run twice: sent digests are never sent again."""
    result = send_reminders(date.fromisoformat(day) if day else None)
    if result.failed:
        # Retry the same day later, with growing delays; what was sent stays sent.
        raise self.retry(
            kwargs={"day": result.day.isoformat()},
            exc=DigestsFailed(f"{len(result.failed)} digests failed"),
            countdown=60 * 2**self.request.retries,
        )
    return {"day": result.day.isoformat(), "sent": len(result.sent)}
