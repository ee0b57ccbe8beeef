"""The waste collection pages (``/cleaning/waste/…``), included by ``cleaning/urls.py``."""

from django.urls import path

from core.urlhelpers import crud_urls

from .views import waste

waste_urlpatterns = [
    path("waste/figures/", waste.WasteFiguresView.as_view(), name="waste_figures"),
    path(
        "waste/collections/record/",
        waste.RecordCollectionView.as_view(),
        name="wastecollection_record",
    ),
    path(
        "waste/collections/<int:pk>/photo/",
        waste.WasteCollectionPhotoView.as_view(),
        name="wastecollection_photo",
    ),
    *crud_urls(
        "waste/points",
        waste.CollectionPointListView,
        waste.CollectionPointDetailView,
        waste.CollectionPointEditView,
        waste.CollectionPointDeleteView,
    ),
    *crud_urls(
        "waste/labels",
        waste.WasteCategoryLabelListView,
        waste.WasteCategoryLabelDetailView,
        waste.WasteCategoryLabelEditView,
        waste.WasteCategoryLabelDeleteView,
    ),
    *crud_urls(
        "waste/schedules",
        waste.CollectionScheduleListView,
        waste.CollectionScheduleDetailView,
        waste.CollectionScheduleEditView,
        waste.CollectionScheduleDeleteView,
    ),
    path(
        "waste/expected/",
        waste.ExpectedCollectionListView.as_view(),
        name="expectedcollection_list",
    ),
    path(
        "waste/expected/<int:pk>/",
        waste.ExpectedCollectionDetailView.as_view(),
        name="expectedcollection_detail",
    ),
    *crud_urls(
        "waste/collections",
        waste.WasteCollectionListView,
        waste.WasteCollectionDetailView,
        waste.WasteCollectionEditView,
        waste.WasteCollectionDeleteView,
    ),
]
