from .catalogue import Item, ItemCategory, StockLevel, Storeroom
from .ledger import (
    IssueStatus,
    MovementKind,
    StockBalance,
    StockIssue,
    StockIssueLine,
    StockMovement,
)
from .suppliers import DocumentKind, Supplier, SupplierDocument, SupplierStatus

__all__ = [
    "DocumentKind",
    "IssueStatus",
    "Item",
    "ItemCategory",
    "MovementKind",
    "StockBalance",
    "StockIssue",
    "StockIssueLine",
    "StockLevel",
    "StockMovement",
    "Storeroom",
    "Supplier",
    "SupplierDocument",
    "SupplierStatus",
]
