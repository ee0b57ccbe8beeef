"""What patrols offer the rest of the site (reminders, My work, calendar, search, monthly
figures, appraisal measures, sidebar, autocomplete); ``safety/hooks.py`` declares them. Each
provider scopes what it returns and costs a few queries whatever the number of rows. No
provider ever shows a checkpoint's token."""

from datetime import datetime, time, timedelta

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.autocomplete import Source
from core.calendar import day_bounds
from core.models import Severity
from core.navigation import NavLink
from core.registry import CalendarEvent, Figure, Measure, SearchResult, WorkItem
from core.reminders import Reminder, ReminderKind
from core.roles import SECURITY_SUPERVISOR
from core.scoping import Audience, scope_queryset
from core.search import PER_TYPE, more_url
from core.work import WorkSource

from .models import Checkpoint, PatrolRound, PatrolRoute, RoundStatus
from .models.patrols import OPEN_STATUSES
from .services.patrols import LATE_START, completion_rate

AREA = "safety"
PATROLS = _("Patrols")

NAV_LINKS = [
    NavLink(
        _("Patrol rounds"), "safety:patrolround_list", "safety.view_patrolround", group=PATROLS
    ),
    NavLink(
        _("Patrol routes"), "safety:patrolroute_list", "safety.view_patrolroute", group=PATROLS
    ),
    NavLink(_("Checkpoints"), "safety:checkpoint_list", "safety.view_checkpoint", group=PATROLS),
    NavLink(
        _("Patrol schedules"),
        "safety:patrolschedule_list",
        "safety.view_patrolschedule",
        group=PATROLS,
    ),
    NavLink(_("Patrol scans"), "safety:scan_list", "safety.view_scan", group=PATROLS),
]

AUTOCOMPLETE = [
    Source(
        "safety.patrolroute",
        PatrolRoute,
        search_fields=("name",),
        label=lambda route: f"{route.property.code} · {route.name}",
        select_related=("property",),
        order_by=("property__code", "name"),
    ),
    Source(
        "safety.checkpoint",
        Checkpoint,
        search_fields=("name", "code"),
        label=lambda checkpoint: f"{checkpoint.code} · {checkpoint.name}",
        order_by=("property_id", "route_id", "position"),
    ),
]


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


# --- reminders --------------------------------------------------------------------------------

MISSED_ROUND = ReminderKind("safety.missed_round", _("Patrol rounds missed yesterday"))
LATE_ROUND = ReminderKind("safety.late_round", _("Patrol rounds not started on time"))


def missed_rounds(day):
    """Yesterday's rounds that ended incomplete or were never walked, to the security
    supervisors of the property."""
    audience = Audience(SECURITY_SUPERVISOR)
    yesterday = day - timedelta(days=1)
    rounds = (
        PatrolRound.objects.filter(due_on=yesterday)
        .filter(
            Q(status__in=(RoundStatus.INCOMPLETE, RoundStatus.EXPIRED))
            | Q(status__in=OPEN_STATUSES, window_end__lt=_start_of(day))
        )
        .select_related("route")
        .order_by("window_start", "pk")
    )
    for round_ in rounds:
        note = f"{timezone.localtime(round_.window_start):%H:%M} · {round_.get_status_display()}"
        for user in audience.for_property(round_.route.property_id):
            yield Reminder(user, MISSED_ROUND, round_, yesterday, Severity.DANGER, note)


def late_rounds(day):
    """Yesterday's rounds nobody started on time and no supervisor has acknowledged."""
    audience = Audience(SECURITY_SUPERVISOR)
    yesterday = day - timedelta(days=1)
    rounds = (
        PatrolRound.objects.filter(due_on=yesterday, acknowledged_at__isnull=True)
        .filter(Q(started_at__isnull=True) | Q(started_at__gt=F("window_start") + LATE_START))
        .select_related("route")
        .order_by("window_start", "pk")
    )
    for round_ in rounds:
        note = f"{timezone.localtime(round_.window_start):%H:%M}"
        for user in audience.for_property(round_.route.property_id):
            yield Reminder(user, LATE_ROUND, round_, yesterday, Severity.WARNING, note)


# --- My work ----------------------------------------------------------------------------------


