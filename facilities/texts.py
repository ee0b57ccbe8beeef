"""What facilities writes on its records, worded in each reader's language (``core.texts``):
generated work-order titles, the timeline's own entries, the note of parts coming back."""

from django.utils.translation import gettext_lazy as _

from core import texts

from .models import TITLE_PREFIX, DowntimeReason, GeneratedTitle, PhotoStage

# "facilities.title.fault" …: a work order stores "fault" in title_key (its KeyField's prefix).
TITLES = texts.register_choices(TITLE_PREFIX, GeneratedTitle)

# The work order's timeline.
DETAILS_CORRECTED = texts.register("facilities.details_corrected", _("Details corrected."))
CHECKLIST_RECORDED = texts.register(
    "facilities.checklist_recorded", _("%(count)d steps recorded, %(failed)d not passed.")
)
FOLLOW_UP_OPENED = texts.register(
    "facilities.follow_up_opened", _("Follow-up order %(number)s opened for “%(check)s”.")
)
# Parts issued to the order: one "item × quantity" line each (params: a list).
PART_USED = texts.register(
    "facilities.part_used", _("%(item)s × %(quantity)s"), quantity=texts.quantity
)
PART_RETURNED = texts.register(
    "facilities.part_returned",
    _("Returned to stock: %(item)s × %(quantity)s"),
    quantity=texts.quantity,
)
BACK_IN_SERVICE = texts.register("facilities.back_in_service", _("Back in service"))
# Downtime started, by its reason; a photo, by its stage (the caption is the typed text).
DOWNTIME = texts.register_choices("facilities.downtime.", DowntimeReason)
PHOTO = texts.register_choices("facilities.photo.", PhotoStage)

# The note of the stock movement that brings unused parts back.
BACK_FROM_ORDER = texts.register("facilities.back_from_order", _("Unused, back from %(order)s"))
