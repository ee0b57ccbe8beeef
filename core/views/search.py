"""Search (the top bar's box): records of every app, grouped by type."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from ..navigation import AREAS_BY_APP
from ..registry import SEARCH, call_each
from ..search import MAX_LENGTH, MIN_LENGTH, PER_TYPE, parse
from .mixins import AUTHENTICATED, PermissionMixin


class SearchView(PermissionMixin, TemplateView):
    """``/search/?q=``: asset codes, work-order and document numbers, equipment, items,
    suppliers, people and places, each type only for those who may view it, within their
    properties."""

    permission_required = AUTHENTICATED
    template_name = "core/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("q", "")
        query = parse(raw)
        groups, errors = {}, []
        if query is not None:
            for _provider, results in call_each(SEARCH, self.request.user, query, errors=errors):
                for result in sorted(results, key=lambda r: r.rank):
                    key = (result.area, str(result.type_label))
                    group = groups.setdefault(
                        key,
                        {
                            "label": result.type_label,
                            "area": AREAS_BY_APP.get(result.area),
                            "app_label": result.area,
                            "results": [],
                            "more_url": result.more_url,
                        },
                    )
                    if len(group["results"]) < PER_TYPE:
                        group["results"].append(result)
        # The duty areas first (equipment, orders, people), then properties and places.
        order = {label: n for n, label in enumerate([*AREAS_BY_APP, "core"])}
        context.update(
            q=raw[:MAX_LENGTH],
            query=query,
            too_short=bool(raw.strip()) and query is None,
            groups=sorted(groups.values(), key=lambda g: order.get(g["app_label"], 99)),
            count=sum(len(g["results"]) for g in groups.values()),
            per_type=PER_TYPE,
            min_length=MIN_LENGTH,
            errors=errors,
            breadcrumbs=[(_("Search"), None)],
        )
        return context
