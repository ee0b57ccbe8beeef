"""What waste collection offers the rest of the site (reminders, My work, calendar, search,
monthly figures, dashboard, sidebar, autocomplete); ``cleaning/hooks.py`` declares them in
the app's one ``declare("cleaning", …)``. Each provider scopes what it returns and costs a
few queries whatever the number of rows."""

from datetime import datetime, time, timedelta

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.autocomplete import Source
from core.dashboard import Stat
from core.models import Severity
from core.navigation import NavLink
from core.registry import CalendarEvent, Figure, SearchResult, WorkItem
from core.reminders import Reminder, ReminderKind
from core.roles import CLEANING_SUPERVISOR
from core.scoping import Audience, scope_queryset
from core.search import PER_TYPE, more_url
from core.work import WorkSource

from . import figures_waste
from .models import CollectionPoint, ExpectedCollection, WasteCollection, category_labels
from .models.waste import label_of

AREA = "cleaning"

WASTE = _("Waste")

NAV_LINKS = [
    NavLink(
        _("Record a collection"),
        "cleaning:wastecollection_record",
        "cleaning.add_wastecollection",
        group=WASTE,
    ),
    NavLink(
        _("Expected collections"),
        "cleaning:expectedcollection_list",
        "cleaning.view_expectedcollection",
        group=WASTE,
    ),
    NavLink(
        _("Waste collections"),
        "cleaning:wastecollection_list",
        "cleaning.view_wastecollection",
        group=WASTE,
    ),
    NavLink(
        _("Waste figures"), "cleaning:waste_figures", "cleaning.view_wastecollection", group=WASTE
    ),
    NavLink(
        _("Collection schedules"),
        "cleaning:collectionschedule_list",
        "cleaning.view_collectionschedule",
        group=WASTE,
    ),
    NavLink(
        _("Collection points"),
        "cleaning:collectionpoint_list",
        "cleaning.view_collectionpoint",
        group=WASTE,
    ),
    NavLink(
        _("Waste category names"),
        "cleaning:wastecategorylabel_list",
        "cleaning.view_wastecategorylabel",
        group=WASTE,
    ),
]

AUTOCOMPLETE = [
    Source(
        "cleaning.collectionpoint",
        CollectionPoint,
        search_fields=("name",),
        label=lambda point: f"{point.property.code} · {point.name}",
        select_related=("property",),
        order_by=("property__code", "name"),
    ),
]


def _labels_of(records):
    return category_labels({record.point.property_id for record in records})


# --- reminders --------------------------------------------------------------------------------

MISSED_COLLECTION = ReminderKind(
    "cleaning.missed_collection", _("Waste collections missed yesterday")
)


def missed_collections(day):
    """Yesterday's expected collections with no collection logged in their window, to the
    cleaning supervisor of the property (two queries for the audience, one for the rows)."""
    audience = Audience(CLEANING_SUPERVISOR)
    yesterday = day - timedelta(days=1)
    start = timezone.make_aware(datetime.combine(day, time.min))
    expected = list(
        ExpectedCollection.objects.missed(start)
        .filter(due_on=yesterday)
        .select_related("point", "hauler")
        .order_by("window_start", "pk")
    )
    labels = _labels_of(expected)
    for item in expected:
        note = " · ".join(
            str(part)
            for part in (
                label_of(labels, item.point.property_id, item.category),
                f"{timezone.localtime(item.window_start):%H:%M}",
                item.hauler or "",
            )
            if part
        )
        for user in audience.for_property(item.point.property_id):
            yield Reminder(user, MISSED_COLLECTION, item, yesterday, Severity.DANGER, note)


# --- My work ----------------------------------------------------------------------------------


def _expected_today(user, day):
    if not user.has_perm("cleaning.add_wastecollection"):
        return None
    return scope_queryset(
        ExpectedCollection.objects.with_collected()
        .with_category_name()
        .filter(due_on=day, collected=False)
        .select_related("point__property", "hauler")
        .order_by("window_start", "pk"),
        user,
    )


def _expected_item(expected, user):
    record = reverse("cleaning:wastecollection_record")
    return WorkItem(
        area=AREA,
        kind=_("Waste collection expected today"),
        title=f"{expected.point.name} · "
        f"{expected.category_name or expected.get_category_display()}",
        url=f"{record}?expected={expected.pk}",
        due=expected.window_end,
        detail=" · ".join(
            part
            for part in (
                f"{timezone.localtime(expected.window_start):%H:%M}–"
                f"{timezone.localtime(expected.window_end):%H:%M}",
                str(expected.hauler or ""),
            )
            if part
        ),
        property_code=expected.point.property.code,
        group="waste",
        group_label=_("Waste collections"),
    )