def _rounds_to_walk(user, day):
    if not user.has_perm("safety.add_scan"):
        return None
    now = timezone.now()
    return scope_queryset(
        PatrolRound.objects.filter(status__in=OPEN_STATUSES, due_on=day, window_end__gte=now)
        .filter(Q(guard__isnull=True) | Q(guard=user))
        .select_related("route__property")
        .order_by("window_start", "pk"),
        user,
    )


def _round_item(round_, user):
    start = timezone.localtime(round_.window_start)
    end = timezone.localtime(round_.window_end)
    return WorkItem(
        area=AREA,
        kind=_("Patrol round to walk"),
        title=round_.route.name,
        url=round_.get_absolute_url(),
        due=round_.window_end,
        severity=Severity.WARNING
        if round_.status == RoundStatus.PENDING
        and round_.window_start + LATE_START < timezone.now()
        else "",
        detail=f"{start:%H:%M}–{end:%H:%M} · {round_.get_status_display()}",
        property_code=round_.route.property.code,
        group="patrols",
        group_label=_("Patrol rounds"),
    )


rounds_to_walk = WorkSource(
    _rounds_to_walk, _round_item, limit=30, list_url="safety:patrolround_list"
)


# --- calendar ---------------------------------------------------------------------------------


def patrol_rounds(user, start, end):
    if not user.has_perm("safety.view_patrolround"):
        return []
    first, last = day_bounds(start, end)
    rounds = scope_queryset(
        PatrolRound.objects.filter(window_start__gte=first, window_start__lt=last).select_related(
            "route__property"
        ),
        user,
    )
    return [
        CalendarEvent(
            uid=f"safety.patrolround.{round_.pk}",
            area=AREA,
            kind=_("Patrol round"),
            title=round_.route.name,
            start=round_.window_start,
            end=round_.window_end,
            url=round_.get_absolute_url(),
            group="patrols",
            property_code=round_.route.property.code,
            severity="danger"
            if round_.status in (RoundStatus.INCOMPLETE, RoundStatus.EXPIRED)
            else "",
            detail=str(round_.get_status_display()),
            done=round_.status == RoundStatus.COMPLETE,
        )
        for round_ in rounds
    ]


# --- search -----------------------------------------------------------------------------------


def checkpoints(user, query):
    """Checkpoints by name or short code (never by token)."""
    if not user.has_perm("safety.view_checkpoint"):
        return []
    found = (
        scope_queryset(Checkpoint.objects.select_related("route", "property"), user)
        .filter(query.q("name") | Q(code__iexact=query.text.strip()[:12]))
        .annotate(
            rank=Case(
                When(code__iexact=query.text.strip()[:12], then=Value(0)),
                When(name__iexact=query.text, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "property__code", "route_id", "position")[:PER_TYPE]
    )
    label = capfirst(Checkpoint._meta.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=checkpoint.name,
            url=checkpoint.get_absolute_url(),
            detail=f"{checkpoint.property.code} · {checkpoint.route.name} · {checkpoint.code}",
            rank=checkpoint.rank,
            more_url=more_url("safety:checkpoint_list", query),
        )
        for checkpoint in found
    ]


# --- monthly figures and appraisal ------------------------------------------------------------


def month_figures(property_, month):
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    rounds = PatrolRound.objects.filter(
        route__property=property_, due_on__gte=first, due_on__lt=following
    )
    complete, closed, rate = completion_rate(rounds)
    return [
        Figure("safety.patrol_completion", _("Patrol round completion"), rate, "%"),
        Figure("safety.patrol_rounds_missed", _("Patrol rounds missed"), closed - complete),
    ]


def guard_measures(employee, start, end):
    """The guard's patrol rounds in the period: walked, complete, completion rate."""
    if not employee.user_id:
        return []
    rounds = PatrolRound.objects.filter(guard=employee.user_id, due_on__range=(start, end))
    complete, closed, rate = completion_rate(rounds)
    if not closed:
        return []
    return [
        Measure(_("Patrol rounds walked"), closed, "", "safety"),
        Measure(_("Patrol rounds complete"), complete, "", "safety"),
        Measure(_("Patrol round completion"), rate, "%", "safety"),
    ]
