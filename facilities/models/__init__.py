from .equipment import (
    Criticality,
    Equipment,
    EquipmentCategory,
    EquipmentStatus,
)

__all__ = ["Criticality", "Equipment", "EquipmentCategory", "EquipmentStatus"]
