import time

from django.conf import settings
from django.utils import translation

from . import authcache
from .work import forget_count


class UserLanguageMiddleware:
    """A signed-in user's preferred language wins over the cookie and the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class AuthFactsMiddleware:
    """A signed-in user's roles and permissions from the shared cache (core/authcache.py),
    before the view asks for them: ``has_perm`` and the sidebar then ask no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            authcache.load(user)
        return self.get_response(request)


class OpenWorkMiddleware:
    """After a signed-in user's POST (a step taken, a record saved), the sidebar's cached
    count of their open items is recounted on the next page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method == "POST" and user is not None and user.is_authenticated:
            forget_count(user)
        return response


class SessionRefreshMiddleware:
    """A signed-in session lasts while it is used: its expiry moves on (the session saved
    again) when the last move is SESSION_REFRESH_SECONDS old, so a person busy on the site
    stays signed in and an idle one is signed out after SESSION_IDLE_MINUTES, at the cost
    of one session write every few minutes rather than one per page."""

    KEY = "_houqin_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return response
        now = int(time.time())
        last = session.get(self.KEY)
        if not isinstance(last, int) or now - last >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now  # marks the session modified: saved with a new expiry
        return response
