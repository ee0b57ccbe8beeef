"""What the hazards and incidents slice offers the rest of the site (reminders, My work,
calendar, search, monthly figures, sidebar links, autocomplete); declared in ``hooks.py``.
A query per kind, whatever the number of rows."""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.autocomplete import Source
from core.models import Severity
from core.navigation import NavLink
from core.registry import CalendarEvent, Figure, SearchResult, WorkItem
from core.reminders import Reminder, ReminderKind
from core.roles import DIRECTOR, SECURITY_SUPERVISOR
from core.scoping import Audience, scope_queryset
from core.search import PER_TYPE, document_number, more_url
from core.work import WorkSource

from .models import (
    ActionStatus,
    CorrectiveAction,
    Hazard,
    HazardGrade,
    HazardStatus,
    Incident,
    IncidentKind,
)

AREA = "safety"

NAV_LINKS = [
    NavLink(_("Hazards"), "safety:hazard_list", "safety.view_hazard"),
    NavLink(_("Incidents"), "safety:incident_list", "safety.view_incident"),
    NavLink(
        _("Corrective actions"),
        "safety:correctiveaction_list",
        "safety.view_correctiveaction",
    ),
]

AUTOCOMPLETE = [
    Source(
        "safety.incident",
        Incident,
        search_fields=("description", "report_number"),
        order_by=("-occurred_at", "-id"),
    ),
]

# --- reminders ------------------------------------------------------------------------------

HAZARD_DUE = ReminderKind("safety.hazard_due", _("Hazards due within 3 days"))
HAZARD_OVERDUE = ReminderKind("safety.hazard_overdue", _("Hazards past their deadline"))
ACTION_OVERDUE = ReminderKind("safety.action_overdue", _("Corrective actions past their due date"))
DUE_DAYS = 3


def _with_owner(users, owner):
    """``users`` and the owner's login, when it takes e-mail."""
    user = owner.user if owner is not None else None
    if user is not None and user.is_active and user.email and user not in users:
        users.append(user)
    return users


def _hazard_recipients(hazard, supervisors, directors):
    users = list(supervisors.for_property(hazard.property_id))
    if hazard.grade == HazardGrade.MAJOR:
        users += [u for u in directors.for_property(hazard.property_id) if u not in users]
    return _with_owner(users, hazard.owner)


def _hazard_reminders(found, kind, severity):
    supervisors, directors = Audience(SECURITY_SUPERVISOR), Audience(DIRECTOR)
    for hazard in found:
        note = f"{hazard.get_grade_display()} · {hazard.description[:60]}"
        for user in _hazard_recipients(hazard, supervisors, directors):
            yield Reminder(user, kind, hazard, hazard.deadline, severity, note)


def _open_hazards():
    return Hazard.objects.unresolved().select_related("owner__user").order_by("deadline", "pk")


def hazards_due(day):
    """Unclosed hazards due today or within 3 days: the security supervisor, the owner and,
    for a major hazard, the director."""
    found = _open_hazards().filter(deadline__gte=day, deadline__lte=day + timedelta(DUE_DAYS))
    yield from _hazard_reminders(found, HAZARD_DUE, Severity.WARNING)


def hazards_overdue(day):
    yield from _hazard_reminders(
        _open_hazards().filter(deadline__lt=day), HAZARD_OVERDUE, Severity.DANGER
    )


def actions_overdue(day):
    """Corrective actions not done by their due date: the security supervisor and the owner."""
    supervisors = Audience(SECURITY_SUPERVISOR)
    found = (
        CorrectiveAction.objects.overdue(day)
        .select_related("incident", "owner__user")
        .order_by("due_on", "pk")
    )
    for action in found:
        users = _with_owner(
            list(supervisors.for_property(action.incident.property_id)), action.owner
        )
        for user in users:
            yield Reminder(
                user, ACTION_OVERDUE, action, action.due_on, Severity.DANGER, str(action.incident)
            )


# --- My work --------------------------------------------------------------------------------


def _my_hazards(user, day):
    if not user.has_perm("safety.change_hazard"):
        return None
    return scope_queryset(
        Hazard.objects.for_user(user)
        .filter(status__in=[HazardStatus.OPEN, HazardStatus.RECTIFYING])
        .select_related("property")
        .order_by("deadline", "pk"),
        user,
    )


def _hazard_item(hazard, user):
    return WorkItem(
        area=AREA,
        kind=_("Hazard"),
        title=f"{hazard.number} · {hazard.description[:40]}",
        url=hazard.get_absolute_url(),
        due=hazard.deadline,
        severity="danger" if hazard.grade == HazardGrade.MAJOR else "warning",
        detail=hazard.get_status_display(),
        property_code=hazard.property.code,
        group="hazards",
        group_label=_("Hazards"),
    )


def _to_verify(user, day):
    """Hazards awaiting verification, for whoever may verify them (a supervisor who may
    change hazards; never their own)."""
    if not user.has_perm("safety.change_hazard"):
        return None
    return scope_queryset(
        Hazard.objects.filter(status=HazardStatus.AWAITING)
        .exclude(owner__user=user)
        .select_related("property")
        .order_by("deadline", "pk"),
        user,
    )


