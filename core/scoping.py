"""Property scoping: the one place that decides which records a user may see.

Every operational model declares ``property_lookup``, the ORM path to its ``Property``
(or ``shared_reference = True``; ``core.checks`` refuses a model with neither).
Lists filter through :func:`scope_queryset`; detail views fetch through it, so another
property's record is simply not found (404).
"""

from django.core.exceptions import ImproperlyConfigured

from .roles import DIRECTOR, has_role, users_in_roles

_CACHE_ATTR = "_houqin_property_ids"


def sees_all_properties(user) -> bool:
    """Superusers and directors see every property."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or has_role(user, DIRECTOR)


def visible_property_ids(user) -> frozenset[int] | None:
    """The ids of the properties ``user`` may see, or ``None`` for all of them."""
    if sees_all_properties(user):
        return None
    if not user.is_authenticated:
        return frozenset()
    ids = getattr(user, _CACHE_ATTR, None)
    if ids is None:
        ids = frozenset(user.properties.values_list("pk", flat=True))
        setattr(user, _CACHE_ATTR, ids)
    return ids


def property_lookup(model) -> str:
    lookup = getattr(model, "property_lookup", None)
    if not lookup:
        raise ImproperlyConfigured(
            f"{model.__name__} must declare property_lookup to be scoped by property."
        )
    return lookup


def is_scoped(model) -> bool:
    return bool(getattr(model, "property_lookup", None))


def scope_queryset(queryset, user):
    """``queryset`` limited to the records of the properties ``user`` works on.

    A model that reaches its property through a to-many relation (a candidate, through the
    applications) gives its QuerySet an ``in_properties(ids)`` method, used instead of the
    plain lookup, which would repeat rows."""
    ids = visible_property_ids(user)
    if ids is None:
        return queryset
    in_properties = getattr(queryset, "in_properties", None)
    if in_properties is not None:
        return in_properties(ids)
    return queryset.filter(**{f"{property_lookup(queryset.model)}__in": ids})


def visible_properties(user):
    from .models import Property

    return scope_queryset(Property.objects.all(), user)


class Audience:
    """The active users of some roles, with an e-mail address, by the properties they see.

    Reminder sources build one per run (two queries) and ask it per record, so finding the
    recipients of a thousand items costs no more queries than finding those of one. Roles
    are named by the constants of ``core.roles``; an unknown name raises ``UnknownRole``.
    """

    def __init__(self, *role_names):
        users = (
            users_in_roles(*role_names)
            .filter(is_active=True)
            .exclude(email="")
            .distinct()
            .prefetch_related("properties", "groups")
        )
        self._everywhere, self._by_property, self._all = [], {}, []
        for user in users:
            self._all.append(user)
            if user.is_superuser or any(g.name == DIRECTOR for g in user.groups.all()):
                self._everywhere.append(user)
            else:
                for property_ in user.properties.all():
                    self._by_property.setdefault(property_.pk, []).append(user)

    def for_property(self, property_id):
        return [*self._everywhere, *self._by_property.get(property_id, [])]

    def everyone(self):
        """For records that belong to no property (a supplier, say)."""
        return list(self._all)
