from django.urls import path

from core.views import AreaView

app_name = "cleaning"

urlpatterns = [
    path("", AreaView.as_view(area="cleaning"), name="index"),
]
