"""The scanner's page and its typed-code fallback: ``/scan/?code=JG-001`` opens the record whose
label carries that code (each app answers through its ``scan`` hook: equipment, and later
patrol checkpoints)."""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from ..registry import SCAN, collect
from .mixins import AUTHENTICATED, PermissionMixin

MAX_CODE = 60


class ScanView(PermissionMixin, TemplateView):
    """The camera reader; with ``?code=`` the one record of that code (each app's ``scan``
    providers scope what they find to the user), or the several that share it, or a note
    that nothing has it."""

    permission_required = AUTHENTICATED
    template_name = "core/scan.html"

    def get(self, request, *args, **kwargs):
        code = " ".join(request.GET.get("code", "").split())[:MAX_CODE]
        matches = collect(SCAN, request.user, code) if code else []
        matches = [
            match
            for match in matches
            if url_has_allowed_host_and_scheme(match.url, allowed_hosts=None)
        ]
        if len(matches) == 1:
            return HttpResponseRedirect(matches[0].url)
        context = self.get_context_data(code=code, matches=matches)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(_("Scan a code"), None)]
        return context
