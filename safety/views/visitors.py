"""Visitors (the gate's register, the on-site roll call) and access cards."""

from itertools import groupby

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.scoping import visible_properties, visible_records
from core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)
from core.views.mixins import PermissionMixin, query_id

from .. import services
from ..filters_visitors import AccessCardFilter, VisitorFilter
from ..forms_visitors import AccessCardForm, BadgeForm, ReasonForm, VisitorForm
from ..models import AccessCard, Visitor, VisitorStatus
from ..tables_visitors import AccessCardTable, VisitorTable

# --- visitors -------------------------------------------------------------------------------


class VisitorListView(ObjectListView):
    model = Visitor
    queryset = Visitor.objects.select_related("property", "host", "unit")
    filterset_class = VisitorFilter
    table_class = VisitorTable


class VisitorDetailView(ObjectDetailView):
    model = Visitor
    template_name = "safety/visitor_detail.html"
    detail_fields = (
        "property",
        "status",
        "phone",
        "host",
        "host_name",
        "unit",
        "purpose",
        "id_type",
        "id_last_four",
        "plate",
        "badge",
        "expected_at",
        "arrived_at",
        "left_at",
        "registered_by",
    )

    def get_field_rows(self):
        rows = super().get_field_rows()
        label = Visitor._meta.get_field("phone").verbose_name
        masked = self.object.phone_for(self.request.user)
        return [(name, masked if name == label else value) for name, value in rows]


class VisitorEditView(ObjectEditView):
    model = Visitor
    form_class = VisitorForm

    def save_form(self, form):
        if self.object is not None:
            return form.save()
        visitor = form.save(commit=False)
        if form.cleaned_data.get("sign_in_now"):
            return services.register_arrival(visitor, by=self.request.user)
        return services.pre_register(visitor, by=self.request.user)


class VisitorDeleteView(ObjectDeleteView):
    model = Visitor


class VisitorSignInView(ObjectActionView):
    model = Visitor
    form_class = BadgeForm
    success_message = _("Signed in.")

    def perform(self, visitor, data):
        services.sign_in(visitor, by=self.request.user, badge=data.get("badge", ""))


class VisitorSignOutView(ObjectActionView):
    model = Visitor
    success_message = _("Signed out.")

    def perform(self, visitor, data):
        services.sign_out(visitor, by=self.request.user)


class VisitorNoShowView(ObjectActionView):
    model = Visitor
    success_message = _("Marked as a no-show.")

    def perform(self, visitor, data):
        services.mark_no_show(visitor, by=self.request.user)


class VisitorCancelView(ObjectActionView):
    model = Visitor
    success_message = _("Visit cancelled.")

    def perform(self, visitor, data):
        services.cancel_visit(visitor, by=self.request.user)


class OnSiteView(PermissionMixin, TemplateView):
    """Who is on site now, per property, longest there first (the roll call in an
    emergency); with today's expected visitors at the gate. One query each, printable."""

    permission_required = "safety.view_visitor"
    template_name = "safety/visitor_on_site.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        properties = visible_properties(user).order_by("code")
        chosen = query_id(self.request, "property")
        if chosen is not None:
            properties = properties.filter(pk=chosen)
        visitors = visible_records(Visitor.objects.all(), user).filter(
            property__in=properties.values("pk")
        )
        on_site = (
            visitors.on_site()
            .select_related("property", "host", "unit")
            .order_by("property__code", "arrived_at", "pk")
        )
        today = timezone.localdate()
        expected = (
            visitors.expected_on(today)
            .select_related("property", "host", "unit")
            .order_by("property__code", "expected_at", "pk")
        )
        groups = [
            (prop, [(v, v.phone_for(user)) for v in rows])
            for prop, rows in groupby(on_site, key=lambda v: v.property)
        ]
        context.update(
            groups=groups,
            on_site_count=sum(len(rows) for _prop, rows in groups),
            expected=[(v, v.phone_for(user)) for v in expected],
            properties=visible_properties(user).order_by("code"),
            chosen=chosen,
            now=timezone.now(),
            can_change=user.has_perm("safety.change_visitor"),
            statuses=VisitorStatus,
        )
        return context


# --- access cards ---------------------------------------------------------------------------


class AccessCardListView(ObjectListView):
    model = AccessCard
    queryset = AccessCard.objects.select_related("property", "unit")
    filterset_class = AccessCardFilter
    table_class = AccessCardTable


class AccessCardDetailView(ObjectDetailView):
    model = AccessCard
    template_name = "safety/accesscard_detail.html"
    detail_fields = (
        "property",
        "status",
        "holder_name",
        "holder_kind",
        "unit",
        "issued_on",
        "expires_on",
        "note",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expiring"] = self.object.expires_within(timezone.localdate())
        return context


class AccessCardEditView(ObjectEditView):
    model = AccessCard
    form_class = AccessCardForm


class AccessCardDeleteView(ObjectDeleteView):
    model = AccessCard


class CardStepView(ObjectActionView):
    model = AccessCard
    form_class = ReasonForm
    step = None

    def perform(self, card, data):
        self.step(card, by=self.request.user, reason=data["reason"])


class ReportCardLostView(CardStepView):
    step = staticmethod(services.report_card_lost)
    success_message = _("The card is reported lost.")


class RevokeCardView(CardStepView):
    step = staticmethod(services.revoke_card)
    success_message = _("The card is revoked.")


class ReactivateCardView(CardStepView):
    step = staticmethod(services.reactivate_card)
    success_message = _("The card is active again.")
