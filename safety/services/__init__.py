"""The safety app's operations, one module per concept; everything is re-exported here."""

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
    "cancel_visit",
    "deactivation_log",
    "mark_no_show",
    "on_site_now",
    "pre_register",
    "reactivate_card",
    "register_arrival",
    "report_card_lost",
    "revoke_card",
    "sign_in",
    "sign_out",
]
