"""Every change of safety data that touches more than one row, or moves a status, goes
through here."""

from .hazards import (
    ask_for_verification,
    check_verifier,
    employee_of,
    open_repair,
    report_hazard,
    start_rectifying,
    verify_hazard,
)
from .incidents import (
    arrive,
    mark_action_done,
    report_incident,
    resolve,
    respond,
    review,
    save_action,
    verify_action,
)

__all__ = [
    "arrive",
    "ask_for_verification",
    "check_verifier",
    "employee_of",
    "mark_action_done",
    "open_repair",
    "report_hazard",
    "report_incident",
    "resolve",
    "respond",
    "review",
    "save_action",
    "start_rectifying",
    "verify_action",
    "verify_hazard",
]
