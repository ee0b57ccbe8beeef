"""What the scanner's typed-code fallback finds in facilities: equipment by its asset code (the
code printed on its QR label)."""

from django.utils.translation import gettext_lazy as _

from core.registry import ScanMatch
from core.scoping import scope_queryset

from .models import Equipment

MATCHES = 10


def equipment_by_code(user, code):
    if not user.has_perm("facilities.view_equipment"):
        return []
    found = scope_queryset(Equipment.objects.select_related("property"), user).filter(
        asset_code__iexact=code
    )
    return [
        ScanMatch(
            area="facilities",
            type_label=_("Equipment"),
            title=f"{equipment.asset_code} {equipment.name} · {equipment.property.code}",
            url=equipment.get_absolute_url(),
        )
        for equipment in found.order_by("property__code", "pk")[:MATCHES]
    ]
