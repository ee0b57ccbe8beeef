"""The safety app's models, one module per concept; everything is re-exported here."""

from .cards import AccessCard, CardStatus, HolderKind
from .patrols import (
    Checkpoint,
    PatrolRound,
    PatrolRoute,
    PatrolSchedule,
    RoundStatus,
    Scan,
)
from .visitors import IdType, Visitor, VisitorStatus, mask_phone, normalise_plate
from .workflows import ACCESS_CARD, VISITOR

__all__ = [
    "ACCESS_CARD",
    "VISITOR",
    "AccessCard",
    "CardStatus",
    "Checkpoint",
    "HolderKind",
    "IdType",
    "PatrolRound",
    "PatrolRoute",
    "PatrolSchedule",
    "RoundStatus",
    "Scan",
    "Visitor",
    "VisitorStatus",
    "mask_phone",
    "normalise_plate",
]
