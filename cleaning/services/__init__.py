"""Every change of cleaning data that touches more than one row goes through here, in one
transaction: task generation and ticking off, inspections and the rectification loop."""

from .consumables import (
    consumables_cost,
    consumables_cost_by_area,
    consumables_cost_by_month,
    issue_consumables,
)
from .inspections import (
    check_inspector,
    closed_on_time,
    mark_done,
    open_rectification,
    open_repair,
    pass_rate,
    pass_rate_by,
    record_scores,
    running_score,
    standard_for,
    start_inspection,
    submit_inspection,
    update_inspection,
)
from .tasks import (
    DueTasks,
    complete_task,
    completion,
    completion_by,
    generate_due_tasks,
    may_tick,
)

__all__ = [
    "DueTasks",
    "check_inspector",
    "closed_on_time",
    "complete_task",
    "completion",
    "completion_by",
    "consumables_cost",
    "consumables_cost_by_area",
    "consumables_cost_by_month",
    "generate_due_tasks",
    "issue_consumables",
    "mark_done",
    "may_tick",
    "open_rectification",
    "open_repair",
    "pass_rate",
    "pass_rate_by",
    "record_scores",
    "running_score",
    "standard_for",
    "start_inspection",
    "submit_inspection",
    "update_inspection",
]
