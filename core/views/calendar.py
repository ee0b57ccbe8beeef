"""The calendar (a month or a week of every app's dated entries), its iCalendar feed, and the
profile page where a user manages the feed's secret address."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from ..calendar import (
    FIRST_DAY,
    LAST_DAY,
    gather,
    iso_week,
    month_grid,
    month_window,
    parse_month,
    parse_week,
    week_days,
)
from ..ical import to_ical
from ..models import CalendarFeed, Property
from ..navigation import AREAS, AREAS_BY_APP
from ..roles import can_open_area, role_label
from ..scoping import visible_properties
from .mixins import AUTHENTICATED, PermissionMixin
from .work import filter_value, several_properties

MONTH, WEEK = "month", "week"


class CalendarFilterForm(forms.Form):
    property = forms.ModelChoiceField(
        label=_("Property"),
        queryset=Property.objects.none(),
        required=False,
        empty_label=_("All properties"),
    )
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["property"].queryset = visible_properties(user)
        self.fields["area"].choices = [("", _("All areas"))] + [
            (area.app_label, area.label) for area in AREAS if can_open_area(user, area.app_label)
        ]

    def choice(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None


class CalendarView(PermissionMixin, TemplateView):
    """A month (``?month=2026-03``) or a week (``?view=week&week=2026-W10``) of what falls
    due: maintenance, orders, counts, deliveries, training, interviews, appraisals and
    expiries, coloured by area, each linking to its record. ``?property=``, ``?area=`` and
    ``?group=`` narrow it (facilities' maintenance calendar is ``?group=maintenance``)."""

    permission_required = AUTHENTICATED
    template_name = "core/calendar.html"
    PER_DAY = 4  # entries shown in a day of the month; the week shows them all

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, user = self.request, self.request.user
        today = timezone.localdate()
        form = CalendarFilterForm(request.GET or None, user=user)
        chosen = form.choice("property")
        area = form.choice("area") or ""
        group = filter_value(request, "group")
        view = WEEK if request.GET.get("view") == WEEK else MONTH
        month = parse_month(request.GET.get("month"))
        week = parse_week(request.GET.get("week"))
        if view == WEEK:
            monday = week or (month or today) - timedelta(days=(month or today).weekday())
            monday = min(max(monday, FIRST_DAY), LAST_DAY - timedelta(days=6))
            start, end = monday, monday + timedelta(days=7)
            anchor = {"week": iso_week(monday)}
            previous = {"week": iso_week(max(monday - timedelta(days=7), FIRST_DAY))}
            following = {"week": iso_week(min(end, LAST_DAY - timedelta(days=6)))}
            heading = monday
        else:
            first = month or (week or today).replace(day=1)
            start, end = month_window(first)
            anchor = {"month": f"{first:%Y-%m}"}
            previous = {"month": f"{max(first - relativedelta(months=1), FIRST_DAY):%Y-%m}"}
            following = {
                "month": f"{min(first + relativedelta(months=1), LAST_DAY.replace(day=1)):%Y-%m}"
            }
            heading = first
        errors = []
        events = gather(
            user,
            start,
            end,
            property_code=chosen.code if chosen else "",
            area=area,
            group=group,
            errors=errors,
        )
        kept = {"property": chosen.pk if chosen else "", "area": area, "group": group}

        def link(**params):
            query = {k: v for k, v in {**kept, **params}.items() if v not in ("", None)}
            return f"?{urlencode(query)}"

        if view == WEEK:
            context["days"] = week_days(start, events, today)
            switch = link(view=MONTH, month=f"{start:%Y-%m}")
        else:
            context["weeks"] = month_grid(first, events, today, self.PER_DAY)
            for week in context["weeks"]:
                for day in week:
                    if day.more:
                        day.more_url = link(view=WEEK, week=iso_week(day.day))
            context["month"] = first
            context["agenda"] = [
                day for week in context["weeks"] for day in week if day.events and day.in_month
            ]
            shown_week = today if first <= today < first + relativedelta(months=1) else first
            switch = link(view=WEEK, week=iso_week(shown_week))
        context.update(
            form=form,
            view=view,
            heading=heading,
            events=events,
            errors=errors,
            group=group,
            area=AREAS_BY_APP.get(area),
            legend=[a for a in AREAS if any(e.area == a.app_label for e in events)],
            links={
                "previous": link(view=view, **previous),
                "next": link(view=view, **following),
                "today": link(view=view),
                "switch": switch,
            },
            anchor=anchor,
            weekdays=[WEEKDAYS_ABBR[n] for n in range(7)],
            show_property=several_properties(user),
            breadcrumbs=[(_("Calendar"), None)],
        )
        return context


@method_decorator([login_not_required, never_cache], name="dispatch")
class CalendarFeedView(View):
    """``/calendar/feed/<token>.ics``: the user's calendar for calendar apps, from 30 days
    back to 180 ahead, with what the user may see today (their properties, permissions and
    language). No login: the token is the credential; a forged, replaced or revoked one, or
    an inactive user's, is a 404 like any unknown address."""

    DAYS_BACK, DAYS_AHEAD = 30, 180

    def get(self, request, token):
        feed = CalendarFeed.for_token(token)
        if feed is None:
            raise Http404
        user = feed.user
        today = timezone.localdate()
        start = today - timedelta(days=self.DAYS_BACK)
        end = today + timedelta(days=self.DAYS_AHEAD + 1)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            events = gather(user, start, end)
            body = to_ical(
                events, name=f"{_('Houqin')} · {user}", start=start, end=end, now=timezone.now()
            )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="houqin.ics"'
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response


class ProfileView(PermissionMixin, TemplateView):
    """The signed-in user's own page: who they are, their roles and properties, and the
    secret address of their calendar feed."""

    permission_required = AUTHENTICATED
    template_name = "core/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        feed = CalendarFeed.objects.filter(user=user).first()
        context.update(
            feed=feed,
            feed_url=f"{settings.SITE_URL}{feed.get_absolute_url()}" if feed else "",
            roles=sorted(str(role_label(g.name)) for g in user.groups.all()),
            properties=visible_properties(user),
            breadcrumbs=[(_("Profile"), None)],
        )
        return context


class CalendarFeedActionView(PermissionMixin, View):
    """POST only: a new secret address for the user's feed, or none."""

    permission_required = AUTHENTICATED
    http_method_names = ["post"]
    revoke = False

    def post(self, request):
        if self.revoke:
            CalendarFeed.objects.filter(user=request.user).delete()
            messages.success(
                request, _("The calendar feed is turned off; its address no longer works.")
            )
        else:
            CalendarFeed.issue(request.user)
            messages.success(
                request,
                _(
                    "A new calendar feed address is ready. Any previous address no longer "
                    "works: subscribe again with this one."
                ),
            )
        return HttpResponseRedirect(reverse("core:profile") + "#calendar-feed")
