from django.urls import path

from core.views import AreaView

from .urls_hazards import hazard_urlpatterns
from .urls_patrols import patrol_urlpatterns
from .urls_visitors import visitor_urlpatterns

app_name = "safety"

urlpatterns = [
    path("", AreaView.as_view(area="safety"), name="index"),
    *patrol_urlpatterns,
    *visitor_urlpatterns,
    *hazard_urlpatterns,
]
