from django.urls import path

from core.views import AreaView

app_name = "staff"

urlpatterns = [
    path("", AreaView.as_view(area="staff"), name="index"),
]
