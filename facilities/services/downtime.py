"""Downtime (停机): equipment out of service sets its status, and back in service again."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.workflow import save_with_history

from .. import texts
from ..models import (
    Downtime,
    DowntimeReason,
    Equipment,
    EquipmentStatus,
    EventKind,
    WorkOrderEvent,
)

# Downtime is recorded when it happens, or typed in from the log within this many days.
MAX_BACKDATE_DAYS = 90
STATUS_FOR_REASON = {
    DowntimeReason.FAILURE: EquipmentStatus.FAULTY,
    DowntimeReason.PLANNED: EquipmentStatus.MAINTENANCE,
    DowntimeReason.EXTERNAL: EquipmentStatus.STOPPED,
}


def _set_status(equipment, status, by):
    if equipment.status in (status, EquipmentStatus.RETIRED):
        return
    equipment.status = status
    save_with_history(equipment, by, ["status"])


@transaction.atomic
def start_downtime(equipment, *, reason, by, started_at=None, work_order=None, note=""):
    """The equipment stops: one open downtime at a time, and its status says why."""
    equipment = Equipment.objects.select_for_update().get(pk=equipment.pk)
    now = timezone.now()
    started_at = started_at or now
    if started_at > now + timedelta(minutes=5):
        raise ValidationError(_("Downtime cannot start in the future."))
    if reason not in DowntimeReason.values:
        raise ValidationError(_("Choose why the equipment is down."))
    if work_order is not None and work_order.equipment_id != equipment.pk:
        raise ValidationError(_("This work order is about other equipment."))
    if equipment.downtimes.open().exists():
        raise ValidationError(_("This equipment is already down."))
    if started_at < now - timedelta(days=MAX_BACKDATE_DAYS):
        raise ValidationError(
            _("Downtime is recorded within %(days)d days of its start.")
            % {"days": MAX_BACKDATE_DAYS}
        )
    last_end = equipment.downtimes.aggregate(last=Max("ended_at"))["last"]
    if last_end is not None and started_at < last_end:
        raise ValidationError(
            _("The equipment was already down until %(time)s: start after that.")
            % {"time": date_format(timezone.localtime(last_end), "SHORT_DATETIME_FORMAT")}
        )
    downtime = Downtime(
        equipment=equipment,
        work_order=work_order,
        reason=reason,
        started_at=started_at,
        note=note.strip()[:200],
    )
    try:
        with transaction.atomic():
            save_with_history(downtime, by)
    except IntegrityError as exc:
        raise ValidationError(_("This equipment is already down.")) from exc
    _set_status(equipment, STATUS_FOR_REASON[reason], by)
    if work_order is not None:
        WorkOrderEvent.objects.record(
            work_order, EventKind.DOWNTIME, by=by, text_key=texts.DOWNTIME[downtime.reason]
        )
    return downtime


@transaction.atomic
def end_downtime(downtime, *, by, ended_at=None):
    """Back in service: the downtime ends and the equipment is in service again."""
    downtime = Downtime.objects.select_for_update().select_related("equipment").get(pk=downtime.pk)
    if downtime.ended_at is not None:
        raise ValidationError(_("This downtime has ended already."))
    now = timezone.now()
    ended_at = ended_at or now
    if ended_at < downtime.started_at:
        raise ValidationError(_("Downtime cannot end before it starts."))
    if ended_at > now + timedelta(minutes=5):
        raise ValidationError(_("Downtime cannot end in the future."))
    downtime.ended_at = ended_at
    save_with_history(downtime, by, ["ended_at"])
    equipment = Equipment.objects.select_for_update().get(pk=downtime.equipment_id)
    _set_status(equipment, EquipmentStatus.IN_SERVICE, by)
    if downtime.work_order_id:
        WorkOrderEvent.objects.record(
            downtime.work_order, EventKind.DOWNTIME, by=by, text_key=texts.BACK_IN_SERVICE
        )
    return downtime
