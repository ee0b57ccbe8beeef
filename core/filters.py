"""Filter sets for the generic list view: a search box plus django-filter fields."""

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .scoping import is_scoped, scope_queryset


class HouqinFilterSet(django_filters.FilterSet):
    """Adds ``q`` (every word must match one of ``search_fields``) and limits the choices of
    model filters to the properties the requesting user may see."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    search_fields: tuple[str, ...] = ()

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        if not self.search_fields:
            self.filters.pop("q", None)
        user = getattr(request, "user", None)
        for filter_ in self.filters.values():
            # django-filter builds a filter's choices from filter_.queryset.
            choices = getattr(filter_, "queryset", None)
            if user is not None and isinstance(choices, QuerySet) and is_scoped(choices.model):
                filter_.queryset = scope_queryset(choices, user)

    def search(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{field}__icontains": word}) for field in self.search_fields))
            )
        return queryset
