"""The status machines of staff records (``core.workflow``): an application's way through
the pipeline, an opening filled by its last hire, and an appraisal's steps. Who may take a
step on an appraisal depends on the person (the employee, the reviewer, HR), so the services
decide that; these tables say only from which status each step starts."""

from django.utils.translation import pgettext_lazy

from core.workflow import Transition, Workflow

from .appraisals import Appraisal, AppraisalStatus
from .recruitment import Application, JobOpening, OpeningStatus, Stage

MOVE = "staff.change_application"
OPEN_STAGES = (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER)

APPLICATION = Workflow(
    Application,
    field="stage",
    transitions={
        "screen": Transition(
            (Stage.APPLIED,), Stage.SCREENING, pgettext_lazy("workflow action", "screened"), MOVE
        ),
        "interview": Transition(
            (Stage.SCREENING,),
            Stage.INTERVIEW,
            pgettext_lazy("workflow action", "invited to interview"),
            MOVE,
        ),
        "offer": Transition(
            (Stage.INTERVIEW,), Stage.OFFER, pgettext_lazy("workflow action", "offered"), MOVE
        ),
        # Hiring is its own step (services.hire): it creates the employee.
        "hire": Transition(
            (Stage.OFFER,),
            Stage.HIRED,
            pgettext_lazy("workflow action", "hired"),
            "staff.add_employee",
        ),
        "reject": Transition(
            OPEN_STAGES, Stage.REJECTED, pgettext_lazy("workflow action", "rejected"), MOVE
        ),
        "withdraw": Transition(
            OPEN_STAGES, Stage.WITHDRAWN, pgettext_lazy("workflow action", "withdrawn"), MOVE
        ),
    },
)

JOB_OPENING = Workflow(
    JobOpening,
    transitions={
        # Its headcount reached by a hire.
        "fill": Transition(
            (OpeningStatus.OPEN,), OpeningStatus.FILLED, pgettext_lazy("workflow action", "filled")
        ),
    },
)

A = AppraisalStatus
APPRAISAL = Workflow(
    Appraisal,
    transitions={
        "self_assess": Transition(
            (A.PENDING,), A.SELF_ASSESSED, pgettext_lazy("workflow action", "self-assessed")
        ),
        "review": Transition(
            (A.SELF_ASSESSED,), A.REVIEWED, pgettext_lazy("workflow action", "reviewed")
        ),
        "acknowledge": Transition(
            (A.REVIEWED,), A.ACKNOWLEDGED, pgettext_lazy("workflow action", "acknowledged")
        ),
    },
)
