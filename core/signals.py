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
