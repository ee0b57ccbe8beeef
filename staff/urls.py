from django.urls import path

from core.urlhelpers import crud_urls, document_urls
from core.views import AreaView

from .views import appraisals, documents, recruitment, rosters, training
from .views import people as views

app_name = "staff"

urlpatterns = [
    path("", AreaView.as_view(area="staff"), name="index"),
    *crud_urls(
        "employees",
        views.EmployeeListView,
        views.EmployeeDetailView,
        views.EmployeeEditView,
        views.EmployeeDeleteView,
    ),
    *document_urls(
        "employees/<int:pk>/certificates",
        documents.EmployeeCertificatesDocument,
        name="employee_certificates",
    ),
    *crud_urls(
        "certificates",
        views.CertificateListView,
        views.CertificateDetailView,
        views.CertificateEditView,
        views.CertificateDeleteView,
    ),
    path(
        "certificates/<int:pk>/scan/", views.CertificateScanView.as_view(), name="certificate_scan"
    ),
    *crud_urls(
        "notes",
        views.EmployeeNoteListView,
        views.EmployeeNoteDetailView,
        views.EmployeeNoteEditView,
        views.EmployeeNoteDeleteView,
    ),
    *crud_urls(
        "departments",
        views.DepartmentListView,
        views.DepartmentDetailView,
        views.DepartmentEditView,
        views.DepartmentDeleteView,
    ),
    *crud_urls(
        "positions",
        views.PositionListView,
        views.PositionDetailView,
        views.PositionEditView,
        views.PositionDeleteView,
    ),
    *crud_urls(
        "certificate-types",
        views.CertificateTypeListView,
        views.CertificateTypeDetailView,
        views.CertificateTypeEditView,
        views.CertificateTypeDeleteView,
    ),
]

urlpatterns += [
    *crud_urls(
        "openings",
        recruitment.JobOpeningListView,
        recruitment.JobOpeningDetailView,
        recruitment.JobOpeningEditView,
        recruitment.JobOpeningDeleteView,
    ),
    *crud_urls(
        "candidates",
        recruitment.CandidateListView,
        recruitment.CandidateDetailView,
        recruitment.CandidateEditView,
        recruitment.CandidateDeleteView,
    ),
    *crud_urls(
        "applications",
        recruitment.ApplicationListView,
        recruitment.ApplicationDetailView,
        recruitment.ApplicationEditView,
        recruitment.ApplicationDeleteView,
    ),
    path(
        "applications/<int:pk>/move/",
        recruitment.ApplicationMoveView.as_view(),
        name="application_move",
    ),
    path("applications/<int:pk>/hire/", recruitment.HireView.as_view(), name="application_hire"),
    *crud_urls(
        "interviews",
        recruitment.InterviewListView,
        recruitment.InterviewDetailView,
        recruitment.InterviewEditView,
        recruitment.InterviewDeleteView,
    ),
    *crud_urls(
        "interview-criteria",
        recruitment.InterviewCriterionListView,
        recruitment.InterviewCriterionDetailView,
        recruitment.InterviewCriterionEditView,
        recruitment.InterviewCriterionDeleteView,
    ),
    path(
        "onboarding/<int:pk>/tick/",
        recruitment.OnboardingTickView.as_view(),
        name="onboardingitem_tick",
    ),
]

urlpatterns += [
    *crud_urls(
        "courses",
        training.CourseListView,
        training.CourseDetailView,
        training.CourseEditView,
        training.CourseDeleteView,
    ),
    *crud_urls(
        "sessions",
        training.TrainingSessionListView,
        training.TrainingSessionDetailView,
        training.TrainingSessionEditView,
        training.TrainingSessionDeleteView,
    ),
    path("sessions/<int:pk>/enrol/", training.EnrolView.as_view(), name="trainingsession_enrol"),
    path(
        "sessions/<int:pk>/results/", training.ResultsView.as_view(), name="trainingsession_results"
    ),
    path("training-records/", training.AttendanceListView.as_view(), name="attendance_list"),
    path("refreshers/", training.RefresherListView.as_view(), name="refresher_list"),
    *crud_urls(
        "training-plans",
        training.TrainingPlanListView,
        training.TrainingPlanDetailView,
        training.TrainingPlanEditView,
        training.TrainingPlanDeleteView,
    ),
    *crud_urls(
        "planned-courses",
        training.PlannedCourseListView,
        training.PlannedCourseDetailView,
        training.PlannedCourseEditView,
        training.PlannedCourseDeleteView,
    ),
]

urlpatterns += [
    *crud_urls(
        "appraisal-cycles",
        appraisals.AppraisalCycleListView,
        appraisals.AppraisalCycleDetailView,
        appraisals.AppraisalCycleEditView,
        appraisals.AppraisalCycleDeleteView,
    ),
    path(
        "appraisal-cycles/<int:pk>/open/",
        appraisals.OpenCycleView.as_view(),
        name="appraisalcycle_open",
    ),
    *crud_urls(
        "kpi-templates",
        appraisals.KPITemplateListView,
        appraisals.KPITemplateDetailView,
        appraisals.KPITemplateEditView,
        appraisals.KPITemplateDeleteView,
    ),
    path("appraisals/", appraisals.AppraisalListView.as_view(), name="appraisal_list"),
    path("appraisals/<int:pk>/", appraisals.AppraisalDetailView.as_view(), name="appraisal_detail"),
    path(
        "appraisals/<int:pk>/delete/",
        appraisals.AppraisalDeleteView.as_view(),
        name="appraisal_delete",
    ),
    path(
        "appraisals/<int:pk>/self-assessment/",
        appraisals.SelfAssessView.as_view(),
        name="appraisal_self_assess",
    ),
    path("appraisals/<int:pk>/review/", appraisals.ReviewView.as_view(), name="appraisal_review"),
    path(
        "appraisals/<int:pk>/acknowledge/",
        appraisals.AcknowledgeView.as_view(),
        name="appraisal_acknowledge",
    ),
]

urlpatterns += [
    path("candidates/<int:pk>/resume/", recruitment.ResumeView.as_view(), name="candidate_resume"),
    path("roster/", rosters.RosterView.as_view(), name="roster"),
    *document_urls("roster", documents.RosterDocument, name="roster"),
    path("roster/assign/", rosters.BulkAssignView.as_view(), name="roster_assign"),
    path("roster/rotate/", rosters.RotationView.as_view(), name="roster_rotate"),
    *crud_urls(
        "shifts",
        rosters.ShiftListView,
        rosters.ShiftDetailView,
        rosters.ShiftEditView,
        rosters.ShiftDeleteView,
    ),
    *crud_urls(
        "posts",
        rosters.PostListView,
        rosters.PostDetailView,
        rosters.PostEditView,
        rosters.PostDeleteView,
    ),
    *crud_urls(
        "shift-types",
        rosters.ShiftTypeListView,
        rosters.ShiftTypeDetailView,
        rosters.ShiftTypeEditView,
        rosters.ShiftTypeDeleteView,
    ),
    *crud_urls(
        "rotation-patterns",
        rosters.RotationPatternListView,
        rosters.RotationPatternDetailView,
        rosters.RotationPatternEditView,
        rosters.RotationPatternDeleteView,
    ),
]
