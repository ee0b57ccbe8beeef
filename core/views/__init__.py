from .generic import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)
from .mixins import AUTHENTICATED, ObjectMixin, PermissionMixin
from .pages import AreaView, DashboardView, HealthView, set_language

__all__ = [
    "AUTHENTICATED",
    "AreaView",
    "DashboardView",
    "HealthView",
    "ObjectActionView",
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectListView",
    "ObjectMixin",
    "PermissionMixin",
    "set_language",
]
