"""The hazard loop (隐患排查): reported, rectified by its owner (a note and a photo after),
verified by someone else; a failed verification sends it back to rectifying. A hazard that
needs a repair opens a facilities work order in one step."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workflow import save_with_history, step, transition

from ..models import HAZARD, Hazard, HazardGrade, HazardStatus


def employee_of(user):
    """The employee record linked to ``user``, or None."""
    from staff.models import Employee

    return Employee.objects.filter(user=user).first() if user is not None else None


def check_verifier(record, by, *, owner_message):
    """Whoever verifies is not the record's owner (by login or by employee record); returns
    the verifying employee (or None for a login without one)."""
    owner = record.owner
    if owner is not None and owner.user_id is not None and owner.user_id == by.pk:
        raise ValidationError(owner_message)
    verifier = employee_of(by)
    if owner is not None and verifier is not None and verifier.pk == owner.pk:
        raise ValidationError(owner_message)
    return verifier


def report_hazard(hazard, *, by):
    """Save a new hazard (from the form, a patrol or the demo)."""
    hazard.full_clean()
    return save_with_history(hazard, by)


def start_rectifying(hazard, *, by, note=""):
    return transition(hazard, "start", by=by, text=(note or "").strip()[:500])


@transaction.atomic
def ask_for_verification(hazard, *, by, note, after_photo=None, now=None):
    """The owner says it is rectified: what was done, and a photo after, are required."""
    locked = HAZARD.lock(hazard)
    HAZARD.check(locked, "submit")
    note = (note or "").strip()[:2000]
    if not note:
        raise ValidationError(_("Say what was done to rectify it."))
    if after_photo:
        locked.after_photo = after_photo
        locked.full_clean(exclude=[f.name for f in Hazard._meta.fields if f.name != "after_photo"])
    if not locked.after_photo:
        raise ValidationError(_("A photo after the rectification is required."))
    step(
        locked,
        "submit",
        by=by,
        text=note[:500],
        fields=["after_photo"],
        rectification_note=note,
        rectified_at=now or timezone.now(),
    )
    return locked


@transaction.atomic
def verify_hazard(hazard, *, by, passed, note="", now=None):
    """Someone other than the owner checks the rectification: passed closes the hazard;
    failed sends it back to rectifying (the note says why)."""
    locked = HAZARD.lock(hazard, "owner")
    HAZARD.check(locked, "verify" if passed else "reject")
    verifier = check_verifier(
        locked, by, owner_message=_("The hazard's owner cannot verify its rectification.")
    )
    note = (note or "").strip()[:500]
    if passed:
        step(
            locked,
            "verify",
            by=by,
            text=note,
            verified_by=by,
            verifier=verifier,
            verified_at=now or timezone.now(),
            verification_note=note,
        )
    else:
        if not note:
            raise ValidationError(_("Say why the rectification is not accepted."))
        step(
            locked,
            "reject",
            by=by,
            text=note,
            verification_note=note,
            rejections=locked.rejections + 1,
        )
    return locked


def open_repair(hazard, *, by):
    """A hazard that needs a repair opens a facilities work order in one step (its place,
    its description), linked to the hazard."""
    from facilities.models import GeneratedTitle, Priority, WorkOrderKind, WorkOrderSource
    from facilities.services import open_work_order

    with transaction.atomic():
        locked = (
            Hazard.objects.select_for_update(of=("self",))
            .select_related("property", "location")
            .get(pk=hazard.pk)
        )
        if locked.status == HazardStatus.CLOSED:
            raise ValidationError(_("This hazard is closed."))
        if locked.work_order_id:
            raise ValidationError(_("This hazard already has its work order."))
        # The facts only (number and the description as typed): the title is worded in the
        # reader's language from them ("Fault: …" / "故障：…"); a category label here would be
        # stored in the language of whoever opened it.
        what = f"{locked.number}, {locked.description[:80]}"
        order = open_work_order(
            title=what,
            title_key=GeneratedTitle.FAULT,
            title_params={"what": what},
            description=locked.description,
            by=by,
            property=locked.property,
            location=locked.location,
            kind=WorkOrderKind.REPAIR,
            source=WorkOrderSource.HAZARD,
            priority=Priority.HIGH if locked.grade == HazardGrade.MAJOR else Priority.NORMAL,
            source_object=locked,
            reported_by=by,
        )
        locked.work_order = order
        save_with_history(locked, by, ["work_order"])
        return order
