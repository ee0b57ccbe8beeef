from decimal import Decimal

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.autocomplete import AutocompleteFormMixin, known_labels, use_autocomplete
from core.dates import validate_sane_date
from core.forms import PropertyFilteredSelect, ScopedModelForm, WordedModelForm
from core.scoping import scope_queryset

from .models import (
    Budget,
    Item,
    ItemCategory,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePlan,
    PurchasePlanLine,
    RequestForQuotation,
    Requisition,
    RequisitionLine,
    RfqLine,
    StockIssue,
    StockIssueLine,
    StockLevel,
    Storeroom,
    Supplier,
    SupplierDocument,
    SupplierStatus,
)

QUANTITY_FIELD = {"max_digits": 12, "decimal_places": 3}


class ItemCategoryForm(ScopedModelForm):
    class Meta:
        model = ItemCategory
        fields = ["name", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Two levels: a parent is a top-level category (and not this one).
        parents = ItemCategory.objects.filter(parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class ItemForm(ScopedModelForm):
    class Meta:
        model = Item
        fields = ["code", "name", "specification", "unit", "category", "standard_price", "active"]


class StoreroomForm(ScopedModelForm):
    class Meta:
        model = Storeroom
        fields = [
            "property",
            "code",
            "name",
            "location",
            "keeper",
            "active",
            "count_every_months",
            "next_count_on",
            "blind_count",
        ]
        widgets = {"location": PropertyFilteredSelect, "keeper": PropertyFilteredSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = self.fields["location"].queryset.select_related(
            "property"
        )
        self.fields["keeper"].queryset = self.fields["keeper"].queryset.current()
        if self.instance.pk:
            # Its stock, ledger and documents belong to the property: the room stays there.
            self.fields["property"].disabled = True


class StockLevelForm(ScopedModelForm):
    class Meta:
        model = StockLevel
        fields = ["item", "storeroom", "minimum", "maximum"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["storeroom"].queryset = self.fields["storeroom"].queryset.select_related(
            "property"
        )


class StockIssueForm(ScopedModelForm):
    class Meta:
        model = StockIssue
        fields = ["storeroom", "department", "employee", "work_order_ref", "purpose"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["storeroom"].queryset = (
            self.fields["storeroom"].queryset.filter(active=True).select_related("property")
        )
        self.fields["employee"].queryset = self.fields["employee"].queryset.current()


class SharedItemChoices:
    """Each line's item is typed (autocomplete over the catalogue, which grows to
    thousands); the items already on the lines are read once for the whole formset."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known_labels(self.forms, "item")


class LinesFormSet(SharedItemChoices, forms.BaseInlineFormSet):
    """Lines of a document: at least one, each item once."""

    duplicate_message = _("Each item once, please.")

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("Add at least one line."))
        items = [f.cleaned_data["item"] for f in kept]
        if len(items) != len(set(items)):
            raise forms.ValidationError(self.duplicate_message)


class BaseIssueLineFormSet(LinesFormSet):
    duplicate_message = _("Each item once per issue, please.")


IssueLineFormSet = forms.inlineformset_factory(
    StockIssue,
    StockIssueLine,
    formset=BaseIssueLineFormSet,
    fields=["item", "quantity"],
    extra=3,
    can_delete=True,
)


class StockOperationForm(AutocompleteFormMixin, forms.Form):
    """An adjustment (with its reason) or goods returned to stock."""

    KINDS = (("adjustment", _("Adjustment")), ("return", _("Return to stock")))

    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS)
    storeroom = forms.ModelChoiceField(label=_("Storeroom"), queryset=Storeroom.objects.none())
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.filter(active=True))
    quantity = forms.DecimalField(
        label=_("Quantity"),
        **QUANTITY_FIELD,
        help_text=_("Negative to take stock out (adjustments)."),
    )
    unit_cost = forms.DecimalField(
        label=_("Unit cost"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("For stock coming in; default: the average."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["storeroom"].queryset = scope_queryset(
            Storeroom.objects.filter(active=True).select_related("property"), user
        )

    def clean(self):
        data = super().clean()
        quantity = data.get("quantity")
        if quantity is not None and quantity == Decimal(0):
            self.add_error("quantity", _("Give a quantity other than zero."))
        if data.get("kind") == "return" and quantity is not None and quantity < 0:
            self.add_error("quantity", _("A return brings stock in: give a positive quantity."))
        return data


class TransferForm(AutocompleteFormMixin, forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.filter(active=True))
    source = forms.ModelChoiceField(label=_("From"), queryset=Storeroom.objects.none())
    target = forms.ModelChoiceField(label=_("To"), queryset=Storeroom.objects.none())
    quantity = forms.DecimalField(label=_("Quantity"), **QUANTITY_FIELD, min_value=Decimal("0.001"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        rooms = scope_queryset(
            Storeroom.objects.filter(active=True).select_related("property"), user
        )
        self.fields["source"].queryset = rooms
        self.fields["target"].queryset = rooms


class SupplierForm(ScopedModelForm):
    class Meta:
        model = Supplier
        fields = [
            "name",
            "credit_code",
            "contact",
            "phone",
            "email",
            "address",
            "categories",
            "status",
            "status_reason",
            "note",
        ]
        widgets = {"categories": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = ItemCategory.objects.select_related("parent")


DocumentFormSet = forms.inlineformset_factory(
    Supplier,
    SupplierDocument,
    fields=["kind", "number", "issued_on", "expires_on"],
    extra=2,
    can_delete=True,
    widgets={
        "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    },
)


class ScorecardLabels:
    """Suppliers labelled with their scorecard (on time · rejected), all cards read at once."""

    cards = None

    def label_from_instance(self, obj):
        if self.cards is None:
            from .scorecard import scorecards

            self.cards = scorecards(list(self.queryset.values_list("pk", flat=True)))
        card = self.cards.get(obj.pk)
        return f"{obj.name} ({card})" if card and card.deliveries else obj.name


class SupplierChoiceField(ScorecardLabels, forms.ModelChoiceField):
    """Approved suppliers, each labelled with its scorecard."""


class PurchaseOrderForm(ScopedModelForm):
    class Meta:
        model = PurchaseOrder
        fields = ["supplier", "storeroom", "promised_on", "note"]
        field_classes = {"supplier": SupplierChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(status=SupplierStatus.APPROVED)
        self.fields["storeroom"].queryset = self.fields["storeroom"].queryset.filter(active=True)


class BaseOrderLineFormSet(LinesFormSet):
    duplicate_message = _("Each item once per order, please.")


OrderLineFormSet = forms.inlineformset_factory(
    PurchaseOrder,
    PurchaseOrderLine,
    formset=BaseOrderLineFormSet,
    fields=["item", "quantity", "unit_price"],
    extra=3,
    can_delete=True,
)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ReceiveForm(forms.Form):
    """One row per outstanding order line: received, accepted, reason for rejecting."""

    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_sane_date],
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"received_{line.pk}"] = forms.DecimalField(
                label=_("Received"),
                max_digits=12,
                decimal_places=3,
                min_value=0,
                required=False,
                initial=line.outstanding,
            )
            self.fields[f"accepted_{line.pk}"] = forms.DecimalField(
                label=_("Accepted"),
                max_digits=12,
                decimal_places=3,
                min_value=0,
                required=False,
                initial=line.outstanding,
            )
            self.fields[f"reason_{line.pk}"] = forms.CharField(
                label=_("Reason for rejecting"), max_length=200, required=False
            )

    def rows(self):
        for line in self.lines:
            yield (
                line,
                self[f"received_{line.pk}"],
                self[f"accepted_{line.pk}"],
                self[f"reason_{line.pk}"],
            )

    def receipt_lines(self):
        data = self.cleaned_data
        return {
            line: (
                data[f"received_{line.pk}"] or 0,
                data[f"accepted_{line.pk}"]
                if data[f"accepted_{line.pk}"] is not None
                else data[f"received_{line.pk}"] or 0,
                data[f"reason_{line.pk}"],
            )
            for line in self.lines
        }


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PricedLinesFormSet(LinesFormSet):
    """Lines with an estimated price, which defaults to the item's standard price."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["estimated_price"].required = False
        form.fields["estimated_price"].help_text = _("Default: the standard price.")

    def clean(self):
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if data and data.get("item") and data.get("estimated_price") is None:
                data["estimated_price"] = data["item"].standard_price
                form.instance.estimated_price = data["item"].standard_price
        super().clean()


class BudgetForm(ScopedModelForm):
    class Meta:
        model = Budget
        fields = ["property", "year", "category", "amount", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ItemCategory.objects.filter(parent__isnull=True)


class PurchasePlanForm(ScopedModelForm):
    class Meta:
        model = PurchasePlan
        fields = ["property", "period", "year", "number", "note"]


PlanLineFormSet = forms.inlineformset_factory(
    PurchasePlan,
    PurchasePlanLine,
    form=WordedModelForm,
    formset=PricedLinesFormSet,
    fields=["item", "quantity", "estimated_price", "reason"],
    extra=3,
    can_delete=True,
)


class RequisitionForm(ScopedModelForm):
    class Meta:
        model = Requisition
        fields = ["property", "department", "work_order_ref", "purpose", "needed_by"]


RequisitionLineFormSet = forms.inlineformset_factory(
    Requisition,
    RequisitionLine,
    form=WordedModelForm,
    formset=PricedLinesFormSet,
    fields=["item", "quantity", "estimated_price", "note"],
    extra=3,
    can_delete=True,
)


class OrderFromRequisitionForm(AutocompleteFormMixin, forms.Form):
    supplier = SupplierChoiceField(label=_("Supplier"), queryset=Supplier.objects.none())
    storeroom = forms.ModelChoiceField(label=_("Deliver to"), queryset=Storeroom.objects.none())
    promised_on = forms.DateField(
        label=_("Promised delivery"), widget=DATE_WIDGET, validators=[validate_sane_date]
    )

    def __init__(self, *args, requisition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(status=SupplierStatus.APPROVED)
        self.fields["storeroom"].queryset = Storeroom.objects.filter(
            property_id=requisition.property_id, active=True
        )


class SupplierMultipleChoiceField(ScorecardLabels, forms.ModelMultipleChoiceField):
    """Suppliers to ask, each labelled with its scorecard."""


def other_suppliers_field():
    """The explicit way to ask a supplier not listed as supplying the items (typed, since
    the list of suppliers grows)."""
    return forms.ModelMultipleChoiceField(
        label=_("Also invite another supplier"),
        queryset=Supplier.objects.invitable(),
        required=False,
        help_text=_(
            "A supplier whose categories do not cover these items: ask them only if you mean to."
        ),
    )


class SuppliersToAskMixin:
    """``suppliers``: the invitable suppliers of ``items`` (checkboxes, with scorecards),
    and ``other_suppliers`` for anyone else; cleaned, ``suppliers`` holds both."""

    def limit_suppliers(self, items, chosen=()):
        field = self.fields["suppliers"]
        field.label = _("Suppliers of these items")
        field.help_text = _(
            "Approved suppliers and candidates whose categories cover every item requested."
        )
        matching = Supplier.objects.invitable().supplying(items)
        if chosen:
            matching = Supplier.objects.filter(Q(pk__in=matching.values("pk")) | Q(pk__in=chosen))
        field.queryset = matching
        if not matching.exists():
            field.help_text = _(
                "No supplier is recorded as supplying these items: invite one below, or add "
                "the categories to a supplier's record."
            )

    def clean(self):
        cleaned = super().clean()
        chosen = list(cleaned.get("suppliers") or [])
        others = [s for s in cleaned.get("other_suppliers") or [] if s not in chosen]
        cleaned["suppliers"] = chosen + others
        if self.require_suppliers and not cleaned["suppliers"] and "suppliers" not in self.errors:
            self.add_error(
                "suppliers",
                _("Choose the suppliers to ask (at least %(count)d to send the request).")
                % {"count": settings.PROCUREMENT_MIN_QUOTES},
            )
        return cleaned


class RfqFromRequisitionForm(SuppliersToAskMixin, AutocompleteFormMixin, forms.Form):
    require_suppliers = True

    reply_by = forms.DateField(
        label=_("Quotes due"), widget=DATE_WIDGET, validators=[validate_sane_date]
    )
    suppliers = SupplierMultipleChoiceField(
        queryset=Supplier.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, requisition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other_suppliers"] = other_suppliers_field()
        self.limit_suppliers(Item.objects.filter(requisition_lines__requisition=requisition))
        use_autocomplete([self.fields["other_suppliers"]])


class RequestForQuotationForm(SuppliersToAskMixin, ScopedModelForm):
    require_suppliers = False  # a draft may wait for them; sending needs them

    class Meta:
        model = RequestForQuotation
        fields = ["property", "title", "reply_by", "suppliers"]
        field_classes = {"suppliers": SupplierMultipleChoiceField}
        widgets = {"suppliers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suppliers"].queryset = Supplier.objects.invitable()
        if self.instance.pk:
            self.fields["other_suppliers"] = other_suppliers_field()
            self.limit_suppliers(
                Item.objects.filter(rfq_lines__rfq=self.instance),
                chosen=self.instance.suppliers.values("pk"),
            )
            use_autocomplete([self.fields["other_suppliers"]])
        if self.instance.pk and self.instance.requisition_id:
            self.fields["property"].disabled = True

    def clean_reply_by(self):
        from django.utils import timezone

        reply_by = self.cleaned_data["reply_by"]
        if reply_by and reply_by < timezone.localdate() and "reply_by" in self.changed_data:
            raise forms.ValidationError(_("Quotes cannot be due in the past."))
        return reply_by


RfqLineFormSet = forms.inlineformset_factory(
    RequestForQuotation,
    RfqLine,
    formset=LinesFormSet,
    fields=["item", "quantity"],
    extra=3,
    can_delete=True,
)


class QuotationForm(AutocompleteFormMixin, forms.Form):
    """One supplier's prices for every line of the request."""

    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Supplier.objects.none())
    received_on = forms.DateField(
        label=_("Received on"), widget=DATE_WIDGET, validators=[validate_sane_date]
    )
    valid_until = forms.DateField(
        label=_("Valid until"), widget=DATE_WIDGET, required=False, validators=[validate_sane_date]
    )
    lead_days = forms.IntegerField(label=_("Delivery in (days)"), min_value=0, max_value=365)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, rfq, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.fields["supplier"].queryset = rfq.suppliers.all()
        for line in lines:
            self.fields[f"price_{line.pk}"] = forms.DecimalField(
                label=_("Unit price"), max_digits=14, decimal_places=2, min_value=0
            )

    def rows(self):
        for line in self.lines:
            yield line, self[f"price_{line.pk}"]

    def prices(self):
        return {line.pk: self.cleaned_data[f"price_{line.pk}"] for line in self.lines}


class AwardForm(forms.Form):
    quotation = forms.ModelChoiceField(label=_("Quote"), queryset=None)
    storeroom = forms.ModelChoiceField(label=_("Deliver to"), queryset=Storeroom.objects.none())
    reason = forms.CharField(
        label=_("Reason for the choice"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text=_("Required when the quote chosen is not the cheapest."),
    )

    def __init__(self, *args, rfq, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quotation"].queryset = rfq.quotations.select_related("supplier")
        self.fields["storeroom"].queryset = Storeroom.objects.filter(
            property_id=rfq.property_id, active=True
        )


class MarkReturnedForm(forms.Form):
    returned_on = forms.DateField(
        label=_("Returned on"), widget=DATE_WIDGET, validators=[validate_sane_date]
    )
    carrier = forms.CharField(label=_("Collected by / waybill"), max_length=100, required=False)


class AddToPlanForm(forms.Form):
    quantity = forms.DecimalField(
        label=_("Quantity"), **QUANTITY_FIELD, min_value=Decimal("0.001"), required=False
    )


class OpenCountForm(forms.Form):
    storeroom = forms.ModelChoiceField(label=_("Storeroom"), queryset=Storeroom.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["storeroom"].queryset = scope_queryset(
            Storeroom.objects.filter(active=True).select_related("property"), user
        )


class CountEntryForm(forms.Form):
    """What was found, line by line (and the reason for any difference)."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            # Each field carries the value the page showed: only what this person changed is
            # saved, so two people counting the same sheet do not wipe each other's work.
            self.fields[f"counted_{line.pk}"] = forms.DecimalField(
                label=_("Counted"),
                max_digits=12,
                decimal_places=3,
                min_value=0,
                required=False,
                initial=line.counted,
                show_hidden_initial=True,
            )
            self.fields[f"reason_{line.pk}"] = forms.CharField(
                label=_("Reason for the variance"),
                max_length=200,
                required=False,
                initial=line.reason,
                show_hidden_initial=True,
            )

    def rows(self):
        for line in self.lines:
            counted, reason = self[f"counted_{line.pk}"], self[f"reason_{line.pk}"]
            shown = counted.as_hidden(only_initial=True) + reason.as_hidden(only_initial=True)
            yield line, counted, reason, shown

    LINE_ERRORS = {
        "counted": _("Count this line."),
        "reason": _("Give the reason for the variance."),
    }

    def mark_lines(self, field, lines):
        """A refusal about some lines (``services.counting.CountLinesError``): the error on
        each of those lines' ``field``, so the page highlights them."""
        for line in lines:
            name = f"{field}_{line.pk}"
            if name in self.fields:
                self.add_error(name, self.LINE_ERRORS[field])

    def entries(self):
        """The lines this submission changed: (counted, reason) by line id."""
        data, changed = self.cleaned_data, set(self.changed_data)
        return {
            line.pk: (data[f"counted_{line.pk}"], data[f"reason_{line.pk}"])
            for line in self.lines
            if {f"counted_{line.pk}", f"reason_{line.pk}"} & changed
        }
