"""The safety app's models, one module per concept; everything is re-exported here."""

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
from .workflows import CORRECTIVE_ACTION, HAZARD, INCIDENT

__all__ = [
    "CORRECTIVE_ACTION",
    "HAZARD",
    "INCIDENT",
    "SAFETY_PHOTO",
    "ActionStatus",
    "CorrectiveAction",
    "Hazard",
    "HazardCategory",
    "HazardGrade",
    "HazardSource",
    "HazardStatus",
    "Incident",
    "IncidentKind",
    "IncidentSeverity",
    "IncidentStatus",
    "RiskLevel",
]
