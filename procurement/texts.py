"""What procurement writes on its records, worded in each reader's language (``core.texts``)."""

from django.utils.translation import gettext_lazy as _

from core import texts

# A plan line suggested for an item below its minimum (and the requisition line it becomes).
BELOW_MINIMUM = texts.register(
    "procurement.below_minimum",
    _("Below minimum: %(on_hand)s left, minimum %(minimum)s"),
    on_hand=texts.quantity,
    minimum=texts.quantity,
)
# The purpose of the requisition an approved purchase plan becomes.
PLAN_REQUISITION = texts.register("procurement.plan_requisition", _("Purchase plan %(plan)s"))
# A requisition beyond its budget: one line per top-level category.
OVER_BUDGET = texts.register(
    "procurement.over_budget",
    _("%(category)s: %(left)s left in the %(year)s budget, this requisition needs %(need)s."),
    left=texts.money,
    need=texts.money,
)
