"""What the stores answer in search: items by code or name, suppliers by name, and documents
by number (PO-000123, REQ-…, RFQ-…, GR-…, ST-…, LY-…, RTV-…). A query or two per type."""

from django.db.models import Case, IntegerField, Value, When
from django.utils.text import capfirst

from core.registry import SearchResult
from core.scoping import scope_queryset
from core.search import PER_TYPE, document_number, more_url

from .models import (
    GoodsReceipt,
    Item,
    PurchaseOrder,
    RequestForQuotation,
    Requisition,
    StockCount,
    StockIssue,
    Supplier,
    SupplierReturn,
)

AREA = "procurement"
# Each document's number is its prefix and id (see the models' __str__).
DOCUMENTS = (
    ("PO", PurchaseOrder, "supplier"),
    ("REQ", Requisition, "property"),
    ("RFQ", RequestForQuotation, "property"),
    ("GR", GoodsReceipt, "order__supplier"),
    ("ST", StockCount, "storeroom"),
    ("LY", StockIssue, "storeroom"),
    ("RTV", SupplierReturn, "supplier"),
)


def _ranked(queryset, field, text):
    return queryset.annotate(
        rank=Case(
            When(**{f"{field}__iexact": text}, then=Value(0)),
            When(**{f"{field}__istartswith": text}, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("rank", field)


def items(user, query):
    if not user.has_perm("procurement.view_item"):
        return []
    found = _ranked(
        Item.objects.select_related("category").filter(query.q("code", "name")), "code", query.text
    )[:PER_TYPE]
    label = capfirst(Item._meta.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=f"{item.code} · {item}",
            url=item.get_absolute_url(),
            detail=f"{item.category} · {item.unit}",
            rank=item.rank,
            more_url=more_url("procurement:item_list", query),
        )
        for item in found
    ]


def suppliers(user, query):
    if not user.has_perm("procurement.view_supplier"):
        return []
    found = _ranked(Supplier.objects.filter(query.q("name")), "name", query.text)[:PER_TYPE]
    label = capfirst(Supplier._meta.verbose_name_plural)
    return [
        SearchResult(
            area=AREA,
            type_label=label,
            title=supplier.name,
            url=supplier.get_absolute_url(),
            detail=supplier.get_status_display(),
            rank=supplier.rank,
            more_url=more_url("procurement:supplier_list", query),
        )
        for supplier in found
    ]


def documents(user, query):
    """A document by its number: one query, for the one kind the prefix names."""
    for prefix, model, related in DOCUMENTS:
        pk = document_number(query, prefix)
        if pk is None:
            continue
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            return []
        found = scope_queryset(model.objects.select_related(related), user).filter(pk=pk)
        return [
            SearchResult(
                area=AREA,
                type_label=capfirst(opts.verbose_name_plural),
                title=str(document),
                url=document.get_absolute_url(),
                detail=str(_related(document, related)),
            )
            for document in found
        ]
    return []


def _related(document, path):
    value = document
    for name in path.split("__"):
        value = getattr(value, name, None)
        if value is None:
            return ""
    return value
