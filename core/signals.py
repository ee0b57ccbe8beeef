import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation


@receiver(user_logged_in, dispatch_uid="core.remember_language")
def remember_language(sender, request, user, **kwargs):
    """A user without a preferred language keeps the one they first log in with, so their
    e-mails (which have no browser to ask) come in it too."""
    if not user.language and request is not None:
        language = translation.get_language_from_request(request)
        if language in dict(settings.LANGUAGES):
            user.language = language
            user.save(update_fields=["language"])


@receiver(user_logged_in, dispatch_uid="core.session_fresh_at_login")
def session_fresh_at_login(sender, request, user, **kwargs):
    """A new session is written at login: it counts as just refreshed, so the first pages
    after it do not write it again (core.middleware.SessionRefreshMiddleware)."""
    session = getattr(request, "session", None)
    if session is not None:
        from .middleware import SessionRefreshMiddleware

        session[SessionRefreshMiddleware.KEY] = int(time.time())


def _connect_auth_generation():
    """Whatever can change someone's roles, permissions or properties starts a new generation of the
    cached ones (core/authcache.py)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    from .authcache import new_generation

    user_model = get_user_model()
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        user_model.properties.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(new_generation, sender=through, dispatch_uid=f"auth.{through}")
    for model in (Group, Permission):
        post_save.connect(new_generation, sender=model, dispatch_uid=f"auth.save.{model}")
        post_delete.connect(new_generation, sender=model, dispatch_uid=f"auth.delete.{model}")
    post_migrate.connect(new_generation, dispatch_uid="auth.migrate")


_connect_auth_generation()
