from django.urls import path

from core.views import AreaView

from .urls_greening import greening_urlpatterns
from .urls_waste import waste_urlpatterns

app_name = "cleaning"

urlpatterns = [
    path("", AreaView.as_view(area="cleaning"), name="index"),
    *waste_urlpatterns,
    *greening_urlpatterns,
]
