"""Daily reminder digests: one e-mail per user per day, sent at most once.

The ``Digest`` row (unique per user and day) is the record of what was sent. A run claims a
digest with a conditional update before sending, so two workers, a doubled beat or a retried
task never send the same digest twice; a digest whose send failed stays unsent and the next
run (or the task's retry) tries again.
"""

import logging
import smtplib
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from . import emails, reminders
from .models import Digest, DigestItem

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=15)
SEND_ERRORS = (smtplib.SMTPException, OSError)


@dataclass
class RunResult:
    day: date
    sent: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # already sent, or being sent by another run
    failed: list = field(default_factory=list)
    planned: list = field(default_factory=list)  # dry run: (user, reminders)
    source_errors: list = field(default_factory=list)  # sources that raised


def send_reminders(day: date | None = None, *, dry_run: bool = False) -> RunResult:
    """Collect every source's reminders for ``day`` and send each user their digest.

    One user's trouble (a refused address, a broken item) does not stop the others; an SMTP
    outage does: the remaining digests stay unclaimed for the task's retry.
    """
    day = day or timezone.localdate()
    result = RunResult(day=day)
    collected = reminders.collect(day, errors=result.source_errors)
    connection = None if dry_run else get_connection()
    outage = False
    for user, items in collected.items():
        if not (user.is_active and user.email):
            continue
        if dry_run:
            result.planned.append((user, items))
            continue
        if outage:
            result.failed.append(user)
            continue
        try:
            outcome = deliver_digest(user, day, items, connection=connection)
        except Exception:
            logger.exception("Digest for %s on %s could not be built or recorded", user, day)
            outcome = "failed"
        if outcome == "outage":
            outage, outcome = True, "failed"
        {"sent": result.sent, "failed": result.failed}.get(outcome, result.skipped).append(user)
    logger.info(
        "Reminders for %s: %d sent, %d skipped, %d failed",
        day,
        len(result.sent),
        len(result.skipped),
        len(result.failed),
    )
    return result


def _get_digest(user, day):
    try:
        with transaction.atomic():
            return Digest.objects.get_or_create(user=user, date=day)[0]
    except IntegrityError:  # another run created it between our get and our create
        return Digest.objects.get(user=user, date=day)


def _claim(digest) -> bool:
    now = timezone.now()
    return bool(
        Digest.objects.filter(pk=digest.pk, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM))
        .update(claimed_at=now)
    )


def _release(digest):
    Digest.objects.filter(pk=digest.pk, sent_at__isnull=True).update(claimed_at=None)


def deliver_digest(user, day: date, items: list, *, connection=None) -> str:
    """Send ``user`` their digest for ``day`` unless it went already.

    Returns "sent", "skipped", "failed" (this recipient was refused) or "outage" (the mail
    server could not be reached after every attempt). SMTP errors are retried with
    exponential backoff; a digest that did not go out is released for a later run.
    """
    digest = _get_digest(user, day)
    if digest.sent_at or not _claim(digest):
        return "skipped"
    try:
        language = user.language or settings.LANGUAGE_CODE
        message = build_digest(user, day, items, language)
        message.connection = connection
        outcome = _send_with_retries(digest, message, user, day)
        if outcome == "sent":
            _record_sent(digest, items, language)
        else:
            _release(digest)
        return outcome
    except BaseException:
        _release(digest)
        raise


def _send_with_retries(digest, message, user, day):
    attempts = max(1, settings.REMINDER_SEND_ATTEMPTS)
    for attempt in range(1, attempts + 1):
        try:
            message.send()
            return "sent"
        except smtplib.SMTPRecipientsRefused as exc:
            _note_failure(digest, exc)
            logger.error("Digest for %s on %s: recipient refused (%s)", user, day, exc)
            return "failed"
        except SEND_ERRORS as exc:
            _note_failure(digest, exc)
            if message.connection is not None and hasattr(message.connection, "close"):
                message.connection.close()
            if attempt == attempts:
                logger.error(
                    "Digest for %s on %s failed after %d attempts: %s", user, day, attempts, exc
                )
                return "outage"
            logger.warning(
                "Digest for %s on %s: attempt %d failed (%s); retrying", user, day, attempt, exc
            )
            time.sleep(settings.REMINDER_RETRY_DELAY * 2 ** (attempt - 1))
    return "outage"


def _note_failure(digest, exc):
    Digest.objects.filter(pk=digest.pk).update(
        attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
    )


@transaction.atomic
def _record_sent(digest, items, language):
    Digest.objects.filter(pk=digest.pk).update(
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        item_count=len(items),
        language=language,
        last_error="",
    )
    content_types = ContentType.objects.get_for_models(*{type(r.obj) for r in items})
    with translation.override(language):
        DigestItem.objects.bulk_create(
            DigestItem(
                digest=digest,
                kind=r.kind.key,
                content_type=content_types[type(r.obj)],
                object_id=r.obj.pk,
                label=str(r.obj)[:255],
                due=r.due,
                severity=r.severity,
            )
            for r in items
        )


def build_digest(user, day, items, language):
    """The digest e-mail: reminders grouped by kind, each with an absolute link."""
    lines = [
        {
            "reminder": r,
            "url": emails.absolute_url(r.obj.get_absolute_url()),
            "action_url": emails.absolute_url(r.action_url) if r.action_url else "",
        }
        for r in items
    ]
    groups = [
        {"kind": kind, "lines": list(group)}
        for kind, group in groupby(
            sorted(lines, key=lambda line: line["reminder"].kind.key),
            key=lambda line: line["reminder"].kind,
        )
    ]
    context = {"user": user, "day": day, "groups": groups, "count": len(items)}
    return emails.build("digest", context, [user.email], language)
