"""Facilities' documents (core.documents): the work order on paper, with its checklist
results, parts, work done and sign-off; for a contractor, or signed and filed."""

from django.utils.translation import gettext_lazy as _

from core.views.documents import ObjectDocumentView

from ..models import WorkOrder


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


class WorkOrderDocument(ObjectDocumentView):
    model = WorkOrder
    title = _("Work order")
    template_name = "facilities/documents/workorder.html"
    related = (
        "equipment__location",
        "location",
        "assignee",
        "contractor",
        "completed_by",
        "verified_by",
    )

    def get_document_context(self):
        order = self.object
        equipment = order.equipment
        return {
            "fields": [
                (_("Title"), order.display_title, True),
                (_("Kind"), order.get_kind_display()),
                (_("Priority"), order.get_priority_display()),
                (_("Equipment"), equipment or ""),
                (_("Model"), equipment.model_number if equipment else ""),
                (_("Location"), order.where or ""),
                (_("Assignee"), order.assignee or order.contractor or ""),
                (_("Opened"), order.created_at),
                (_("Due"), order.due_on or order.resolve_by),
                (_("Status"), order.get_status_display()),
                (_("Contact"), " ".join(filter(None, [_name(order.reported_by), order.contact]))),
            ],
            "results": list(order.results.all()),
            "parts": list(order.parts.select_related("item")),
            "signatures": [
                (_("Done by"), _name(order.completed_by) or (order.assignee or "")),
                (_("Requester's acceptance"), ""),
                (_("Checked by"), _name(order.verified_by)),
            ],
        }
