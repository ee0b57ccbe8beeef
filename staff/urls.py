from django.urls import path

from core.urlhelpers import crud_urls
from core.views import AreaView

from . import views

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
