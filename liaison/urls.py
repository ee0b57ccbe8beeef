from django.urls import path

from core.views import AreaView

app_name = "liaison"

urlpatterns = [
    path("", AreaView.as_view(area="liaison"), name="index"),
]
