from .catalogue import Item, ItemCategory, StockLevel, Storeroom
from .ledger import (
    IssueStatus,
    MovementKind,
    StockBalance,
    StockIssue,
    StockIssueLine,
    StockMovement,
)
from .orders import (
    OPEN_FOR_RECEIPT,
    GoodsReceipt,
    GoodsReceiptLine,
    OrderStatus,
    PurchaseOrder,
    PurchaseOrderLine,
)
from .suppliers import DocumentKind, Supplier, SupplierDocument, SupplierStatus

__all__ = [
    "OPEN_FOR_RECEIPT",
    "DocumentKind",
    "GoodsReceipt",
    "GoodsReceiptLine",
    "IssueStatus",
    "Item",
    "ItemCategory",
    "MovementKind",
    "OrderStatus",
    "PurchaseOrder",
    "PurchaseOrderLine",
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
