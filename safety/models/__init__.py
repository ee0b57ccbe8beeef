"""The safety app's models, one module per concept; everything is re-exported here."""

from .cards import AccessCard, CardStatus, HolderKind
from .hazards import (
    SAFETY_PHOTO,
    Hazard,
    HazardCategory,
    HazardGrade,
    HazardSource,
    HazardStatus,
    RiskLevel,
)
from .incidents import (
    ActionStatus,
    CorrectiveAction,
    Incident,
    IncidentKind,
    IncidentSeverity,
    IncidentStatus,
)
from .patrols import (
    Checkpoint,
    PatrolRound,
    PatrolRoute,
    PatrolSchedule,
    RoundStatus,
    Scan,
)
from .visitors import IdType, Visitor, VisitorStatus, mask_phone, normalise_plate
from .workflows import ACCESS_CARD, CORRECTIVE_ACTION, HAZARD, INCIDENT, VISITOR

__all__ = [
    "ACCESS_CARD",
    "CORRECTIVE_ACTION",
    "HAZARD",
    "INCIDENT",
    "SAFETY_PHOTO",
    "VISITOR",
    "AccessCard",
    "ActionStatus",
    "CardStatus",
    "Checkpoint",
    "CorrectiveAction",
    "Hazard",
    "HazardCategory",
    "HazardGrade",
    "HazardSource",
    "HazardStatus",
    "HolderKind",
    "IdType",
    "Incident",
    "IncidentKind",
    "IncidentSeverity",
    "IncidentStatus",
    "PatrolRound",
    "PatrolRoute",
    "PatrolSchedule",
    "RiskLevel",
    "RoundStatus",
    "Scan",
    "Visitor",
    "VisitorStatus",
    "mask_phone",
    "normalise_plate",
]
