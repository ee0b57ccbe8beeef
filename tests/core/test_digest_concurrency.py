"""Two workers racing for the same digests send each one exactly once (PostgreSQL row claims)."""

import threading
from datetime import date

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils.translation import gettext_lazy as _

from core import digests
from core.models import Digest, Severity
from core.reminders import Reminder, ReminderKind, registered
from tests.factories import LocationFactory, UserFactory

KIND = ReminderKind("tests.race", _("Locations"))
DAY = date(2026, 11, 24)


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_digest_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (CI); SQLite serialises writers")
    location = LocationFactory()
    users = [UserFactory(username=f"racer{i}", properties=[location.property]) for i in range(6)]

    def source(day):
        for user in users:
            yield Reminder(user, KIND, location, day, Severity.WARNING)

    barrier = threading.Barrier(4)
    errors = []

    def worker():
        try:
            barrier.wait()
            digests.send_reminders(DAY)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    with registered(source):
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert Digest.objects.filter(date=DAY, sent_at__isnull=False).count() == len(users)
