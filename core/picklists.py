"""Short pick lists (properties, categories, departments) kept in the shared cache.

A list page's filters read each pick list on every request: a query and a model per row,
about a millisecond each. The rows of a pick list are kept under the query that reads them
(its SQL, parameters and the language of the labels) and under a *generation* of each table
the query reads: any row of a watched table saved or deleted through the ORM starts a new
generation of that table, so a new category shows in the next page's filter. The tables
are watched from start-up on, in every process alike (``watch_filtersets`` runs in
``CoreConfig.ready``), so a change made by any process is seen. Only a query over watched
tables and without a subquery is kept; an entry lives ``PICK_LIST_CACHE_SECONDS`` at most
(a change made around the ORM, a bulk load, shows by then; a migration or the demo seed
starts every generation afresh).
"""

import hashlib
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils import translation

_QUERYSETS = []  # the pick lists' querysets, gathered at start-up
_WATCHED = []  # [the tables they read], worked out on first use (compiling needs the database)


def _table_key(table):
    return f"picklist:table:{table}"


def _compiled(queryset):
    """``(tables, sql, params)`` of ``queryset``, or None when it cannot be kept."""
    query = queryset.query.clone()
    try:
        sql, params = query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return None
    if sql.upper().count("SELECT") != 1:
        return None  # a subquery reads tables this cannot see
    tables = frozenset(join.table_name for join in query.alias_map.values())
    return tables, sql, params


def watch(queryset):
    """Keep the pick lists over ``queryset``'s tables (at start-up)."""
    _QUERYSETS.append(queryset)
    _WATCHED.clear()


def watched():
    """The tables some pick list reads."""
    if not _WATCHED:
        tables = set()
        for queryset in _QUERYSETS:
            compiled = _compiled(queryset)
            if compiled is not None:
                tables.update(compiled[0])
        _WATCHED.append(frozenset(tables))
    return _WATCHED[0]


def watch_filtersets():
    """Watch the tables of every model filter with a plain pick list (not typed: see
    ``core.autocomplete``) in every filter set of the site."""
    from django.utils.module_loading import autodiscover_modules

    from .autocomplete import source_for
    from .filters import HouqinFilterSet

    autodiscover_modules("filters")
    pending = [HouqinFilterSet]
    while pending:
        filterset = pending.pop()
        pending.extend(filterset.__subclasses__())
        for filter_ in getattr(filterset, "base_filters", {}).values():
            queryset = getattr(filter_, "queryset", None)
            if isinstance(queryset, QuerySet) and source_for(queryset.model) is None:
                watch(queryset)


def table_changed(sender, **kwargs):
    """``post_save`` / ``post_delete`` of any model: a watched table starts a new generation."""
    table = sender._meta.db_table
    if _QUERYSETS and table in watched():
        cache.set(_table_key(table), uuid4().hex, None)


def forget_all(**kwargs):
    """Every pick list is read afresh (after a migration or a bulk load)."""
    cache.set_many({_table_key(table): uuid4().hex for table in watched()}, None)


def choices(queryset, label, value_field=None):
    """``[(value, label(row)), …]`` of ``queryset`` from the cache, or None when it is not
    kept (the caller reads the rows itself); the value is the row's ``value_field`` (a
    field's ``to_field_name``), else its primary key."""
    compiled = _compiled(queryset)
    if compiled is None:
        return None
    tables, sql, params = compiled
    if not tables or not tables <= watched():
        return None
    table_keys = [_table_key(table) for table in sorted(tables)]
    signature = "|".join(
        (
            sql,
            repr(params),
            translation.get_language() or "",
            getattr(label, "__qualname__", type(label).__qualname__),
            value_field or "pk",
        )
    )
    key = "picklist:" + hashlib.md5(signature.encode()).hexdigest()
    found = cache.get_many([*table_keys, key])
    generations = tuple(found.get(table_key) for table_key in table_keys)
    stored = found.get(key)
    if None not in generations and isinstance(stored, tuple) and stored[0] == generations:
        return stored[1]
    # Generations are read before the rows: a change made meanwhile starts newer ones.
    for table_key, generation in zip(table_keys, generations, strict=True):
        if generation is None:
            cache.add(table_key, uuid4().hex, None)
    generations = tuple(cache.get_many(table_keys).get(k) for k in table_keys)
    rows = [(getattr(row, value_field or "pk"), str(label(row))) for row in queryset]
    if None not in generations:
        cache.set(key, (generations, rows), settings.PICK_LIST_CACHE_SECONDS)
    return rows
