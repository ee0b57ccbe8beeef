"""What visitors and access cards offer the rest of the site (reminders, My work, search,
monthly figures, sidebar, autocomplete); ``safety/hooks.py`` declares them."""

from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.autocomplete import Source
from core.dashboard import Stat
from core.models import Severity, TimelineEvent
from core.navigation import NavLink
from core.registry import Figure, SearchResult, WorkAction, WorkItem
from core.reminders import Reminder, ReminderKind
from core.roles import SECURITY_SUPERVISOR
from core.scoping import Audience, scope_queryset, visible_records
from core.search import PER_TYPE, more_url
from core.work import WorkSource

from .models import AccessCard, CardStatus, Visitor, VisitorStatus
from .models.visitors import SEE_PHONE

AREA = "safety"
EXPIRY_DAYS = 30

VISITORS = _("Visitors & access")

NAV_LINKS = [
    NavLink(_("On site now"), "safety:visitor_on_site", "safety.view_visitor", group=VISITORS),
    NavLink(_("Visitors"), "safety:visitor_list", "safety.view_visitor", group=VISITORS),
    NavLink(_("Access cards"), "safety:accesscard_list", "safety.view_accesscard", group=VISITORS),
]

AUTOCOMPLETE = [
    Source(
        "safety.accesscard",
        AccessCard,
        search_fields=("number", "holder_name"),
        order_by=("property_id", "number"),
    ),
]


# --- reminders --------------------------------------------------------------------------------

CARD_EXPIRING = ReminderKind(
    "safety.card_expiring", _("Access cards expiring within 30 days or expired")
)


def cards_expiring(day):
    """Active access cards expiring within 30 days (a warning) or already expired (a
    danger), to the security supervisor of the property."""
    audience = Audience(SECURITY_SUPERVISOR)
    cards = AccessCard.objects.expiring(day, EXPIRY_DAYS).order_by("expires_on", "pk")
    for card in cards:
        severity = Severity.DANGER if card.expires_on < day else Severity.WARNING
        for recipient in audience.for_property(card.property_id):
            yield Reminder(recipient, CARD_EXPIRING, card, card.expires_on, severity)


# --- My work ----------------------------------------------------------------------------------


def _expected_today(user, day):
    """Visitors expected today at the user's properties, for who signs them in."""
    if not user.has_perm("safety.change_visitor"):
        return None
    return visible_records(
        Visitor.objects.filter(status=VisitorStatus.EXPECTED, expected_at__date=day)
        .select_related("property", "host")
        .order_by("expected_at", "pk"),
        user,
    )


def _visitor_item(visitor, user):
    return WorkItem(
        area=AREA,
        kind=_("Visitor expected"),
        title=visitor.name,
        url=visitor.get_absolute_url(),
        due=visitor.expected_at,
        detail=" · ".join(p for p in (visitor.host_display, visitor.purpose) if p)[:80],
        property_code=visitor.property.code,
        group="visitors",
        group_label=_("Visitors expected"),
        actions=(
            WorkAction(
                _("Sign in"),
                reverse("safety:visitor_sign_in", args=[visitor.pk]),
                "btn-outline-success",
                "box-arrow-in-right",
            ),
        ),
    )


visitors_expected_today = WorkSource(
    _expected_today, _visitor_item, limit=50, list_url="safety:visitor_list"
)


# --- search -----------------------------------------------------------------------------------


def visitors(user, query):
    """Visitors by name, plate or badge; by phone only for who may see phones in full."""
    if not user.has_perm("safety.view_visitor"):
        return []
    fields = ["name", "plate", "badge"]
    if user.has_perm(SEE_PHONE):
        fields.append("phone")
    found = (
        visible_records(Visitor.objects.select_related("property"), user)
        .filter(query.q(*fields))
        .annotate(
            rank=Case(
                When(Q(plate__iexact=query.text) | Q(badge__iexact=query.text), then=Value(0)),
                When(status=VisitorStatus.ON_SITE, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "-created_at", "-pk")[:PER_TYPE]
    )
    label = capfirst(Visitor._meta.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=visitor.name,
            url=visitor.get_absolute_url(),
            detail=" · ".join(
                str(part)
                for part in (
                    visitor.property.code,
                    visitor.get_status_display(),
                    visitor.plate,
                    visitor.phone_for(user),
                )
                if part
            ),
            rank=visitor.rank,
            more_url=more_url("safety:visitor_list", query),
        )
        for visitor in found
    ]


def access_cards(user, query):
    if not user.has_perm("safety.view_accesscard"):
        return []
    found = (
        scope_queryset(AccessCard.objects.select_related("property"), user)
        .filter(query.q("number", "holder_name"))
        .annotate(
            rank=Case(
                When(number__iexact=query.text, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "property__code", "number")[:PER_TYPE]
    )
    label = capfirst(AccessCard._meta.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=str(card),
            url=card.get_absolute_url(),
            detail=f"{card.property.code} · {card.get_status_display()}",
            rank=card.rank,
            more_url=more_url("safety:accesscard_list", query),
        )
        for card in found
    ]


# --- monthly figures --------------------------------------------------------------------------


def month_figures(property_, month):
    """Visitors signed in during the month; cards issued and deactivated (lost or revoked)."""
    first = month.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(after, time.min))
    visits = Visitor.objects.filter(
        property=property_, arrived_at__gte=start, arrived_at__lt=end
    ).count()
    issued = AccessCard.objects.filter(
        property=property_, issued_on__gte=first, issued_on__lt=after
    ).count()
    deactivated = _deactivations(property_, start, end)
    return [
        Figure("safety.visitors", _("Visitors"), visits),
        Figure("safety.cards_issued", _("Access cards issued"), issued),
        Figure("safety.cards_deactivated", _("Access cards deactivated"), deactivated),
    ]


def _deactivations(property_, start, end):
    cards = AccessCard.objects.filter(property=property_).values("pk")
    return (
        TimelineEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(AccessCard),
            object_id__in=cards,
            action__in=("report_lost", "revoke"),
            at__gte=start,
            at__lt=end,
        )
        .values("object_id")
        .distinct()
        .count()
    )


def on_site_figures(request):
    """Dashboard: visitors on site now, and active cards expiring within 30 days."""
    user = request.user
    stats = []
    if user.has_perm("safety.view_visitor"):
        count = visible_records(Visitor.objects.on_site(), user).count()
        stats.append(Stat(_("Visitors on site"), count, reverse("safety:visitor_on_site")))
    if user.has_perm("safety.view_accesscard"):
        today = timezone.localdate()
        figures = scope_queryset(AccessCard.objects.all(), user).aggregate(
            expiring=Count(
                "pk",
                filter=Q(
                    status=CardStatus.ACTIVE,
                    expires_on__lte=today + timedelta(days=EXPIRY_DAYS),
                ),
            )
        )
        url = reverse("safety:accesscard_list")
        stats.append(
            Stat(
                _("Access cards expiring"),
                figures["expiring"],
                f"{url}?expiring_soon=true",
                "warning" if figures["expiring"] else "",
            )
        )
    return stats
