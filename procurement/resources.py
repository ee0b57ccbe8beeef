"""Import and export of items (by category name and code), all or nothing."""

from import_export import fields

from core.resources import AllOrNothingResource, RequiredForeignKeyWidget

from .models import Item, ItemCategory


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
