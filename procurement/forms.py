from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PropertyFilteredSelect, ScopedModelForm
from core.scoping import scope_queryset

from .models import (
    Item,
    ItemCategory,
    PurchaseOrder,
    PurchaseOrderLine,
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


class ItemForm(ScopedModelForm):
    class Meta:
        model = Item
        fields = ["code", "name", "specification", "unit", "category", "standard_price", "active"]


class StoreroomForm(ScopedModelForm):
    class Meta:
        model = Storeroom
        fields = ["property", "code", "name", "location", "keeper", "active"]
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
    """The item list of every line, read once for the whole formset (not once per row)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            ("", "---------"),
            *((item.pk, str(item)) for item in Item.objects.filter(active=True).order_by("code")),
        ]
        for form in self.forms:
            form.fields["item"].choices = choices


class BaseIssueLineFormSet(SharedItemChoices, forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("Add at least one line."))
        items = [f.cleaned_data["item"] for f in kept]
        if len(items) != len(set(items)):
            raise forms.ValidationError(_("Each item once per issue, please."))


IssueLineFormSet = forms.inlineformset_factory(
    StockIssue,
    StockIssueLine,
    formset=BaseIssueLineFormSet,
    fields=["item", "quantity"],
    extra=3,
    can_delete=True,
)


class StockOperationForm(forms.Form):
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


class TransferForm(forms.Form):
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


class SupplierChoiceField(forms.ModelChoiceField):
    """Approved suppliers, each labelled with its scorecard (on time · rejected)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cards = None

    def label_from_instance(self, obj):
        if self.cards is None:
            from .scorecard import scorecards

            self.cards = scorecards(list(self.queryset.values_list("pk", flat=True)))
        card = self.cards.get(obj.pk)
        return f"{obj.name} ({card})" if card and card.deliveries else obj.name


class PurchaseOrderForm(ScopedModelForm):
    class Meta:
        model = PurchaseOrder
        fields = ["supplier", "storeroom", "promised_on", "note"]
        field_classes = {"supplier": SupplierChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(status=SupplierStatus.APPROVED)
        self.fields["storeroom"].queryset = self.fields["storeroom"].queryset.filter(active=True)


class BaseOrderLineFormSet(SharedItemChoices, forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("Add at least one line."))
        items = [f.cleaned_data["item"] for f in kept]
        if len(items) != len(set(items)):
            raise forms.ValidationError(_("Each item once per order, please."))


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
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
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
