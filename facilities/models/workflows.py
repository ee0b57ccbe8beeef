"""The status machines of facilities' records (``core.workflow``). A work order's steps go on
its own timeline (``WorkOrderEvent``, with its notes, parts and photos); an inspection
round's on the shared one."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.workflow import Transition, Workflow

from .inspections import InspectionRound, RoundStatus
from .work_orders import EventKind, WorkOrder, WorkOrderEvent, WorkOrderStatus

S = WorkOrderStatus
CHANGE = "facilities.change_workorder"
WORK_ON = "facilities.work_on_workorder"
VERIFY = "facilities.verify_workorder"


def _work_order_event(
    order, *, action, by, status_from, status_to, text, at, text_key="", text_params=None
):
    return WorkOrderEvent.objects.record(
        order,
        EventKind.STATUS,
        by=by,
        text=text,
        text_key=text_key,
        text_params=text_params,
        status_from=status_from,
        status_to=status_to,
        at=at,
    )


WORK_ORDER = Workflow(
    WorkOrder,
    transitions={
        "assign": Transition(
            (S.NEW, S.ASSIGNED), S.ASSIGNED, pgettext_lazy("work order action", "assigned"), CHANGE
        ),
        "start": Transition(
            (S.NEW, S.ASSIGNED),
            S.IN_PROGRESS,
            pgettext_lazy("work order action", "started"),
            WORK_ON,
        ),
        "hold": Transition(
            (S.IN_PROGRESS,), S.ON_HOLD, pgettext_lazy("work order action", "put on hold"), WORK_ON
        ),
        "resume": Transition(
            (S.ON_HOLD,), S.IN_PROGRESS, pgettext_lazy("work order action", "resumed"), WORK_ON
        ),
        "complete": Transition(
            (S.IN_PROGRESS,), S.COMPLETED, pgettext_lazy("work order action", "completed"), WORK_ON
        ),
        "verify": Transition(
            (S.COMPLETED,), S.VERIFIED, pgettext_lazy("work order action", "verified"), VERIFY
        ),
        "send_back": Transition(
            (S.COMPLETED, S.VERIFIED),
            S.IN_PROGRESS,
            pgettext_lazy("work order action", "sent back"),
            VERIFY,
        ),
        "close": Transition(
            (S.VERIFIED,), S.CLOSED, pgettext_lazy("work order action", "closed"), VERIFY
        ),
        "cancel": Transition(
            (S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD),
            S.CANCELLED,
            pgettext_lazy("work order action", "cancelled"),
            CHANGE,
        ),
    },
    timeline=_work_order_event,
    refusal=_("A work order that is “%(status)s” cannot be %(action)s."),
)

INSPECTION_ROUND = Workflow(
    InspectionRound,
    transitions={
        "complete": Transition(
            (RoundStatus.OPEN,),
            RoundStatus.DONE,
            pgettext_lazy("workflow action", "completed"),
            "facilities.change_inspectionround",
        ),
    },
)
