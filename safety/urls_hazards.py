"""The hazards and incidents slice's pages."""

from django.urls import path

from core.urlhelpers import crud_urls

from .views import hazards, incidents


def _action(prefix, name, view, model):
    route = f"{prefix}/<int:pk>/{name.replace('_', '-')}/"
    return path(route, view.as_view(), name=f"{model}_{name}")


hazard_urlpatterns = [
    *crud_urls(
        "hazards",
        hazards.HazardListView,
        hazards.HazardDetailView,
        hazards.HazardEditView,
        hazards.HazardDeleteView,
    ),
    path("hazards/<int:pk>/photo/", hazards.HazardPhotoView.as_view(), name="hazard_photo"),
    path(
        "hazards/<int:pk>/after-photo/",
        hazards.HazardAfterPhotoView.as_view(),
        name="hazard_after_photo",
    ),
    _action("hazards", "start", hazards.StartRectifyingView, "hazard"),
    _action("hazards", "submit", hazards.AskVerificationView, "hazard"),
    _action("hazards", "verify", hazards.VerifyHazardView, "hazard"),
    _action("hazards", "reject", hazards.RejectHazardView, "hazard"),
    _action("hazards", "repair", hazards.HazardRepairView, "hazard"),
    *crud_urls(
        "incidents",
        incidents.IncidentListView,
        incidents.IncidentDetailView,
        incidents.IncidentEditView,
        incidents.IncidentDeleteView,
    ),
    path("incidents/<int:pk>/photo/", incidents.IncidentPhotoView.as_view(), name="incident_photo"),
    _action("incidents", "respond", incidents.RespondView, "incident"),
    _action("incidents", "on_scene", incidents.OnSceneView, "incident"),
    _action("incidents", "resolve", incidents.ResolveView, "incident"),
    _action("incidents", "review", incidents.ReviewView, "incident"),
    *crud_urls(
        "corrective-actions",
        incidents.CorrectiveActionListView,
        incidents.CorrectiveActionDetailView,
        incidents.CorrectiveActionEditView,
        incidents.CorrectiveActionDeleteView,
    ),
    _action("corrective-actions", "done", incidents.ActionDoneView, "correctiveaction"),
    _action("corrective-actions", "verify", incidents.ActionVerifyView, "correctiveaction"),
    _action("corrective-actions", "reopen", incidents.ActionReopenView, "correctiveaction"),
]