collections_expected_today = WorkSource(
    _expected_today, _expected_item, limit=30, list_url="cleaning:expectedcollection_list"
)


# --- calendar ---------------------------------------------------------------------------------


def waste_collections(user, start, end):
    """One entry per property and day: the collections expected, how many were logged in
    their window and how many were missed (a day of every point's collections, one by one,
    is hundreds of entries at a large estate); it opens that day's list. One grouped query."""
    if not user.has_perm("cleaning.view_expectedcollection"):
        return []
    now = timezone.now()
    rows = (
        scope_queryset(ExpectedCollection.objects.filter(due_on__gte=start, due_on__lt=end), user)
        .with_collected()
        .order_by()
        .values("point__property_id", "point__property__code", "due_on")
        .annotate(
            expected=Count("pk"),
            collected_count=Count("pk", filter=Q(collected=True)),
            missed=Count("pk", filter=Q(collected=False, window_end__lt=now)),
        )
        .order_by("due_on", "point__property__code")
    )
    url = reverse("cleaning:expectedcollection_list")
    events = []
    for row in rows:
        day = row["due_on"].isoformat()
        property_id = row["point__property_id"]
        detail = _("%(collected)d of %(expected)d collected") % {
            "collected": row["collected_count"],
            "expected": row["expected"],
        }
        if row["missed"]:
            detail += " · " + _("%(missed)d missed") % {"missed": row["missed"]}
        events.append(
            CalendarEvent(
                uid=f"cleaning.wastecollections.{property_id}.{day}",
                area=AREA,
                kind=_("Waste collection"),
                title=_("Waste collections: %(count)d") % {"count": row["expected"]},
                start=row["due_on"],
                url=f"{url}?property={property_id}&due_on_after={day}&due_on_before={day}",
                group="waste",
                property_code=row["point__property__code"],
                severity="danger" if row["missed"] else "",
                detail=detail,
                done=row["collected_count"] == row["expected"],
            )
        )
    return events


# --- search -----------------------------------------------------------------------------------


def collection_points(user, query):
    if not user.has_perm("cleaning.view_collectionpoint"):
        return []
    found = (
        scope_queryset(CollectionPoint.objects.select_related("property", "location"), user)
        .filter(query.q("name"))
        .annotate(
            rank=Case(
                When(name__iexact=query.text, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "property__code", "name")[:PER_TYPE]
    )
    label = capfirst(CollectionPoint._meta.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=point.name,
            url=point.get_absolute_url(),
            detail=" · ".join(
                part
                for part in (point.property.code, point.location and point.location.full_name)
                if part
            ),
            rank=point.rank,
            more_url=more_url("cleaning:collectionpoint_list", query),
        )
        for point in found
    ]


# --- monthly figures --------------------------------------------------------------------------


def month_figures(property_, month):
    """Collection timeliness and the volume per category (as the property names it) of one
    property's month."""
    start, end = figures_waste.month_bounds(month)
    expected = ExpectedCollection.objects.filter(point__property=property_)
    collections = WasteCollection.objects.filter(point__property=property_)
    timely = figures_waste.timeliness(expected, start, end)
    labels = category_labels([property_.pk])
    figures = [
        Figure(
            "cleaning.collection_timeliness", _("Waste collection timeliness"), timely.rate, "%"
        ),
        Figure("cleaning.collections_missed", _("Waste collections missed"), timely.missed),
    ]
    for volume in figures_waste.volume_by_category(collections, start, end, labels, property_.pk):
        figures.append(
            Figure(
                f"cleaning.waste_kg.{volume.category}",
                volume.label,
                volume.weight_kg,
                "kg",
            )
        )
    return figures


# --- dashboard --------------------------------------------------------------------------------


def waste_figures(request):
    """Today's expected collections and yesterday's missed ones (two days of rows: the tile
    is on every dashboard; the week's are one filter away on the list)."""
    user = request.user
    if not user.has_perm("cleaning.view_expectedcollection"):
        return []
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    now = timezone.now()
    figures = (
        scope_queryset(ExpectedCollection.objects.all(), user)
        .filter(due_on__range=(yesterday, today))
        .with_collected()
        .aggregate(
            today=Count("pk", filter=Q(due_on=today)),
            missed=Count(
                "pk",
                filter=Q(collected=False, window_end__lt=now, due_on=yesterday),
            ),
        )
    )
    url = reverse("cleaning:expectedcollection_list")
    return [
        Stat(_("Waste collections expected today"), figures["today"], f"{url}?today=true"),
        Stat(
            _("Collections missed yesterday"),
            figures["missed"],
            f"{url}?missed_yesterday=true",
            "danger" if figures["missed"] else "",
        ),
    ]
