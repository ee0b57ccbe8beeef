"""The autocomplete endpoint: one page of a source's records as JSON, scoped to the user."""

from django.http import Http404, JsonResponse
from django.views import View

from ..autocomplete import clean_page, source_named, valid_ids
from .mixins import PermissionMixin


class AutocompleteView(PermissionMixin, View):
    """``GET /autocomplete/<source>/?q=…&property=…&page=…`` →
    ``{"results": [{"id": …, "text": …}], "more": bool}``.

    The permission is the source's (``Source.allows``: any one of its permissions); an
    unknown source is a 404. Records are limited to the user's properties; ``property``
    narrows them to one (the property chosen in the same form); anything malformed in the
    query is ignored, never a 500."""

    http_method_names = ["get"]

    def get_source(self):
        source = source_named(self.kwargs["source"])
        if source is None:
            raise Http404
        return source

    permission_required = "source"  # declared by each source: see has_permission

    def has_permission(self):
        return self.get_source().allows(self.request.user)

    def get(self, request, *args, **kwargs):
        source = self.get_source()
        ids = valid_ids([request.GET.get("property", "")])
        results, more = source.search(
            request.user,
            query=request.GET.get("q", "")[:200],
            property_id=ids[0] if ids else None,
            page=clean_page(request.GET.get("page")),
        )
        return JsonResponse(
            {"results": [{"id": pk, "text": label} for pk, label in results], "more": more}
        )
