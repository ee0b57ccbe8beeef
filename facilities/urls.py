from django.urls import path

from core.urlhelpers import crud_urls, document_urls
from core.views import AreaView

from .views import documents, equipment, inspections, overview, plans, work_orders

app_name = "facilities"

step_views = {
    "assign": work_orders.AssignView,
    "start": work_orders.StartView,
    "hold": work_orders.HoldView,
    "resume": work_orders.ResumeView,
    "complete": work_orders.CompleteView,
    "verify": work_orders.VerifyView,
    "send-back": work_orders.SendBackView,
    "close": work_orders.CloseView,
    "cancel": work_orders.CancelView,
    "note": work_orders.NoteView,
    "checklist": work_orders.ChecklistView,
    "parts": work_orders.PartsView,
    "photos": work_orders.PhotoView,
}

urlpatterns = [
    path("", AreaView.as_view(area="facilities"), name="index"),
    path("figures/", overview.FacilitiesFiguresView.as_view(), name="figures"),
    path("calendar/", overview.MaintenanceCalendarView.as_view(), name="calendar"),
    path("equipment/labels/", equipment.EquipmentLabelsView.as_view(), name="equipment_labels"),
    path("equipment/<int:pk>/qr.svg", equipment.EquipmentQrView.as_view(), name="equipment_qr"),
    path(
        "equipment/<int:pk>/downtime/",
        work_orders.StartDowntimeView.as_view(),
        name="equipment_downtime",
    ),
    *crud_urls(
        "equipment",
        equipment.EquipmentListView,
        equipment.EquipmentDetailView,
        equipment.EquipmentEditView,
        equipment.EquipmentDeleteView,
    ),
    *crud_urls(
        "categories",
        equipment.EquipmentCategoryListView,
        equipment.EquipmentCategoryDetailView,
        equipment.EquipmentCategoryEditView,
        equipment.EquipmentCategoryDeleteView,
    ),
    path(
        "plan-templates/<int:pk>/apply/",
        plans.ApplyTemplateView.as_view(),
        name="plantemplate_apply",
    ),
    *crud_urls(
        "plan-templates",
        plans.PlanTemplateListView,
        plans.PlanTemplateDetailView,
        plans.PlanTemplateEditView,
        plans.PlanTemplateDeleteView,
    ),
    *crud_urls(
        "plans",
        plans.MaintenancePlanListView,
        plans.MaintenancePlanDetailView,
        plans.MaintenancePlanEditView,
        plans.MaintenancePlanDeleteView,
    ),
    path("work-orders/mine/", work_orders.MyWorkOrdersView.as_view(), name="my_work_orders"),
    path("report-fault/", work_orders.FaultReportView.as_view(), name="report_fault"),
    *document_urls("work-orders/<int:pk>", documents.WorkOrderDocument),
    *(
        path(
            f"work-orders/<int:pk>/{step}/",
            view.as_view(),
            name=f"workorder_{step.replace('-', '_')}",
        )
        for step, view in step_views.items()
    ),
    path(
        "work-orders/checks/<int:pk>/follow-up/",
        work_orders.FollowUpView.as_view(),
        name="checklistresult_follow_up",
    ),
    path(
        "work-orders/checks/<int:pk>/photo/",
        work_orders.CheckPhotoFileView.as_view(),
        name="checklistresult_photo",
    ),
    path(
        "work-orders/parts/<int:pk>/return/",
        work_orders.ReturnPartView.as_view(),
        name="workorderpart_return",
    ),
    path(
        "work-orders/photos/<int:pk>/",
        work_orders.WorkOrderPhotoFileView.as_view(),
        name="workorderphoto_file",
    ),
    *crud_urls(
        "work-orders",
        work_orders.WorkOrderListView,
        work_orders.WorkOrderDetailView,
        work_orders.WorkOrderEditView,
        work_orders.WorkOrderDeleteView,
    ),
    path(
        "routes/<int:pk>/open-rounds/",
        inspections.OpenDueRoundsView.as_view(),
        name="inspectionroute_open_rounds",
    ),
    *crud_urls(
        "routes",
        inspections.InspectionRouteListView,
        inspections.InspectionRouteDetailView,
        inspections.InspectionRouteEditView,
        inspections.InspectionRouteDeleteView,
    ),
    *crud_urls(
        "points",
        inspections.InspectionPointListView,
        inspections.InspectionPointDetailView,
        inspections.InspectionPointEditView,
        inspections.InspectionPointDeleteView,
    ),
    path("rounds/", inspections.InspectionRoundListView.as_view(), name="inspectionround_list"),
    path(
        "rounds/<int:pk>/",
        inspections.InspectionRoundDetailView.as_view(),
        name="inspectionround_detail",
    ),
    path(
        "rounds/<int:pk>/readings/",
        inspections.RecordReadingsView.as_view(),
        name="inspectionround_record",
    ),
    path(
        "rounds/<int:pk>/complete/",
        inspections.CompleteRoundView.as_view(),
        name="inspectionround_complete",
    ),
    path(
        "readings/<int:pk>/work-order/",
        inspections.ReadingWorkOrderView.as_view(),
        name="reading_work_order",
    ),
    path("readings/<int:pk>/photo/", inspections.ReadingPhotoView.as_view(), name="reading_photo"),
    path("downtime/", work_orders.DowntimeListView.as_view(), name="downtime_list"),
    path("downtime/<int:pk>/", work_orders.DowntimeDetailView.as_view(), name="downtime_detail"),
    path("downtime/<int:pk>/end/", work_orders.EndDowntimeView.as_view(), name="downtime_end"),
]
