"""Search across the apps (the box in the top bar). Each app declares ``search=[…]`` in its
``hooks.py``: ``func(user, query)`` returns :class:`~core.registry.SearchResult` s of the
types the user may view, scoped to their properties, at most :data:`PER_TYPE` per type.

Matching is ``icontains`` on a few columns per type: every word must be found in one of them
(Chinese substrings too, 配电 finds 低压配电柜). On PostgreSQL each searched column has a
pg_trgm GIN index (``core.trigram``), which answers any word of three characters or more
without reading the table; words of one or two characters (a trigram index cannot serve
them) read the table, so providers of large tables look only at their newest rows then
(:attr:`Query.short`).
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst

from .models import Location, Property
from .registry import SearchResult
from .scoping import scope_queryset, visible_properties

MIN_LENGTH = 2  # characters; one is enough for a Chinese character
MAX_LENGTH = 100
MAX_WORDS = 5
PER_TYPE = 8
TRIGRAM = 3  # the shortest word a trigram index can find
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Query:
    text: str  # as searched: trimmed, single spaces, at most MAX_LENGTH characters
    words: tuple[str, ...]

    @property
    def short(self):
        """No word long enough for a trigram index: matching reads the rows."""
        return all(len(word) < TRIGRAM for word in self.words)

    def q(self, *fields):
        """Every word in one of ``fields`` (``icontains``)."""
        return reduce(
            and_,
            (
                reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields))
                for word in self.words
            ),
        )

    def __str__(self):
        return self.text


def parse(raw):
    """The query to run, or None when there is nothing worth searching for (too short)."""
    text = " ".join((raw or "").split())[:MAX_LENGTH].strip()
    words = tuple(dict.fromkeys(text.split()))[:MAX_WORDS]
    if not words:
        return None
    if not any(len(word) >= MIN_LENGTH or CJK.search(word) for word in words):
        return None
    return Query(text=text, words=words)


DOCUMENT_NUMBER = re.compile(r"^([A-Za-z]{1,4})[-\s]?0*(\d{1,12})$")


def document_number(query, prefix):
    """The id in a document number such as PO-000123 (PO-123, po123) when ``query`` is one
    with this ``prefix``, else None."""
    match = DOCUMENT_NUMBER.match(query.text)
    if not match or match[1].upper() != prefix:
        return None
    return int(match[2])


def more_url(url_name, query):
    return f"{reverse(url_name)}?{urlencode({'q': query.text})}"


def properties(user, query):
    """Properties by name or code (a handful of rows: no index needed)."""
    if not user.has_perm("core.view_property"):
        return []
    found = visible_properties(user).filter(query.q("name", "code")).order_by("code")
    return [
        SearchResult(
            area="core",
            type_label=capfirst(Property._meta.verbose_name_plural),
            title=f"{p.code} · {p.name}",
            url=p.get_absolute_url(),
            detail=p.address,
            more_url=more_url("core:property_list", query),
        )
        for p in found[:PER_TYPE]
    ]


def locations(user, query):
    """Locations by full name (A栋 / 3F / 301) or code."""
    if not user.has_perm("core.view_location"):
        return []
    found = (
        scope_queryset(Location.objects.select_related("property"), user)
        .filter(query.q("full_name", "code"))
        .order_by("property__code", "path")
    )
    return [
        SearchResult(
            area="core",
            type_label=capfirst(Location._meta.verbose_name_plural),
            title=location.full_name,
            url=location.get_absolute_url(),
            detail=f"{location.property.code} · {location.code} · {location.get_kind_display()}",
            more_url=more_url("core:location_list", query),
        )
        for location in found[:PER_TYPE]
    ]
