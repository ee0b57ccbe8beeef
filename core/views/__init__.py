from .generic import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectFormView,
    ObjectListView,
    ObjectWithLinesEditView,
)
from .mixins import AUTHENTICATED, ObjectMixin, PermissionMixin
from .pages import AreaView, DashboardView, HealthView, LoginView, set_language

__all__ = [
    "AUTHENTICATED",
    "AreaView",
    "DashboardView",
    "HealthView",
    "LoginView",
    "ObjectActionView",
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectFileView",
    "ObjectFormView",
    "ObjectListView",
    "ObjectMixin",
    "ObjectWithLinesEditView",
    "PermissionMixin",
    "set_language",
]
