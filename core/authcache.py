"""A signed-in user's roles, permissions and properties, kept in the shared cache between
requests.

Every page asks what the user may do (the view's permission, the sidebar's links, the role's
home) and which properties they work on: read from the database that is four queries a
page, about a third of a small page's time. They are kept in the cache under a
*generation*: any change that can alter anyone's roles, permissions or properties (a user's
groups, permissions or properties, a group's permissions, a group or permission saved or
deleted, a migration) starts a new generation, and a user's entry of an older one is read
afresh. ``is_active`` and ``is_superuser`` come with the user's own row on every request and
are part of the entry's check, so a blocked account loses its permissions at once. An entry
lives ``AUTH_CACHE_SECONDS`` at most, in case a change reaches the database around the ORM
(raw SQL).
"""

from uuid import uuid4

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

GENERATION_KEY = "auth:generation"


def _user_key(user_id):
    return f"auth:user:{user_id}"


def _current_generation(known):
    if known is not None:
        return known
    cache.add(GENERATION_KEY, uuid4().hex, None)  # add: a concurrent new generation wins
    return cache.get(GENERATION_KEY)


def new_generation(**_signal_kwargs):
    """Every user's roles and permissions are read again on their next request."""
    cache.set(GENERATION_KEY, uuid4().hex, None)


def load(user):
    """``(permission names, role names, property ids)`` of ``user``, once per request; also
    primes the permission cache ``ModelBackend.has_perm`` reads, so ``user.has_perm`` asks no
    query."""
    facts = getattr(user, "_houqin_auth", None)
    if facts is not None:
        return facts
    key = _user_key(user.pk)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    stored = found.get(key)
    state = (user.is_active, user.is_superuser)
    if (
        generation is not None
        and isinstance(stored, tuple)
        and len(stored) == 5
        and stored[0] == generation
        and stored[1] == state
    ):
        permissions, roles, properties = stored[2], stored[3], stored[4]
    else:
        # The generation is read before the facts: a change made meanwhile starts a newer
        # one, and this entry is then read afresh next time.
        generation = _current_generation(generation)
        permissions = (
            frozenset(ModelBackend().get_all_permissions(user)) if user.is_active else frozenset()
        )
        roles = frozenset(user.groups.values_list("name", flat=True))
        properties = frozenset(user.properties.values_list("pk", flat=True))
        if generation is not None:
            cache.set(
                key,
                (generation, state, permissions, roles, properties),
                settings.AUTH_CACHE_SECONDS,
            )
    facts = (permissions, roles, properties)
    user._houqin_auth = facts
    user._houqin_auth_generation = generation
    if user.is_active:
        user._perm_cache = set(permissions)
    return facts


def forget(user):
    """Drop what this request read of ``user``'s roles and permissions (after changing them
    in the same request or test)."""
    for name in (
        "_houqin_auth",
        "_houqin_auth_generation",
        "_houqin_permission_apps",
        "_perm_cache",
        "_user_perm_cache",
        "_group_perm_cache",
    ):
        user.__dict__.pop(name, None)


def generation_of(user):
    """The generation ``user``'s roles and permissions were read in (None before they were):
    what is cached from them (the sidebar) is keyed by it."""
    return getattr(user, "_houqin_auth_generation", None)
