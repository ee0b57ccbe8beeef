from django.urls import path

from core.urlhelpers import crud_urls
from core.views import AreaView

from . import views

app_name = "facilities"

urlpatterns = [
    path("", AreaView.as_view(area="facilities"), name="index"),
    path("equipment/labels/", views.EquipmentLabelsView.as_view(), name="equipment_labels"),
    path("equipment/<int:pk>/qr.svg", views.EquipmentQrView.as_view(), name="equipment_qr"),
    *crud_urls(
        "equipment",
        views.EquipmentListView,
        views.EquipmentDetailView,
        views.EquipmentEditView,
        views.EquipmentDeleteView,
    ),
    *crud_urls(
        "categories",
        views.EquipmentCategoryListView,
        views.EquipmentCategoryDetailView,
        views.EquipmentCategoryEditView,
        views.EquipmentCategoryDeleteView,
    ),
]
