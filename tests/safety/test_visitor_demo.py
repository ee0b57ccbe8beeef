"""The demo's visitors and cards: some on site, some expected today, one lost, one revoked,
some expiring; seeding twice adds nothing."""

import pytest
from django.utils import timezone

from core import demo as core_demo
from safety import demo_visitors
from safety.models import AccessCard, CardStatus, Visitor, VisitorStatus

pytestmark = pytest.mark.django_db


def test_demo_seeds_visitors_and_cards_once():
    core_demo.seed()
    demo_visitors.seed()
    today = timezone.localdate()
    for code in ("JLG", "HMC"):
        visitors = Visitor.objects.filter(property__code=code)
        assert visitors.filter(status=VisitorStatus.ON_SITE).count() >= 2
        assert visitors.expected_on(today).count() == 3
        assert visitors.filter(status=VisitorStatus.LEFT).count() > 50
        cards = AccessCard.objects.filter(property__code=code)
        assert cards.filter(status=CardStatus.LOST).count() == 1
        assert cards.filter(status=CardStatus.REVOKED).count() == 1
        assert cards.expiring(today).exists()
    before = (Visitor.objects.count(), AccessCard.objects.count())
    demo_visitors.seed()
    assert (Visitor.objects.count(), AccessCard.objects.count()) == before
