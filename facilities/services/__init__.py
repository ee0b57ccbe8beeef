"""Every change of facilities data that touches more than one row goes through here, in one
transaction: plans and their generated orders, the work-order status machine, checklists,
parts issued from stock (through procurement's ledger), photos and downtime."""

from core.workflow import allowed

from .downtime import end_downtime, start_downtime
from .inspections import (
    complete_round,
    completion_rates,
    generate_due_rounds,
    generate_route_rounds,
    open_round,
    open_work_order_from_reading,
    record_readings,
)
from .planning import (
    apply_template,
    copy_checklist,
    generate_due_work_orders,
    plan_completed,
    plan_from_template,
)
from .work_orders import (
    add_note,
    add_photo,
    assign,
    cancel,
    close,
    complete,
    hold,
    open_follow_up,
    open_work_order,
    record_checklist,
    report_fault,
    resume,
    return_part,
    send_back,
    start,
    update_work_order,
    use_parts,
    verify,
)

__all__ = [
    "add_note",
    "add_photo",
    "allowed",
    "apply_template",
    "assign",
    "cancel",
    "close",
    "complete",
    "complete_round",
    "completion_rates",
    "copy_checklist",
    "end_downtime",
    "generate_due_rounds",
    "generate_due_work_orders",
    "generate_route_rounds",
    "hold",
    "open_follow_up",
    "open_round",
    "open_work_order",
    "open_work_order_from_reading",
    "plan_completed",
    "plan_from_template",
    "record_checklist",
    "record_readings",
    "report_fault",
    "resume",
    "return_part",
    "send_back",
    "start",
    "start_downtime",
    "update_work_order",
    "use_parts",
    "verify",
]
