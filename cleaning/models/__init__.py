"""The cleaning app's models, one module per concept; everything is re-exported here."""

from .greening import (
    GREENING_TASK,
    DoseUnit,
    GreeningKind,
    GreeningMaterial,
    GreeningPlan,
    GreeningTask,
    GreenZone,
    PesticideApplication,
    Season,
    TaskStatus,
)
from .waste import (
    CollectionPoint,
    CollectionSchedule,
    ExpectedCollection,
    WasteCategory,
    WasteCategoryLabel,
    WasteCollection,
    category_labels,
)

__all__ = [
    "GREENING_TASK",
    "CollectionPoint",
    "CollectionSchedule",
    "DoseUnit",
    "ExpectedCollection",
    "GreenZone",
    "GreeningKind",
    "GreeningMaterial",
    "GreeningPlan",
    "GreeningTask",
    "PesticideApplication",
    "Season",
    "TaskStatus",
    "WasteCategory",
    "WasteCategoryLabel",
    "WasteCollection",
    "category_labels",
]
