from .patrols import (
    Checkpoint,
    PatrolRound,
    PatrolRoute,
    PatrolSchedule,
    RoundStatus,
    Scan,
)

__all__ = ["Checkpoint", "PatrolRound", "PatrolRoute", "PatrolSchedule", "RoundStatus", "Scan"]
