"""Rosters: the week grid per property (employees × days) with bulk assignment and rotations,
printable; shift types, posts, rotation patterns and single shifts."""

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from core.dates import within
from core.scoping import visible_properties, visible_records
from core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)
from core.views.mixins import PermissionMixin

from .. import filters, forms, services
from ..models import Employee, Post, RotationPattern, Shift, ShiftType


class ShiftTypeListView(ObjectListView):
    model = ShiftType
    filterset_class = filters.ShiftTypeFilter
    columns = ("name", "code", "start", "end")


class ShiftTypeDetailView(ObjectDetailView):
    model = ShiftType


class ShiftTypeEditView(ObjectEditView):
    model = ShiftType
    form_class = forms.ShiftTypeForm


class ShiftTypeDeleteView(ObjectDeleteView):
    model = ShiftType


class PostListView(ObjectListView):
    model = Post
    queryset = Post.objects.select_related("property", "location", "supervisor")
    filterset_class = filters.PostFilter
    columns = ("name", "property", "location", "headcount", "supervisor", "active")


class PostDetailView(ObjectDetailView):
    model = Post
    template_name = "staff/post_detail.html"


class PostEditView(ObjectEditView):
    model = Post
    form_class = forms.PostForm


class PostDeleteView(ObjectDeleteView):
    model = Post


class RotationPatternListView(ObjectListView):
    model = RotationPattern
    filterset_class = filters.RotationPatternFilter
    columns = ("name", "sequence")


class RotationPatternDetailView(ObjectDetailView):
    model = RotationPattern


class RotationPatternEditView(ObjectEditView):
    model = RotationPattern
    form_class = forms.RotationPatternForm


class RotationPatternDeleteView(ObjectDeleteView):
    model = RotationPattern


class ShiftListView(ObjectListView):
    model = Shift
    queryset = Shift.objects.select_related("employee", "post", "shift_type")
    filterset_class = filters.ShiftFilter
    columns = ("date", "employee", "post", "shift_type", "starts_at", "ends_at")


class ShiftDetailView(ObjectDetailView):
    model = Shift
    detail_fields = ("employee", "post", "shift_type", "date", "starts_at", "ends_at")


class ShiftEditView(ObjectEditView):
    """One shift, through the same checks as the grid (conflicts, rest, qualifications)."""

    model = Shift
    form_class = forms.ShiftForm

    def save_form(self, form):
        return services.assign_shifts([form.instance], by=self.request.user)[0]


class ShiftDeleteView(ObjectDeleteView):
    model = Shift


def _monday(value):
    """The Monday of the week asked for (today's week if the value is bad or far off)."""
    try:
        day = date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    if not within(day):
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


def _default_property(user, properties, days):
    """The grid to open when none is asked for: the property of the user's own staff record,
    else the first with shifts that week, else the first with staff; never an empty grid
    while another has a roster (a director sees every property, the first may have none)."""
    if not properties:
        return None
    by_pk = {p.pk: p for p in properties}
    own = Employee.objects.filter(user=user, property_id__in=by_pk).values_list(
        "property_id", flat=True
    )
    for candidates in (
        own,
        Shift.objects.filter(post__property_id__in=by_pk, date__range=(days[0], days[-1]))
        .order_by()
        .values_list("post__property_id", flat=True)
        .distinct(),
        Employee.objects.current()
        .filter(property_id__in=by_pk)
        .order_by()
        .values_list("property_id", flat=True)
        .distinct(),
    ):
        found = set(candidates)
        if found:
            return next(p for p in properties if p.pk in found)
    return properties[0]


