from django.core.exceptions import BadRequest
from django.utils import translation
from django.utils.translation import gettext as _


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


class RejectNullCharactersMiddleware:
    """A NUL character in the query string is a 400: PostgreSQL refuses it in text, so a
    search for it (in any list, admin changelist or autocomplete) would otherwise be a 500.
    Forms already refuse it in posted text (Django's ProhibitNullCharactersValidator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest(_("The address contains a null character."))
        return self.get_response(request)
