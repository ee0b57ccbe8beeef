"""The status machines of visitors and access cards (core.workflow): every step is on the
record's timeline with who, when and, for a card, why."""

from django.utils.translation import pgettext_lazy

from core.workflow import Transition, Workflow

from .cards import AccessCard
from .cards import CardStatus as C
from .visitors import Visitor
from .visitors import VisitorStatus as V

VISITOR = Workflow(
    Visitor,
    transitions={
        "arrive": Transition(
            (V.EXPECTED,),
            V.ON_SITE,
            pgettext_lazy("workflow action", "signed in"),
            permission="safety.change_visitor",
        ),
        "leave": Transition(
            (V.ON_SITE,),
            V.LEFT,
            pgettext_lazy("workflow action", "signed out"),
            permission="safety.change_visitor",
        ),
        "no_show": Transition(
            (V.EXPECTED,),
            V.NO_SHOW,
            pgettext_lazy("workflow action", "marked as a no-show"),
            permission="safety.change_visitor",
        ),
        "cancel": Transition(
            (V.EXPECTED,),
            V.CANCELLED,
            pgettext_lazy("workflow action", "cancelled"),
            permission="safety.change_visitor",
        ),
    },
)

ACCESS_CARD = Workflow(
    AccessCard,
    transitions={
        "report_lost": Transition(
            (C.ACTIVE,),
            C.LOST,
            pgettext_lazy("workflow action", "reported lost"),
            permission="safety.change_accesscard",
        ),
        "revoke": Transition(
            (C.ACTIVE, C.LOST),
            C.REVOKED,
            pgettext_lazy("workflow action", "revoked"),
            permission="safety.change_accesscard",
        ),
        "reactivate": Transition(
            (C.LOST, C.REVOKED),
            C.ACTIVE,
            pgettext_lazy("workflow action", "reactivated"),
            permission="safety.change_accesscard",
        ),
    },
)
