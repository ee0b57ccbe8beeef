from django.contrib import admin

from core.admin import HouqinAdmin
from core.resources import AllOrNothingResource

from .models import AccessCard, Visitor
from .models.visitors import SEE_PHONE


class VisitorResource(AllOrNothingResource):
    """The admin's export and import of visitors: the phone masked for who may not see it
    in full, and never overwritten by their import."""

    def dehydrate_phone(self, visitor):
        if self.user is not None:
            return visitor.phone_for(self.user)
        return visitor.phone

    def get_import_fields(self):
        fields = super().get_import_fields()
        if self.user is not None and not self.user.has_perm(SEE_PHONE):
            fields = [f for f in fields if f.attribute != "phone"]
        return fields

    class Meta:
        model = Visitor


@admin.register(Visitor)
class VisitorAdmin(HouqinAdmin):
    resource_classes = [VisitorResource]
    list_display = ("name", "property", "status", "host_name", "plate", "badge", "arrived_at")
    list_filter = ("property", "status", "id_type")
    search_fields = ("name", "plate", "badge", "host_name")
    list_select_related = ("property",)
    date_hierarchy = "created_at"

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_exclude(self, request, obj=None):
        # The phone is need-to-know: whoever may not see it in full does not get it here.
        excluded = list(super().get_exclude(request, obj) or ())
        if not request.user.has_perm(SEE_PHONE):
            excluded.append("phone")
        return excluded


@admin.register(AccessCard)
class AccessCardAdmin(HouqinAdmin):
    list_display = (
        "number",
        "property",
        "holder_name",
        "holder_kind",
        "unit",
        "issued_on",
        "expires_on",
        "status",
    )
    list_filter = ("property", "status", "holder_kind")
    search_fields = ("number", "holder_name")
    list_select_related = ("property", "unit")
