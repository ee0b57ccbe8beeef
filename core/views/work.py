"""My work (我的待办): everything open for the signed-in person, from every app."""

import re

from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from ..navigation import AREAS_BY_APP
from ..scoping import sees_all_properties, visible_property_ids
from ..work import gather, remember_count
from .mixins import AUTHENTICATED, PermissionMixin

GROUP_KEY = re.compile(r"^[a-z0-9_]{1,40}$")


def filter_value(request, name, allowed=None):
    """A filter key from the query string, or "" when it is not one."""
    value = request.GET.get(name, "")
    if not GROUP_KEY.match(value) or (allowed is not None and value not in allowed):
        return ""
    return value


def several_properties(user):
    ids = visible_property_ids(user)
    return ids is None or len(ids) > 1


class MyWorkView(PermissionMixin, TemplateView):
    """What is assigned to the person or waits for their decision, overdue first, by area;
    ``?area=facilities&group=work_orders`` narrows it (facilities' "my work orders")."""

    permission_required = AUTHENTICATED
    template_name = "core/my_work.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, user = self.request, self.request.user
        area = filter_value(request, "area", AREAS_BY_APP)
        group = filter_value(request, "group")
        now = timezone.now()
        has_employee = hasattr(user, "employee")
        work = gather(user, now=now, area=area, group=group)
        remember_count(request, work.total)  # the sidebar's badge needs no second count
        filters = []
        for item_area, item_group, label, count, more in work.filters:
            query = urlencode({"area": item_area, "group": item_group})
            filters.append(
                {
                    "label": label,
                    "area": AREAS_BY_APP.get(item_area),
                    "count": f"{count}+" if more else count,
                    "url": f"?{query}",
                    "active": area == item_area and group == item_group,
                }
            )
        context.update(
            work=work,
            area=AREAS_BY_APP.get(area),
            group=group,
            filters=filters,
            filtered=bool(area or group),
            now=now,
            show_property=several_properties(user),
            has_employee=has_employee,
            # Those who do the work need their employee record linked; directors oversee.
            employee_hint=not has_employee and not sees_all_properties(user),
            breadcrumbs=[(_("My work"), None)],
        )
        return context
