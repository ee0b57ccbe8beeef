from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core.views import HealthView, LoginView, set_language
from core.views.pages import PasswordResetConfirmView

urlpatterns = [
    path(
        "accounts/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", HealthView.as_view(), name="healthz"),
    path("staff/", include("staff.urls")),
    path("procurement/", include("procurement.urls")),
    path("facilities/", include("facilities.urls")),
    path("cleaning/", include("cleaning.urls")),
    path("safety/", include("safety.urls")),
    path("liaison/", include("liaison.urls")),
    path("", include("core.urls")),
]

if settings.BENCH_FLOOR:  # only in the server `manage.py bench` measures
    from core.bench import floor_view

    urlpatterns.insert(0, path("__bench__/floor/<str:name>/", floor_view))
