from core.forms import PropertyFilteredSelect, ScopedModelForm

from .models import Equipment, EquipmentCategory


class EquipmentCategoryForm(ScopedModelForm):
    class Meta:
        model = EquipmentCategory
        fields = ["code", "name", "special", "sort_order"]


class EquipmentForm(ScopedModelForm):
    class Meta:
        model = Equipment
        fields = [
            "property",
            "asset_code",
            "name",
            "category",
            "location",
            "model_number",
            "manufacturer",
            "serial_number",
            "commissioned_on",
            "warranty_ends_on",
            "contractor",
            "responsible",
            "criticality",
            "status",
            "registration_number",
            "certificate_expires_on",
            "note",
        ]
        widgets = {"location": PropertyFilteredSelect, "responsible": PropertyFilteredSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = self.fields["location"].queryset.select_related(
            "property"
        )
        self.fields["responsible"].queryset = self.fields["responsible"].queryset.current()
        if self.instance.pk:
            # Its history belongs to the property: equipment does not move between them.
            self.fields["property"].disabled = True
