from django.urls import path

from core.views import AreaView

app_name = "safety"

urlpatterns = [
    path("", AreaView.as_view(area="safety"), name="index"),
]
