"""Staff reminders, day by day with time travel: who hears about what, and when."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from core.digests import send_reminders
from core.reminders import collect
from staff.models import EmployeeStatus
from tests.factories import PropertyFactory, UserFactory

from .factories import CertificateFactory, EmployeeFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


@pytest.fixture
def site():
    home, elsewhere = PropertyFactory(), PropertyFactory()
    hr = UserFactory(username="hr1", groups=["hr"], properties=[home])
    other_hr = UserFactory(username="hr2", groups=["hr"], properties=[elsewhere])
    boss_login = UserFactory(username="boss", groups=["facilities_supervisor"], properties=[home])
    boss = EmployeeFactory(property=home, user=boss_login)
    worker = EmployeeFactory(property=home, supervisor=boss)
    return {"home": home, "hr": hr, "other_hr": other_hr, "boss": boss_login, "worker": worker}


def kinds_for(user, day=TODAY):
    return sorted((r.kind.key, r.severity) for r in collect(day).get(user, []))


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (91, []),
        (90, [("staff.certificate_expiring", "info")]),
        (60, []),
        (30, [("staff.certificate_expiring", "info")]),
        (8, []),
        (7, [("staff.certificate_expiring", "warning")]),
        (0, [("staff.certificate_expiring", "warning")]),
        (-1, [("staff.certificate_expired", "danger")]),
    ],
)
def test_certificate_expiry_milestones(site, days_left, expected):
    CertificateFactory(employee=site["worker"], expires_on=TODAY + timedelta(days=days_left))
    assert kinds_for(site["hr"]) == expected
    assert kinds_for(site["boss"]) == expected  # the supervisor, through their login
    assert kinds_for(site["other_hr"]) == []  # HR of another property hears nothing


def test_a_renewed_certificate_stops_the_reminders(site):
    old = CertificateFactory(employee=site["worker"], expires_on=TODAY + timedelta(days=7))
    assert kinds_for(site["hr"]) == [("staff.certificate_expiring", "warning")]
    CertificateFactory(employee=site["worker"], type=old.type, expires_on=date(2030, 1, 1))
    assert kinds_for(site["hr"]) == []
    assert kinds_for(site["hr"], TODAY + timedelta(days=30)) == []  # expired, but replaced


def test_resigned_employees_are_left_alone(site):
    worker = site["worker"]
    worker.status, worker.resigned_on = EmployeeStatus.RESIGNED, TODAY
    worker.save()
    CertificateFactory(employee=worker, expires_on=TODAY - timedelta(days=3))
    assert kinds_for(site["hr"]) == []


def test_reviews_are_reminded_before_and_after_their_date(site):
    certificate = CertificateFactory(
        employee=site["worker"], next_review_on=TODAY + timedelta(days=30)
    )
    assert kinds_for(site["hr"]) == [("staff.certificate_review", "info")]
    assert kinds_for(site["hr"], TODAY + timedelta(days=10)) == []
    assert kinds_for(site["hr"], TODAY + timedelta(days=25)) == [
        ("staff.certificate_review", "warning")
    ]
    assert kinds_for(site["hr"], TODAY + timedelta(days=31)) == [
        ("staff.certificate_review", "danger")
    ]
    certificate.next_review_on = TODAY + timedelta(days=400)
    certificate.save()
    assert kinds_for(site["hr"], TODAY + timedelta(days=31)) == []


def test_probation_ending_within_two_weeks(site):
    worker = site["worker"]
    worker.status, worker.probation_end = EmployeeStatus.PROBATION, TODAY + timedelta(days=15)
    worker.hire_date = TODAY - timedelta(days=60)
    worker.save()
    assert kinds_for(site["hr"]) == []
    assert kinds_for(site["hr"], TODAY + timedelta(days=1)) == [
        ("staff.probation_ending", "warning")
    ]
    assert kinds_for(site["hr"], TODAY + timedelta(days=16)) == [
        ("staff.probation_ending", "danger")
    ]


def test_the_digest_reaches_hr_with_a_link_to_the_certificate(site, settings):
    certificate = CertificateFactory(employee=site["worker"], expires_on=TODAY)
    with time_machine.travel("2026-11-24 07:00 +0800", tick=False):
        result = send_reminders()
    assert {u.username for u in result.sent} == {"hr1", "boss"}
    to_hr = next(m for m in mail.outbox if m.to == [site["hr"].email])
    assert f"https://houqin.test/staff/certificates/{certificate.pk}/" in to_hr.body
