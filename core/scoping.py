"""Property scoping: the one place that decides which records a user may see.

Every operational model declares ``property_lookup``, the ORM path to its ``Property``
(or ``shared_reference = True``; ``core.checks`` refuses a model with neither).
Choices in forms and filters go through :func:`scope_queryset`. Pages that show records
(lists, details, files, exports, the admin) go through :func:`visible_records`, which also
applies the need-to-know rule of personal data; so another property's record, or another
department's appraisal, is simply not found (404).
"""

from django.core.exceptions import ImproperlyConfigured

from .roles import DIRECTOR, has_role, users_in_roles


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
    from .authcache import load

    return load(user)[2]


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


def is_personal(model) -> bool:
    return bool(getattr(model, "personal_data", False))


def visible_records(queryset, user):
    """What ``user`` may see of ``queryset``: the records of their properties and, for
    personal data, only those the model's need-to-know rule (``QuerySet.visible_to``) allows.

    Every page that shows records calls this (core's generic views, the admin, exports);
    so must anything that lists them later (My work, the calendar, search)."""
    model = queryset.model
    if is_scoped(model):
        queryset = scope_queryset(queryset, user)
    if is_personal(model):
        queryset = queryset.visible_to(user)
    return queryset


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
