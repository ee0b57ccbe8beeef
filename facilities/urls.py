from django.urls import path

from core.views import AreaView

app_name = "facilities"

urlpatterns = [
    path("", AreaView.as_view(area="facilities"), name="index"),
]
