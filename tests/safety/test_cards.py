"""Access cards: the deactivation log (who, when, why), reactivation, constraints, the
expiring-card reminder."""

import datetime
import functools
from http import HTTPStatus

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import TimelineEvent
from core.reminders import collect
from core.roles import GUARD, SECURITY_SUPERVISOR
from core.search import parse
from safety import services
from safety.models import CardStatus
from safety.providers_visitors import CARD_EXPIRING, access_cards, cards_expiring, month_figures
from tests.factories import PropertyFactory, UserFactory

from .factories_visitors import AccessCardFactory, VisitorFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def home():
    return PropertyFactory()


@pytest.fixture
def supervisor(home):
    return UserFactory(groups=[SECURITY_SUPERVISOR], properties=[home])


def test_lost_revoked_and_reactivated_are_logged_with_who_and_why(home, supervisor):
    card = AccessCardFactory(property=home)
    services.report_card_lost(card, by=supervisor, reason="业主报失")
    services.reactivate_card(card, by=supervisor, reason="卡已找回")
    services.revoke_card(card, by=supervisor, reason="退租收回")
    card.refresh_from_db()
    assert card.status == CardStatus.REVOKED
    log = [(e.action, e.by_id, e.text) for e in services.deactivation_log(card)]
    assert log == [
        ("report_lost", supervisor.pk, "业主报失"),
        ("reactivate", supervisor.pk, "卡已找回"),
        ("revoke", supervisor.pk, "退租收回"),
    ]


def test_a_reason_is_required_and_a_revoked_card_cannot_be_lost(home, supervisor):
    card = AccessCardFactory(property=home)
    with pytest.raises(ValidationError):
        services.revoke_card(card, by=supervisor, reason="  ")
    services.revoke_card(card, by=supervisor, reason="离职")
    with pytest.raises(ValidationError):
        services.report_card_lost(card, by=supervisor, reason="丢了")
    assert TimelineEvent.objects.filter(object_id=card.pk).count() == 1


def test_actions_from_the_page(client, home, supervisor):
    card = AccessCardFactory(property=home)
    client.force_login(supervisor)
    page = client.get(card.get_absolute_url()).content.decode()
    assert reverse("safety:accesscard_lost", args=[card.pk]) in page
    # No reason: refused with a message, nothing changed.
    response = client.post(reverse("safety:accesscard_lost", args=[card.pk]), {"reason": ""})
    assert response.status_code == HTTPStatus.FOUND
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE
    client.post(reverse("safety:accesscard_lost", args=[card.pk]), {"reason": "丢失"})
    card.refresh_from_db()
    assert card.status == CardStatus.LOST
    assert "丢失" in client.get(card.get_absolute_url()).content.decode()


def test_guard_cannot_revoke_and_another_property_is_not_found(client, home):
    card = AccessCardFactory(property=home)
    guard = UserFactory(groups=[GUARD], properties=[home])
    client.force_login(guard)
    response = client.post(reverse("safety:accesscard_revoke", args=[card.pk]), {"reason": "x"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    outsider = UserFactory(groups=[SECURITY_SUPERVISOR], properties=[PropertyFactory()])
    client.force_login(outsider)
    response = client.post(reverse("safety:accesscard_revoke", args=[card.pk]), {"reason": "x"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE


def test_number_unique_per_property_case_insensitive(home):
    AccessCardFactory(property=home, number="A-1")
    AccessCardFactory(property=PropertyFactory(), number="A-1")  # another property: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessCardFactory(property=home, number="a-1")


def test_expires_after_issue(home):
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessCardFactory(property=home, issued_on=TODAY, expires_on=TODAY)


def test_expiring_cards_remind_the_security_supervisor(home, supervisor):
    card = functools.partial(AccessCardFactory, issued_on=TODAY - datetime.timedelta(days=400))
    soon = card(property=home, expires_on=TODAY + datetime.timedelta(days=30))
    expired = card(property=home, expires_on=TODAY - datetime.timedelta(days=1))
    card(property=home, expires_on=TODAY + datetime.timedelta(days=31))
    lost = card(property=home, expires_on=TODAY + datetime.timedelta(days=3))
    services.report_card_lost(lost, by=supervisor, reason="丢失")
    card(property=PropertyFactory(), expires_on=TODAY + datetime.timedelta(days=3))
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0), tick=False):
        found = list(cards_expiring(TODAY))
        due = collect(TODAY)
    assert {(r.recipient, r.obj) for r in found} == {(supervisor, soon), (supervisor, expired)}
    assert {r.severity for r in found if r.obj == expired} == {"danger"}
    mine = [r for r in due[supervisor] if r.kind == CARD_EXPIRING]
    assert {r.obj for r in mine} == {soon, expired}


def test_card_search_by_number(home, supervisor):
    AccessCardFactory(property=home, number="JLG-0042")
    AccessCardFactory(property=PropertyFactory(), number="JLG-0043")
    results = access_cards(supervisor, parse("JLG-004"))
    assert [r.title.split(" · ")[0] for r in results] == ["JLG-0042"]


def test_month_figures_count_visitors_and_cards(home, supervisor):
    may = datetime.date(2026, 5, 1)
    arrived = timezone.make_aware(datetime.datetime(2026, 5, 10, 9, 0))
    visitor = services.register_arrival(
        VisitorFactory.build(property=home), by=supervisor, at=arrived
    )
    services.sign_out(visitor, by=supervisor, at=arrived + datetime.timedelta(hours=1))
    services.register_arrival(
        VisitorFactory.build(property=home),
        by=supervisor,
        at=timezone.make_aware(datetime.datetime(2026, 6, 2, 9, 0)),
    )
    card = AccessCardFactory(property=home, issued_on=datetime.date(2026, 5, 3))
    AccessCardFactory(property=home, issued_on=datetime.date(2026, 4, 3))
    with time_machine.travel(datetime.datetime(2026, 5, 20, 12, 0), tick=False):
        services.report_card_lost(card, by=supervisor, reason="丢失")
        services.revoke_card(card, by=supervisor, reason="注销")
    figures = {f.key: f.value for f in month_figures(home, may)}
    assert figures == {
        "safety.visitors": 1,
        "safety.cards_issued": 1,
        "safety.cards_deactivated": 1,
    }
