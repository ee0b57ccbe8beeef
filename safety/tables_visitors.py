import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import HouqinTable

from .models import AccessCard, Visitor


class VisitorTable(HouqinTable):
    name = tables.Column(linkify=True)
    phone = tables.Column(orderable=False)
    host = tables.Column(accessor="host_display", verbose_name=_("host"), orderable=False)

    class Meta(HouqinTable.Meta):
        model = Visitor
        fields = (
            "name",
            "property",
            "status",
            "phone",
            "host",
            "unit",
            "plate",
            "badge",
            "expected_at",
            "arrived_at",
            "left_at",
        )

    def render_phone(self, record):
        return record.phone_for(self.request.user)

    def value_phone(self, record):
        return record.phone_for(self.request.user)

    def value_host(self, record):
        return record.host_display


class AccessCardTable(HouqinTable):
    number = tables.Column(linkify=True)

    class Meta(HouqinTable.Meta):
        model = AccessCard
        fields = (
            "number",
            "property",
            "holder_name",
            "holder_kind",
            "unit",
            "issued_on",
            "expires_on",
            "status",
        )
