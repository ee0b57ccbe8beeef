from django.urls import path

from core.views import AreaView

from .urls_hazards import hazard_urlpatterns

app_name = "safety"

urlpatterns = [
    path("", AreaView.as_view(area="safety"), name="index"),
    *hazard_urlpatterns,
]
