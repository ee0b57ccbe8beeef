"""The reminder framework: one digest per user per day, in their language, sent once."""

import smtplib
from datetime import date

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.utils.translation import gettext_lazy as _

from core import digests
from core.models import Digest, Severity
from core.reminders import Reminder, ReminderKind, collect, registered
from core.tasks import DigestsFailed, send_reminders_task
from tests.factories import LocationFactory, UserFactory

pytestmark = pytest.mark.django_db

CHECK = ReminderKind("tests.location_check", _("Locations"))
DAY = date(2026, 11, 24)


@pytest.fixture
def people():
    return {
        "zh": UserFactory(username="zh", language="zh-hans", first_name="小王"),
        "en": UserFactory(username="en", language="en", first_name="Amy"),
        "no_mail": UserFactory(username="nomail", email=""),
    }


@pytest.fixture
def source(people):
    location = LocationFactory(name="配电房")
    other = LocationFactory(name="水泵房")
    for user in people.values():  # recipients work where the records are
        user.properties.add(location.property, other.property)

    def due_today(day):
        for user in people.values():
            yield Reminder(user, CHECK, location, day, Severity.DANGER)
            yield Reminder(user, CHECK, location, day, Severity.DANGER)  # a duplicate
            yield Reminder(user, CHECK, other, None, Severity.INFO)

    with registered(due_today):
        yield location


class FailingBackend:
    """An SMTP server that refuses every message."""

    calls = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        FailingBackend.calls += 1
        raise smtplib.SMTPServerDisconnected("connection refused")


def test_collect_groups_per_user_and_drops_duplicates(people, source):
    per_user = collect(DAY)
    assert set(per_user) == set(people.values())
    items = per_user[people["en"]]
    assert len(items) == 2
    assert items[0].severity == Severity.DANGER  # most urgent first


def test_two_runs_on_the_same_day_send_one_digest(people, source):
    first = digests.send_reminders(DAY)
    second = digests.send_reminders(DAY)
    assert len(first.sent) == 2  # the user without an e-mail address gets none
    assert second.sent == [] and len(second.skipped) == 2
    assert len(mail.outbox) == 2
    assert Digest.objects.filter(date=DAY, sent_at__isnull=False).count() == 2
    digest = Digest.objects.get(user=people["en"], date=DAY)
    assert digest.item_count == 2
    assert digest.items.count() == 2


def test_the_task_and_the_command_share_the_record(people, source):
    send_reminders_task.apply(kwargs={"day": DAY.isoformat()})
    call_command("send_reminders", "--date", DAY.isoformat())
    assert len(mail.outbox) == 2


def test_a_claimed_digest_is_not_sent_by_a_second_worker(people, source):
    digest = Digest.objects.create(user=people["en"], date=DAY)
    assert digests._claim(digest)
    assert digests.deliver_digest(people["en"], DAY, collect(DAY)[people["en"]]) == "skipped"
    assert mail.outbox == []


def test_the_digest_is_in_the_recipients_language_with_absolute_links(people, source):
    digests.send_reminders(DAY)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    zh = by_recipient[people["zh"].email]
    en = by_recipient[people["en"].email]
    assert "need your attention" in en.subject
    assert "need your attention" not in zh.subject
    assert "需要您处理" in zh.subject
    link = f"https://houqin.test{source.get_absolute_url()}"
    for message in (zh, en):
        assert link in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html" and link in html
        assert "配电房" in message.body


def test_a_failing_smtp_server_is_retried_and_nothing_is_marked_sent(settings, people, source):
    settings.EMAIL_BACKEND = "tests.core.test_reminders.FailingBackend"
    settings.REMINDER_SEND_ATTEMPTS = 3
    FailingBackend.calls = 0
    result = digests.send_reminders(DAY)
    assert len(result.failed) == 2
    # Three attempts for the first digest; the outage then spares the server the second.
    assert FailingBackend.calls == 3
    tried = Digest.objects.get(date=DAY)
    assert tried.sent_at is None
    assert tried.claimed_at is None  # released, so a later run may try again
    assert tried.attempts == 3
    assert "SMTPServerDisconnected" in tried.last_error
    assert not tried.items.exists()
    # The server comes back: the next run sends both.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert len(digests.send_reminders(DAY).sent) == 2
    assert len(mail.outbox) == 2


class RefusingBackend(locmem.EmailBackend):
    """Accepts every message except those to one address."""

    def send_messages(self, messages):
        for message in messages:
            if "zh@" in message.to[0]:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        return super().send_messages(messages)


def test_a_refused_recipient_does_not_stop_the_others(settings, people, source):
    settings.EMAIL_BACKEND = "tests.core.test_reminders.RefusingBackend"
    result = digests.send_reminders(DAY)
    assert [u.username for u in result.failed] == ["zh"]
    assert [u.username for u in result.sent] == ["en"]
    assert Digest.objects.get(user=people["zh"]).claimed_at is None


def test_a_broken_source_or_item_does_not_stop_the_run(people, source):
    def broken_source(day):
        raise RuntimeError("bug in a source")

    def unlinkable(day):  # an object without a page: building the digest fails
        yield Reminder(people["zh"], CHECK, people["zh"], day, Severity.INFO)

    with registered(broken_source, unlinkable):
        result = digests.send_reminders(DAY)
    assert [u.username for u in result.failed] == ["zh"]
    assert [u.username for u in result.sent] == ["en"]
    assert len(result.source_errors) == 1
    assert Digest.objects.get(user=people["zh"]).claimed_at is None


def test_the_task_retries_the_same_day_later_when_digests_fail(
    settings, people, source, monkeypatch
):
    settings.EMAIL_BACKEND = "tests.core.test_reminders.FailingBackend"
    settings.REMINDER_SEND_ATTEMPTS = 1
    retries = []

    def retry(**kwargs):
        retries.append(kwargs)
        return Retry()

    monkeypatch.setattr(send_reminders_task, "retry", retry)
    outcome = send_reminders_task.apply(kwargs={"day": DAY.isoformat()})
    assert outcome.state == "RETRY"
    assert retries[0]["kwargs"] == {"day": DAY.isoformat()}
    assert retries[0]["countdown"] == 60
    assert isinstance(retries[0]["exc"], DigestsFailed)


def test_the_command_defaults_to_today_and_has_a_dry_run(people, source, capsys):
    with time_machine.travel("2026-11-24 08:00 +0800", tick=False):
        call_command("send_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run for 2026-11-24: 2 digests." in out
    assert mail.outbox == [] and not Digest.objects.exists()


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "24/11/2026")


def test_the_daily_schedule_exists_for_beat():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="core.tasks.send_reminders_task")
    assert task.enabled and task.crontab.hour == "7"


def test_a_reminder_about_a_record_its_recipient_may_not_open_is_dropped(people, source):
    """Whatever a source yields, nobody is reminded of (and linked to) a record of a
    property they do not work on."""
    elsewhere = LocationFactory(name="别处")

    def careless(day):
        yield Reminder(people["en"], CHECK, elsewhere, day, Severity.DANGER)

    with registered(careless):
        found = collect(DAY)
    assert elsewhere not in [r.obj for r in found[people["en"]]]
    assert source in [r.obj for r in found[people["en"]]]
