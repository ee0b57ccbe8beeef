from .areas import (
    DEFAULT_PASS_MARK,
    AreaKind,
    CleaningArea,
    CleaningStandard,
    StandardItem,
    parse_times,
    weighted_running_score,
)
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
from .workflows import RECTIFICATION

__all__ = [
    "DEFAULT_PASS_MARK",
    "RECTIFICATION",
    "AreaKind",
    "CleaningArea",
    "CleaningInspection",
    "CleaningStandard",
    "CleaningTask",
    "FollowUp",
    "InspectionAnswer",
    "InspectionStatus",
    "Rectification",
    "RectificationStatus",
    "StandardItem",
    "TaskStatus",
    "parse_times",
    "weighted_running_score",
]
