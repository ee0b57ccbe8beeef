"""Issuing cleaning consumables, and the item lines it shares with greening's "done" page."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import validate_sane_date
from core.forms import PropertyFilteredSelect, ScopedModelForm
from procurement.models import Item

from .forms_waste import DATETIME_INPUT
from .models import ConsumableIssue


class ItemLinesMixin:
    """Up to ``LINES`` pairs of item and quantity (``item_1``, ``quantity_1`` …) issued from
    one storeroom; ``clean_item_lines`` sums them into item → quantity, or marks the half
    given pair."""

    LINES = 3
    line_label = _("Material %(n)d")

    def add_item_lines(self):
        for n in range(1, self.LINES + 1):
            self.fields[f"item_{n}"] = forms.ModelChoiceField(
                label=self.line_label % {"n": n},
                queryset=Item.objects.filter(active=True).order_by("code"),
                required=False,
            )
            self.fields[f"quantity_{n}"] = forms.DecimalField(
                label=_("Quantity"),
                required=False,
                min_value=Decimal("0.001"),
                max_digits=12,
                decimal_places=3,
            )

    def item_lines(self):
        """The bound fields, pair by pair, for the template."""
        return [(self[f"item_{n}"], self[f"quantity_{n}"]) for n in range(1, self.LINES + 1)]

    def clean_item_lines(self, cleaned):
        lines = {}
        for n in range(1, self.LINES + 1):
            item, quantity = cleaned.get(f"item_{n}"), cleaned.get(f"quantity_{n}")
            if item is None and quantity is None:
                continue
            if item is None or quantity is None:
                self.add_error(f"item_{n}", _("Give the material and its quantity."))
                continue
            lines[item] = lines.get(item, Decimal(0)) + quantity
        return lines


class ConsumableIssueForm(ItemLinesMixin, ScopedModelForm):
    """Consumables from one storeroom to an area or a team, up to five items at once."""

    LINES = 5
    line_label = _("Item %(n)d")

    class Meta:
        model = ConsumableIssue
        fields = ["property", "area", "team", "storeroom", "received_by", "issued_at", "note"]
        widgets = {
            "area": PropertyFilteredSelect,
            "team": PropertyFilteredSelect,
            "storeroom": PropertyFilteredSelect,
            "received_by": PropertyFilteredSelect,
            "issued_at": DATETIME_INPUT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_item_lines()
        self.fields["storeroom"].queryset = self.fields["storeroom"].queryset.filter(active=True)
        self.fields["area"].queryset = self.fields["area"].queryset.filter(active=True)
        self.fields["received_by"].queryset = self.fields["received_by"].queryset.current()
        self.fields["issued_at"].required = False
        self.fields["issued_at"].help_text = _("Empty: now.")
        self.fields["issued_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["issued_at"].validators.append(validate_sane_date)
        # The autocomplete widgets were set up before the item fields were added.
        from core.autocomplete import use_autocomplete

        use_autocomplete(self.fields.values())

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("area") and not cleaned.get("team") and "area" not in self.errors:
            self.add_error("area", _("Issue the consumables to an area or a team."))
        issued_at = cleaned.get("issued_at")
        if issued_at and issued_at > timezone.now():
            self.add_error("issued_at", _("An issue cannot be in the future."))
        cleaned["lines"] = self.clean_item_lines(cleaned)
        if not cleaned["lines"] and not any(
            f"item_{n}" in self.errors for n in range(1, self.LINES + 1)
        ):
            self.add_error("item_1", _("Give at least one item and its quantity."))
        return cleaned