def _to_verify_item(hazard, user):
    return WorkItem(
        area=AREA,
        kind=_("Hazard to verify"),
        title=f"{hazard.number} · {hazard.description[:40]}",
        url=hazard.get_absolute_url(),
        due=hazard.deadline,
        detail=hazard.get_grade_display(),
        property_code=hazard.property.code,
        group="hazards_to_verify",
        group_label=_("Hazards to verify"),
    )


def _my_actions(user, day):
    if not user.has_perm("safety.change_correctiveaction"):
        return None
    return scope_queryset(
        CorrectiveAction.objects.for_user(user)
        .filter(status=ActionStatus.OPEN)
        .select_related("incident__property")
        .order_by("due_on", "pk"),
        user,
    )


def _action_item(action, user):
    return WorkItem(
        area=AREA,
        kind=_("Corrective action"),
        title=action.description[:60],
        url=action.get_absolute_url(),
        due=action.due_on,
        detail=str(action.incident),
        property_code=action.incident.property.code,
        group="corrective_actions",
        group_label=_("Corrective actions"),
    )


my_hazards = WorkSource(_my_hazards, _hazard_item, list_url="safety:hazard_list")
hazards_to_verify = WorkSource(_to_verify, _to_verify_item, list_url="safety:hazard_list")
my_corrective_actions = WorkSource(
    _my_actions, _action_item, list_url="safety:correctiveaction_list"
)

# --- calendar -------------------------------------------------------------------------------


def hazard_deadlines(user, start, end):
    if not user.has_perm("safety.view_hazard"):
        return []
    found = scope_queryset(
        Hazard.objects.unresolved()
        .filter(deadline__gte=start, deadline__lt=end)
        .select_related("property"),
        user,
    )
    today = timezone.localdate()
    return [
        CalendarEvent(
            uid=f"safety.hazard.{hazard.pk}.deadline",
            area=AREA,
            kind=_("Hazard deadline"),
            title=f"{hazard.number} · {hazard.description[:40]}",
            start=hazard.deadline,
            url=hazard.get_absolute_url(),
            group="hazards",
            property_code=hazard.property.code,
            severity="danger" if hazard.deadline < today else "",
            detail=f"{hazard.get_grade_display()} · {hazard.get_status_display()}",
        )
        for hazard in found
    ]


# --- search ---------------------------------------------------------------------------------


def _by_number_or_text(model, user, query, prefix, fields, list_url):
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        return []
    records = scope_queryset(model.objects.select_related("property"), user)
    pk = document_number(query, prefix)
    found = records.filter(pk=pk) if pk is not None else records.filter(query.q(*fields))
    label = capfirst(opts.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=f"{record.number} · {record.description[:60]}",
            url=record.get_absolute_url(),
            detail=f"{record.property.code} · {record.get_status_display()}",
            more_url=more_url(list_url, query),
        )
        for record in found[:PER_TYPE]
    ]


def search_hazards(user, query):
    """A hazard by its number (YH-000123) or its description or place."""
    return _by_number_or_text(
        Hazard, user, query, "YH", ("description", "location__full_name"), "safety:hazard_list"
    )


def search_incidents(user, query):
    """An incident by its number (SJ-000123), description, place or report number."""
    return _by_number_or_text(
        Incident,
        user,
        query,
        "SJ",
        ("description", "location__full_name", "report_number"),
        "safety:incident_list",
    )


# --- monthly figures ------------------------------------------------------------------------


def month_figures(property_, month):
    """Hazards found, closed and overdue by grade, and incidents by kind, in the month."""
    first = month.replace(day=1)
    following = first + relativedelta(months=1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(following, time.min))
    last_day = min(following - timedelta(days=1), timezone.localdate())
    hazards = Hazard.objects.filter(property=property_)
    counts = {}
    for grade in HazardGrade:
        of_grade = Q(grade=grade)
        counts[grade] = hazards.aggregate(
            found=Count("pk", filter=of_grade & Q(found_at__gte=start, found_at__lt=end)),
            closed=Count(
                "pk",
                filter=of_grade
                & Q(status=HazardStatus.CLOSED, verified_at__gte=start, verified_at__lt=end),
            ),
            overdue=Count(
                "pk", filter=of_grade & ~Q(status=HazardStatus.CLOSED) & Q(deadline__lt=last_day)
            ),
        )
    figures = []
    for grade in HazardGrade:
        for key, label in (
            ("found", _("Hazards found: %(grade)s")),
            ("closed", _("Hazards closed: %(grade)s")),
            ("overdue", _("Hazards overdue: %(grade)s")),
        ):
            figures.append(
                Figure(
                    f"safety.hazards_{key}_{grade.value}",
                    label % {"grade": grade.label},
                    counts[grade][key],
                )
            )
    by_kind = dict(
        Incident.objects.filter(property=property_, occurred_at__gte=start, occurred_at__lt=end)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    for kind in IncidentKind:
        if by_kind.get(kind.value):
            figures.append(
                Figure(
                    f"safety.incidents_{kind.value}",
                    _("Incidents: %(kind)s") % {"kind": kind.label},
                    by_kind[kind.value],
                )
            )
    figures.append(Figure("safety.incidents", _("Incidents"), sum(by_kind.values())))
    return figures
