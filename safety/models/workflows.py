"""Safety's status machines (core.workflow); every step is on the record's timeline with
who, when and, where asked, why:

- a visitor expected → on site → left (or no-show / cancelled); an access card active → lost
  or revoked (and back, logged);
- a hazard open → rectifying → awaiting verification → closed (a failed verification sends
  it back to rectifying); an incident open → responding → resolved → reviewed; a corrective
  action open → done → verified (or back to open)."""

from django.utils.translation import pgettext_lazy

from core.workflow import Transition, Workflow

from .cards import AccessCard
from .cards import CardStatus as C
from .hazards import Hazard
from .hazards import HazardStatus as H
from .incidents import ActionStatus as A
from .incidents import CorrectiveAction, Incident
from .incidents import IncidentStatus as I
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


HAZARD = Workflow(
    Hazard,
    transitions={
        "start": Transition(
            (H.OPEN,),
            H.RECTIFYING,
            pgettext_lazy("workflow action", "started"),
            permission="safety.change_hazard",
        ),
        "submit": Transition(
            (H.OPEN, H.RECTIFYING),
            H.AWAITING,
            pgettext_lazy("workflow action", "submitted for verification"),
            permission="safety.change_hazard",
        ),
        "verify": Transition(
            (H.AWAITING,),
            H.CLOSED,
            pgettext_lazy("workflow action", "verified"),
            permission="safety.change_hazard",
        ),
        "reject": Transition(
            (H.AWAITING,),
            H.RECTIFYING,
            pgettext_lazy("workflow action", "sent back"),
            permission="safety.change_hazard",
        ),
    },
)

INCIDENT = Workflow(
    Incident,
    transitions={
        "respond": Transition(
            (I.OPEN,),
            I.RESPONDING,
            pgettext_lazy("workflow action", "responded to"),
            permission="safety.change_incident",
        ),
        "on_scene": Transition(
            (I.RESPONDING,),
            I.RESPONDING,
            pgettext_lazy("workflow action", "reached"),
            permission="safety.change_incident",
        ),
        "resolve": Transition(
            (I.RESPONDING,),
            I.RESOLVED,
            pgettext_lazy("workflow action", "resolved"),
            permission="safety.change_incident",
        ),
        "review": Transition(
            (I.RESOLVED,),
            I.REVIEWED,
            pgettext_lazy("incident workflow", "reviewed"),
            permission="safety.change_incident",
        ),
    },
)

CORRECTIVE_ACTION = Workflow(
    CorrectiveAction,
    transitions={
        "done": Transition(
            (A.OPEN,),
            A.DONE,
            pgettext_lazy("workflow action", "marked done"),
            permission="safety.change_correctiveaction",
        ),
        "verify": Transition(
            (A.DONE,),
            A.VERIFIED,
            pgettext_lazy("workflow action", "verified"),
            permission="safety.change_correctiveaction",
        ),
        "reopen": Transition(
            (A.DONE,),
            A.OPEN,
            pgettext_lazy("workflow action", "sent back"),
            permission="safety.change_correctiveaction",
        ),
    },
)
