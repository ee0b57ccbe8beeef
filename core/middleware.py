from django.utils import translation

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
