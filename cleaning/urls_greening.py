"""The greening pages (``/cleaning/greening/…``), included by ``cleaning/urls.py``."""

from django.urls import path

from core.urlhelpers import crud_urls

from .views import greening

greening_urlpatterns = [
    path(
        "greening/tasks/<int:pk>/done/",
        greening.GreeningTaskDoneView.as_view(),
        name="greeningtask_done",
    ),
    *crud_urls(
        "greening/zones",
        greening.GreenZoneListView,
        greening.GreenZoneDetailView,
        greening.GreenZoneEditView,
        greening.GreenZoneDeleteView,
    ),
    *crud_urls(
        "greening/plans",
        greening.GreeningPlanListView,
        greening.GreeningPlanDetailView,
        greening.GreeningPlanEditView,
        greening.GreeningPlanDeleteView,
    ),
    *crud_urls(
        "greening/tasks",
        greening.GreeningTaskListView,
        greening.GreeningTaskDetailView,
        greening.GreeningTaskEditView,
        greening.GreeningTaskDeleteView,
    ),
    *crud_urls(
        "greening/pesticides",
        greening.PesticideApplicationListView,
        greening.PesticideApplicationDetailView,
        greening.PesticideApplicationEditView,
        greening.PesticideApplicationDeleteView,
    ),
]
