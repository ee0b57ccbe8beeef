from .generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from .mixins import AUTHENTICATED, ObjectMixin, PermissionMixin
from .pages import AreaView, DashboardView, HealthView, set_language

__all__ = [
    "AUTHENTICATED",
    "AreaView",
    "DashboardView",
    "HealthView",
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectListView",
    "ObjectMixin",
    "PermissionMixin",
    "set_language",
]
