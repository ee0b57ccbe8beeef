"""The dashboard, the area pages, the language switch and the health check."""

import logging

from axes.utils import reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django.views.i18n import set_language as django_set_language

from ..dashboard import stats_for
from ..models import Location
from ..navigation import AREAS_BY_APP, user_areas
from ..roles import can_open_area, home_url_name
from ..scoping import visible_properties
from .mixins import AUTHENTICATED, PermissionMixin

logger = logging.getLogger(__name__)


class DashboardView(PermissionMixin, TemplateView):
    """One tile per duty area the user can open, with the figures its app registers."""

    permission_required = AUTHENTICATED
    template_name = "core/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["tiles"] = [
            {**entry, "stats": stats_for(entry["area"].app_label, self.request)}
            for entry in user_areas(user)
        ]
        # Two plain counts (a join of every location to its property, counted distinct,
        # grew with the tree).
        properties = visible_properties(user)
        context["reference"] = {
            "properties": properties.count(),
            "locations": Location.objects.filter(property__in=properties.values("pk")).count(),
        }
        context["properties"] = properties.active()
        return context


class AreaView(PermissionMixin, TemplateView):
    """An area's home: its pages and figures, for users whose role covers the area."""

    permission_required = AUTHENTICATED
    template_name = "core/area.html"
    area = None

    def has_permission(self):
        return super().has_permission() and can_open_area(self.request.user, self.area)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = AREAS_BY_APP[self.area]
        context.update(
            area=area,
            links=[link for link in area.links if self.request.user.has_perm(link.permission)],
            stats=stats_for(self.area, self.request),
            breadcrumbs=[(area.label, None)],
        )
        return context


@login_not_required
@require_POST
def set_language(request):
    """Django's language switch; a signed-in user's choice is also kept as their preference."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker():
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)


@method_decorator([login_not_required, never_cache], name="dispatch")
class HealthView(View):
    """``/healthz``: 200 when the database and the broker answer, 503 otherwise."""

    checks = {"database": _check_database, "broker": _check_broker}

    def get(self, request):
        results = {}
        for name, check in self.checks.items():
            try:
                check()
                results[name] = {"ok": True}
            except Exception as exc:  # any failure is a failed check, never a 500
                logger.warning("Health check %s failed: %s", name, exc)
                results[name] = {"ok": False, "error": type(exc).__name__}
        healthy = all(result["ok"] for result in results.values())
        return JsonResponse(
            {"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503
        )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a password set through the e-mailed link also lifts a login lockout."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset(username=form.user.get_username())
        return response


class LoginView(auth_views.LoginView):
    """Django's login; without a ``next`` it lands on the user's home (``Role.home``): My work
    for a technician, the dashboard for the office."""

    def get_default_redirect_url(self):
        if self.next_page:
            return super().get_default_redirect_url()
        return resolve_url(home_url_name(self.request.user))
