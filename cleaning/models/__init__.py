"""The cleaning app's models, one module per concept; everything is re-exported here."""

from .areas import (
    DEFAULT_PASS_MARK,
    AreaKind,
    CleaningArea,
    CleaningStandard,
    StandardItem,
    parse_times,
    weighted_running_score,
)
from .consumables import ConsumableIssue, ConsumableLine
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
)
from .greening import TaskStatus as GreeningTaskStatus
from .inspections import (
    CleaningInspection,
    CleaningTask,
    FollowUp,
    InspectionAnswer,
    InspectionStatus,
    Rectification,
    RectificationStatus,
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
from .workflows import RECTIFICATION

__all__ = [
    "DEFAULT_PASS_MARK",
    "GREENING_TASK",
    "RECTIFICATION",
    "AreaKind",
    "CleaningArea",
    "CleaningInspection",
    "CleaningStandard",
    "CleaningTask",
    "CollectionPoint",
    "CollectionSchedule",
    "ConsumableIssue",
    "ConsumableLine",
    "DoseUnit",
    "ExpectedCollection",
    "FollowUp",
    "GreenZone",
    "GreeningKind",
    "GreeningMaterial",
    "GreeningPlan",
    "GreeningTask",
    "GreeningTaskStatus",
    "InspectionAnswer",
    "InspectionStatus",
    "PesticideApplication",
    "Rectification",
    "RectificationStatus",
    "Season",
    "StandardItem",
    "TaskStatus",
    "WasteCategory",
    "WasteCategoryLabel",
    "WasteCollection",
    "category_labels",
    "parse_times",
    "weighted_running_score",
]
