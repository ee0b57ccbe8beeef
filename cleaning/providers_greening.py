"""What greening offers the rest of the site (reminders, My work, calendar, search, monthly
figures, dashboard, sidebar, autocomplete); ``cleaning/hooks.py`` declares them."""

from datetime import timedelta

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.autocomplete import Source
from core.dashboard import Stat
from core.models import Severity
from core.navigation import NavLink
from core.registry import CalendarEvent, Figure, SearchResult, WorkAction, WorkItem
from core.reminders import Reminder, ReminderKind
from core.roles import CLEANING_SUPERVISOR
from core.scoping import Audience, scope_queryset
from core.search import PER_TYPE, more_url
from core.work import WorkSource

from .models import GreeningTask, GreeningTaskStatus, GreenZone, PesticideApplication

AREA = "cleaning"
DUE_SOON_DAYS = 2

GREENING = _("Greening")

NAV_LINKS = [
    NavLink(
        _("Greening tasks"),
        "cleaning:greeningtask_list",
        "cleaning.view_greeningtask",
        group=GREENING,
    ),
    NavLink(
        _("Greening plans"),
        "cleaning:greeningplan_list",
        "cleaning.view_greeningplan",
        group=GREENING,
    ),
    NavLink(_("Green zones"), "cleaning:greenzone_list", "cleaning.view_greenzone", group=GREENING),
    NavLink(
        _("Pesticide log"),
        "cleaning:pesticideapplication_list",
        "cleaning.view_pesticideapplication",
        group=GREENING,
    ),
]

AUTOCOMPLETE = [
    Source(
        "cleaning.greenzone",
        GreenZone,
        search_fields=("name",),
        label=lambda zone: f"{zone.property.code} · {zone.name}",
        select_related=("property",),
        order_by=("property__code", "name"),
    ),
    Source(
        "cleaning.greeningtask",
        GreeningTask,
        search_fields=("zone__name",),
        select_related=("zone",),
        order_by=("-due_on", "-pk"),
    ),
]


# --- reminders --------------------------------------------------------------------------------

GREENING_DUE = ReminderKind(
    "cleaning.greening_due", _("Greening tasks due within 2 days or overdue")
)


def greening_due(day):
    """Open greening tasks due within two days (a warning) or overdue (a danger), to the
    cleaning supervisor of the property and to the gardener it is assigned to."""
    audience = Audience(CLEANING_SUPERVISOR)
    tasks = (
        GreeningTask.objects.open()
        .filter(due_on__lte=day + timedelta(days=DUE_SOON_DAYS))
        .select_related("zone", "assignee__user")
        .order_by("due_on", "pk")
    )
    for task in tasks:
        severity = Severity.DANGER if task.due_on < day else Severity.WARNING
        users = list(audience.for_property(task.zone.property_id))
        user = getattr(task.assignee, "user", None) if task.assignee_id else None
        if user is not None and user.is_active and user.email and user not in users:
            users.append(user)
        for recipient in users:
            yield Reminder(
                recipient, GREENING_DUE, task, task.due_on, severity, task.get_kind_display()
            )


# --- My work ----------------------------------------------------------------------------------


def _tasks_for_me(user, day):
    """The open greening tasks assigned to the user's employee record, due within a week."""
    if not user.has_perm("cleaning.change_greeningtask"):
        return None
    return scope_queryset(
        GreeningTask.objects.open()
        .filter(assignee__user=user, due_on__lte=day + timedelta(days=7))
        .select_related("zone__property")
        .order_by("due_on", "pk"),
        user,
    )


def _task_item(task, user):
    return WorkItem(
        area=AREA,
        kind=_("Greening task"),
        title=f"{task.zone.name} · {task.get_kind_display()}",
        url=task.get_absolute_url(),
        due=task.due_on,
        severity="danger" if task.due_on < timezone.localdate() else "",
        detail=task.note[:80],
        property_code=task.zone.property.code,
        group="greening",
        group_label=_("Greening tasks"),
        actions=(
            WorkAction(
                _("Done"),
                reverse("cleaning:greeningtask_done", args=[task.pk]),
                "btn-outline-success",
                "check-lg",
            ),
        ),
    )


greening_tasks_for_me = WorkSource(
    _tasks_for_me, _task_item, limit=30, list_url="cleaning:greeningtask_list"
)


# --- calendar ---------------------------------------------------------------------------------


def greening_work(user, start, end):
    """Greening tasks by their due day, done or not."""
    if not user.has_perm("cleaning.view_greeningtask"):
        return []
    today = timezone.localdate()
    tasks = scope_queryset(
        GreeningTask.objects.filter(due_on__gte=start, due_on__lt=end).select_related(
            "zone__property"
        ),
        user,
    )
    return [
        CalendarEvent(
            uid=f"cleaning.greeningtask.{task.pk}",
            area=AREA,
            kind=_("Greening work"),
            title=f"{task.zone.name} · {task.get_kind_display()}",
            start=task.due_on,
            url=task.get_absolute_url(),
            group="greening",
            property_code=task.zone.property.code,
            severity="danger"
            if task.status == GreeningTaskStatus.OPEN and task.due_on < today
            else "",
            done=task.status == GreeningTaskStatus.DONE,
        )
        for task in tasks
    ]


# --- search -----------------------------------------------------------------------------------


def green_zones(user, query):
    if not user.has_perm("cleaning.view_greenzone"):
        return []
    found = (
        scope_queryset(GreenZone.objects.select_related("property"), user)
        .filter(query.q("name", "main_plants"))
        .annotate(
            rank=Case(
                When(name__iexact=query.text, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "property__code", "name")[:PER_TYPE]
    )
    label = capfirst(GreenZone._meta.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=zone.name,
            url=zone.get_absolute_url(),
            detail=" · ".join(part for part in (zone.property.code, zone.main_plants) if part),
            rank=zone.rank,
            more_url=more_url("cleaning:greenzone_list", query),
        )
        for zone in found
    ]


# --- monthly figures --------------------------------------------------------------------------


def month_figures(property_, month):
    """Greening tasks due in the month, the share of them done, and the pesticide
    applications."""
    first = month.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    row = GreeningTask.objects.filter(
        zone__property=property_, due_on__range=(first, last)
    ).aggregate(
        due=Count("pk"),
        done=Count("pk", filter=Q(status=GreeningTaskStatus.DONE)),
    )
    sprayed = PesticideApplication.objects.filter(
        zone__property=property_, applied_at__date__range=(first, last)
    ).count()
    rate = round(row["done"] * 100 / row["due"], 1) if row["due"] else None
    return [
        Figure("cleaning.greening_due", _("Greening tasks due"), row["due"]),
        Figure("cleaning.greening_done", _("Greening tasks done"), rate, "%"),
        Figure("cleaning.pesticide_applications", _("Pesticide applications"), sprayed),
    ]


# --- dashboard --------------------------------------------------------------------------------


def greening_figures(request):
    user = request.user
    if not user.has_perm("cleaning.view_greeningtask"):
        return []
    today = timezone.localdate()
    figures = scope_queryset(GreeningTask.objects.open(), user).aggregate(
        today=Count("pk", filter=Q(due_on=today)),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
    )
    url = reverse("cleaning:greeningtask_list")
    return [
        Stat(_("Greening tasks due today"), figures["today"], f"{url}?due_today=true"),
        Stat(
            _("Greening tasks overdue"),
            figures["overdue"],
            f"{url}?overdue=true",
            "danger" if figures["overdue"] else "",
        ),
    ]