class RosterView(PermissionMixin, TemplateView):
    """The week grid of a property: one row per employee, one column per day, the roster
    gaps underneath. A few queries whatever the size of the team.

    Who is on which post when is how the work is organised, not a record about the person:
    everyone who may see the roster sees every name and position on it. Only the names of
    people whose staff record the user may open (need-to-know, staff.access) link to it;
    phone numbers and the rest of the record are never on the grid."""

    permission_required = "staff.view_shift"
    template_name = "staff/roster.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        properties = list(visible_properties(user).active())
        chosen = self.request.GET.get("property", "")
        monday = _monday(self.request.GET.get("week"))
        days = [monday + timedelta(days=n) for n in range(7)]
        property_ = next((p for p in properties if str(p.pk) == chosen), None)
        if property_ is None:
            property_ = _default_property(user, properties, days)
        context.update(
            properties=properties,
            property=property_,
            days=days,
            previous_week=monday - timedelta(days=7),
            next_week=monday + timedelta(days=7),
            breadcrumbs=[(_("Staff & team"), reverse("staff:index")), (_("Roster"), None)],
        )
        if property_ is None:
            return context
        employees = list(
            Employee.objects.current()
            .filter(property=property_)
            .select_related("position", "department")
            .order_by("department__name", "staff_no")
        )
        shifts = Shift.objects.filter(
            post__property=property_, date__range=(days[0], days[-1])
        ).select_related("post", "shift_type")
        cells = defaultdict(list)
        covered = Counter()
        for shift in shifts:
            cells[shift.employee_id, shift.date].append(shift)
            covered[shift.post_id, shift.shift_type_id, shift.date] += 1
        context["rows"] = [
            (employee, [cells[employee.pk, day] for day in days]) for employee in employees
        ]
        context["openable"] = (
            set(
                visible_records(Employee.objects.filter(property=property_), user).values_list(
                    "pk", flat=True
                )
            )
            if user.has_perm("staff.view_employee")
            else set()
        )
        posts = Post.objects.filter(property=property_, active=True).prefetch_related("shift_types")
        context["gaps"] = [
            [
                f"{post} · {shift_type.code}"
                for post in posts
                for shift_type in post.shift_types.all()
                if covered[post.pk, shift_type.pk, day] < post.headcount
            ]
            for day in days
        ]
        context["bulk_form"] = forms.BulkAssignForm(
            property_=property_,
            user=user,
            initial={"start": days[0], "end": days[-1]},
        )
        context["rotation_form"] = forms.RotationForm(
            property_=property_, user=user, initial={"start": days[0]}
        )
        context["can_assign"] = user.has_perm("staff.add_shift")
        return context


class _RosterAction(PermissionMixin, View):
    """POST from the grid: build the shifts, roster them all or none, go back to the grid."""

    permission_required = "staff.add_shift"
    http_method_names = ["post"]
    form_class = None

    def post(self, request):
        chosen = request.POST.get("property", "")
        property_ = get_object_or_404(
            visible_properties(request.user),
            pk=int(chosen) if chosen.isascii() and chosen.isdigit() and len(chosen) <= 18 else 0,
        )
        form = self.form_class(request.POST, property_=property_, user=request.user)
        valid = form.is_valid()
        # Back to the week just rostered (the form's first day), not the week shown before.
        start = form.cleaned_data.get("start")
        week = start.isoformat() if start else request.POST.get("week", "")
        back = f"{reverse('staff:roster')}?" + urlencode({"property": property_.pk, "week": week})
        if not valid:
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return HttpResponseRedirect(back)
        try:
            shifts = self.shifts(form.cleaned_data, form)
            if not shifts:
                messages.warning(request, _("Nothing to roster on those days."))
                return HttpResponseRedirect(back)
            services.assign_shifts(shifts, by=request.user)
        except ValidationError as exc:
            messages.error(request, _("Nothing was rostered:"))
            for problem in exc.messages[:20]:
                messages.error(request, problem)
        else:
            messages.success(request, _("%(count)d shifts rostered.") % {"count": len(shifts)})
        return HttpResponseRedirect(back)


class BulkAssignView(_RosterAction):
    form_class = forms.BulkAssignForm

    def shifts(self, data, form):
        return services.plan_shifts(
            data["employees"], data["post"], data["shift_type"], form.days()
        )


class RotationView(_RosterAction):
    form_class = forms.RotationForm

    def shifts(self, data, form):
        return services.rotation_shifts(
            data["employee"], data["post"], data["pattern"], data["start"], data["days"]
        )
