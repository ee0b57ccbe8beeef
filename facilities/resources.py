"""Import and export of the equipment ledger (by property code and asset code), all or
nothing; another property's code is a row error for a user who does not see it."""

from import_export import fields

from core.models import Property
from core.resources import AllOrNothingResource, RequiredForeignKeyWidget

from .models import Equipment, EquipmentCategory


class EquipmentResource(AllOrNothingResource):
    property = fields.Field(
        "property", "property", RequiredForeignKeyWidget(Property, field="code")
    )
    category = fields.Field(
        "category", "category", RequiredForeignKeyWidget(EquipmentCategory, field="code")
    )

    class Meta:
        model = Equipment
        import_id_fields = ("property", "asset_code")
        fields = (
            "property",
            "asset_code",
            "name",
            "category",
            "model_number",
            "manufacturer",
            "serial_number",
            "commissioned_on",
            "warranty_ends_on",
            "criticality",
            "status",
            "registration_number",
            "certificate_expires_on",
            "note",
        )
        clean_model_instances = True
        skip_unchanged = True
