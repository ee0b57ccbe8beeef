"""Every change of safety data that touches more than one row, or moves a status, goes
through here; one module per concept, everything re-exported here."""

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
from .visitors import (
    cancel_visit,
    deactivation_log,
    mark_no_show,
    on_site_now,
    pre_register,
    reactivate_card,
    register_arrival,
    report_card_lost,
    revoke_card,
    sign_in,
    sign_out,
)

__all__ = [
    "arrive",
    "ask_for_verification",
    "cancel_visit",
    "check_verifier",
    "deactivation_log",
    "employee_of",
    "mark_action_done",
    "mark_no_show",
    "on_site_now",
    "open_repair",
    "pre_register",
    "reactivate_card",
    "register_arrival",
    "report_card_lost",
    "report_hazard",
    "report_incident",
    "resolve",
    "respond",
    "review",
    "revoke_card",
    "save_action",
    "sign_in",
    "sign_out",
    "start_rectifying",
    "verify_action",
    "verify_hazard",
]
