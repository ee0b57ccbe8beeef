"""Import and export of items (by category name and code), all or nothing."""

from import_export import fields

from core.resources import AllOrNothingResource, RequiredForeignKeyWidget

from .models import Item, ItemCategory, Supplier


class ItemResource(AllOrNothingResource):
    category = fields.Field(
        "category", "category", RequiredForeignKeyWidget(ItemCategory, field="name")
    )

    class Meta:
        model = Item
        import_id_fields = ("code",)
        fields = ("code", "name", "specification", "unit", "category", "standard_price", "active")
        clean_model_instances = True
        skip_unchanged = True


class SupplierResource(AllOrNothingResource):
    """Suppliers by credit code; the code's check character is verified per row."""

    class Meta:
        model = Supplier
        import_id_fields = ("credit_code",)
        fields = (
            "credit_code",
            "name",
            "contact",
            "phone",
            "email",
            "address",
            "status",
            "status_reason",
            "note",
        )
        clean_model_instances = True
        skip_unchanged = True
