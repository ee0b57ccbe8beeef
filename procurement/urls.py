from django.urls import path

from core.views import AreaView

app_name = "procurement"

urlpatterns = [
    path("", AreaView.as_view(area="procurement"), name="index"),
]
