"""Visitor and access-card operations: each atomic, with the acting user; views, admin, the
demo and tests all call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workflow import save_with_history

from ..models import ACCESS_CARD, VISITOR, Visitor, VisitorStatus


@transaction.atomic
def pre_register(visitor, *, by):
    """Save a new visitor who is expected (not yet here)."""
    visitor.status = VisitorStatus.EXPECTED
    visitor.arrived_at = visitor.left_at = None
    visitor.registered_by = by
    save_with_history(visitor, by)
    return visitor


@transaction.atomic
def register_arrival(visitor, *, by, at=None):
    """Save a new walk-in visitor, signed in now."""
    visitor.status = VisitorStatus.ON_SITE
    visitor.arrived_at, visitor.left_at = at or timezone.now(), None
    visitor.registered_by = by
    save_with_history(visitor, by)
    VISITOR.record(visitor, "arrive", by=by, status_to=VisitorStatus.ON_SITE, at=visitor.arrived_at)
    return visitor


def sign_in(visitor, *, by, badge="", at=None):
    """An expected visitor arrives at the gate (one tap): time in now, badge if given."""
    values = {"arrived_at": at or timezone.now()}
    if badge:
        values["badge"] = badge
    return VISITOR.transition(visitor, "arrive", by=by, **values)


def sign_out(visitor, *, by, at=None):
    """A visitor on site leaves: time out now (never before the time in)."""
    with transaction.atomic():
        locked = VISITOR.lock(visitor)
        at = at or timezone.now()
        if locked.arrived_at and at < locked.arrived_at:
            raise ValidationError(_("The time out cannot be before the time in."))
        return VISITOR.step(locked, "leave", by=by, left_at=at)


def mark_no_show(visitor, *, by):
    return VISITOR.transition(visitor, "no_show", by=by)


def cancel_visit(visitor, *, by):
    return VISITOR.transition(visitor, "cancel", by=by)


def on_site_now(property_):
    """Who is on site at ``property_`` now, longest there first: the roll-call list."""
    return (
        Visitor.objects.filter(property=property_, status=VisitorStatus.ON_SITE)
        .select_related("host", "unit")
        .order_by("arrived_at", "pk")
    )


# --- access cards ---------------------------------------------------------------------------


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason."))
    return reason


def report_card_lost(card, *, by, reason):
    return ACCESS_CARD.transition(card, "report_lost", by=by, text=_reason(reason))


def revoke_card(card, *, by, reason):
    return ACCESS_CARD.transition(card, "revoke", by=by, text=_reason(reason))


def reactivate_card(card, *, by, reason):
    return ACCESS_CARD.transition(card, "reactivate", by=by, text=_reason(reason))


def deactivation_log(card):
    """The card's timeline: who reported it lost, revoked or reactivated it, when, why."""
    return ACCESS_CARD.events(card)
