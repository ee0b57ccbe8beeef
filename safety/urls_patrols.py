"""The patrol pages (``/safety/patrols/…``, ``/safety/scan/<token>/``), included by
``safety/urls.py``."""

from django.urls import path

from core.urlhelpers import crud_urls

from .views import patrols

patrol_urlpatterns = [
    path("scan/<str:token>/", patrols.ScanPageView.as_view(), name="patrol_scan"),
    path("patrols/scans/api/", patrols.ScanApiView.as_view(), name="scan_api"),
    path(
        "patrols/routes/<int:pk>/qr/",
        patrols.PatrolRouteQrSheetView.as_view(),
        name="patrolroute_qr",
    ),
    path(
        "patrols/rounds/<int:pk>/acknowledge/",
        patrols.PatrolRoundAcknowledgeView.as_view(),
        name="patrolround_acknowledge",
    ),
    path(
        "patrols/rounds/<int:pk>/code/",
        patrols.TypedCodeView.as_view(),
        name="patrolround_code",
    ),
    path("patrols/scans/<int:pk>/photo/", patrols.ScanPhotoView.as_view(), name="scan_photo"),
    *crud_urls(
        "patrols/routes",
        patrols.PatrolRouteListView,
        patrols.PatrolRouteDetailView,
        patrols.PatrolRouteEditView,
        patrols.PatrolRouteDeleteView,
    ),
    *crud_urls(
        "patrols/checkpoints",
        patrols.CheckpointListView,
        patrols.CheckpointDetailView,
        patrols.CheckpointEditView,
        patrols.CheckpointDeleteView,
    ),
    *crud_urls(
        "patrols/schedules",
        patrols.PatrolScheduleListView,
        patrols.PatrolScheduleDetailView,
        patrols.PatrolScheduleEditView,
        patrols.PatrolScheduleDeleteView,
    ),
    path("patrols/rounds/", patrols.PatrolRoundListView.as_view(), name="patrolround_list"),
    path(
        "patrols/rounds/<int:pk>/",
        patrols.PatrolRoundDetailView.as_view(),
        name="patrolround_detail",
    ),
    path("patrols/scans/", patrols.ScanListView.as_view(), name="scan_list"),
    path("patrols/scans/<int:pk>/", patrols.ScanDetailView.as_view(), name="scan_detail"),
]
