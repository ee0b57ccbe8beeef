"""The rectification's status machine: open → done (by the cleaner) → closed (by a passing
re-inspection); a failed re-inspection sends it back to open and escalates it."""

from django.utils.translation import pgettext_lazy

from core.workflow import Transition, Workflow

from .inspections import Rectification
from .inspections import RectificationStatus as S

RECTIFICATION = Workflow(
    Rectification,
    transitions={
        "done": Transition(
            (S.OPEN,),
            S.DONE,
            pgettext_lazy("workflow action", "marked done"),
            permission="cleaning.rectify_rectification",
        ),
        "close": Transition(
            (S.OPEN, S.DONE),
            S.CLOSED,
            pgettext_lazy("workflow action", "closed"),
            permission="cleaning.add_cleaninginspection",
        ),
        "escalate": Transition(
            (S.OPEN, S.DONE),
            S.OPEN,
            pgettext_lazy("workflow action", "escalated"),
            permission="cleaning.add_cleaninginspection",
        ),
    },
)
