from django.urls import path

from core.urlhelpers import crud_urls

from .urls_greening import greening_urlpatterns
from .urls_waste import waste_urlpatterns
from .views import areas, consumables, inspections, overview, tasks

app_name = "cleaning"

urlpatterns = [
    path("", overview.CleaningIndexView.as_view(), name="index"),
    path(
        "consumables/",
        consumables.ConsumableIssueListView.as_view(),
        name="consumableissue_list",
    ),
    path(
        "consumables/new/",
        consumables.ConsumableIssueAddView.as_view(),
        name="consumableissue_add",
    ),
    path(
        "consumables/<int:pk>/",
        consumables.ConsumableIssueDetailView.as_view(),
        name="consumableissue_detail",
    ),
    *crud_urls(
        "areas",
        areas.CleaningAreaListView,
        areas.CleaningAreaDetailView,
        areas.CleaningAreaEditView,
        areas.CleaningAreaDeleteView,
    ),
    *crud_urls(
        "standards",
        areas.CleaningStandardListView,
        areas.CleaningStandardDetailView,
        areas.CleaningStandardEditView,
        areas.CleaningStandardDeleteView,
    ),
    path("tasks/", tasks.CleaningTaskListView.as_view(), name="cleaningtask_list"),
    path("tasks/<int:pk>/", tasks.CleaningTaskDetailView.as_view(), name="cleaningtask_detail"),
    path("tasks/<int:pk>/done/", tasks.CompleteTaskView.as_view(), name="cleaningtask_done"),
    path(
        "inspections/<int:pk>/scores/",
        inspections.ScoreInspectionView.as_view(),
        name="cleaninginspection_score",
    ),
    path(
        "inspections/<int:pk>/submit/",
        inspections.SubmitInspectionView.as_view(),
        name="cleaninginspection_submit",
    ),
    path(
        "inspections/<int:pk>/photo/",
        inspections.InspectionPhotoView.as_view(),
        name="cleaninginspection_photo",
    ),
    *crud_urls(
        "inspections",
        inspections.CleaningInspectionListView,
        inspections.CleaningInspectionDetailView,
        inspections.CleaningInspectionEditView,
        inspections.CleaningInspectionDeleteView,
    ),
    path(
        "inspection-items/<int:pk>/work-order/",
        inspections.AnswerRepairView.as_view(),
        name="inspectionanswer_repair",
    ),
    path(
        "inspection-items/<int:pk>/photo/",
        inspections.AnswerPhotoView.as_view(),
        name="inspectionanswer_photo",
    ),
    path(
        "rectifications/",
        inspections.RectificationListView.as_view(),
        name="rectification_list",
    ),
    path(
        "rectifications/<int:pk>/",
        inspections.RectificationDetailView.as_view(),
        name="rectification_detail",
    ),
    path(
        "rectifications/<int:pk>/edit/",
        inspections.RectificationEditView.as_view(),
        name="rectification_edit",
    ),
    path(
        "rectifications/<int:pk>/done/",
        inspections.RectificationDoneView.as_view(),
        name="rectification_done",
    ),
    *waste_urlpatterns,
    *greening_urlpatterns,
]
