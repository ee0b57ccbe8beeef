from .catalogue import Item, ItemCategory, StockLevel, Storeroom
from .ledger import (
    IssueStatus,
    MovementKind,
    StockBalance,
    StockIssue,
    StockIssueLine,
    StockMovement,
)

__all__ = [
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
]
