from django.urls import path

from core.views import AreaView

from .urls_visitors import visitor_urlpatterns

app_name = "safety"

urlpatterns = [
    path("", AreaView.as_view(area="safety"), name="index"),
    *visitor_urlpatterns,
]
