from django.urls import path

from .urlhelpers import crud_urls
from .views import DashboardView, work
from .views import reference as views

app_name = "core"

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("my-work/", work.MyWorkView.as_view(), name="my_work"),
    *crud_urls(
        "properties",
        views.PropertyListView,
        views.PropertyDetailView,
        views.PropertyEditView,
        views.PropertyDeleteView,
    ),
    *crud_urls(
        "locations",
        views.LocationListView,
        views.LocationDetailView,
        views.LocationEditView,
        views.LocationDeleteView,
    ),
]
