"""The catalogue (物资) and where it is kept: categories, items, storerooms, stock levels."""

import builtins

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import date_window, validate_sane_date
from core.models import HouqinModel, Location, Property, code_validator
from core.recurrence import FrequencyUnit, Recurrence

QUANTITY = {"max_digits": 12, "decimal_places": 3}
MONEY = {"max_digits": 14, "decimal_places": 2}


class CategoryManager(models.Manager):
    def get_queryset(self):
        # Every label shows the parent ("电气材料 › 开关插座"): fetch it with the category.
        return super().get_queryset().select_related("parent")


class ItemCategory(HouqinModel):
    """A branch of the category tree: 电气材料 › 开关插座 …"""

    shared_reference = True

    objects = CategoryManager()

    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item category")
        verbose_name_plural = _("item categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="procurement_category_unique",
                violation_error_message=_("This category already exists here."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="procurement_category_unique_top",
                violation_error_message=_("This category already exists here."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="procurement_category_not_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        super().clean()
        # Two levels (类别 › 子类): budgets are set on the top level and count everything below.
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("Choose a top-level category as the parent.")})
        if self.parent_id and self.pk and self.children.exists():
            raise ValidationError(
                {"parent": _("A category with sub-categories stays at the top level.")}
            )
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if self.pk and node.pk == self.pk:
                raise ValidationError({"parent": _("A category cannot sit under itself.")})
            seen.add(node.pk)
            node = node.parent


class Item(HouqinModel):
    """物资: something the department buys, stores and issues."""

    shared_reference = True

    code = models.CharField(_("code"), max_length=30, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    specification = models.CharField(_("specification"), max_length=150, blank=True)
    unit = models.CharField(
        _("unit"), max_length=10, help_text=_("What it is counted in: piece, box, metre, litre …")
    )
    category = models.ForeignKey(
        ItemCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="items"
    )
    standard_price = models.DecimalField(
        _("standard price"), **MONEY, validators=[MinValueValidator(0)]
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = pgettext_lazy("stock", "items")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                Lower("code"),
                name="procurement_item_code_unique",
                violation_error_message=_("Another item has this code."),
            ),
            models.CheckConstraint(
                condition=Q(standard_price__gte=0),
                name="procurement_item_price_not_negative",
                violation_error_message=_("A price cannot be negative."),
            ),
        ]

    def __str__(self):
        spec = f" {self.specification}" if self.specification else ""
        return f"{self.name}{spec}"


class StoreroomQuerySet(models.QuerySet):
    def count_not_opened(self, day):
        """Storerooms whose scheduled count is due by ``day`` but whose sheet is not open
        (the daily task has not run, or failed)."""
        from .counts import IN_PROGRESS

        return (
            self.filter(active=True, count_every_months__gt=0, next_count_on__lte=day)
            .exclude(counts__status__in=IN_PROGRESS)
            .distinct()
        )


class Storeroom(HouqinModel):
    """仓库: where a property keeps its stock."""

    property_lookup = "property"

    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="storerooms"
    )
    code = models.CharField(_("code"), max_length=20, validators=[code_validator])
    name = models.CharField(_("name"), max_length=60)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="storerooms",
    )
    keeper = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("storekeeper"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="storerooms",
    )
    active = models.BooleanField(_("active"), default=True)
    count_every_months = models.PositiveSmallIntegerField(
        _("count every (months)"),
        default=1,
        validators=[MaxValueValidator(12)],
        help_text=_("0: no scheduled counts."),
    )
    next_count_on = models.DateField(
        _("next count"),
        null=True,
        blank=True,
        help_text=_("On this day the count sheet opens with a snapshot of the book."),
        validators=[validate_sane_date],
    )
    # The day the count series counts from (core.recurrence), so a monthly count on the 31st
    # comes back to the 31st after February; set from the next count a person enters.
    count_anchor = models.DateField(_("counts from"), null=True, blank=True, editable=False)
    blind_count = models.BooleanField(
        _("blind counts"), default=False, help_text=_("Hide book quantities while counting.")
    )

    history = HistoricalRecords()
    objects = StoreroomQuerySet.as_manager()

    class Meta:
        verbose_name = _("storeroom")
        verbose_name_plural = _("storerooms")
        ordering = ["property__code", "code"]
        constraints = [
            *date_window("next_count_on"),
            models.UniqueConstraint(
                "property",
                Lower("code"),
                name="procurement_storeroom_code_unique",
                violation_error_message=_("This property already has a storeroom with this code."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.check_same_property("location", "keeper")
        if (
            self.pk
            and Storeroom.objects.filter(pk=self.pk).exclude(property_id=self.property_id).exists()
        ):
            raise ValidationError({"property": _("A storeroom cannot move to another property.")})
        self.anchor_counts()

    @builtins.property
    def count_recurrence(self):
        return Recurrence(FrequencyUnit.MONTHS, self.count_every_months or 1)

    def anchor_counts(self):
        """A next count typed in that is not a date of the series starts a new series."""
        day = self.next_count_on
        if day is None or not self.count_every_months:
            return
        anchor = self.count_anchor
        if (
            anchor is None
            or anchor > day
            or self.count_recurrence.first_on_or_after(anchor, day) != day
        ):
            self.count_anchor = day


class StockLevel(HouqinModel):
    """An item's reorder point (minimum) and ceiling (maximum) in one storeroom."""

    property_lookup = "storeroom__property"

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="levels"
    )
    storeroom = models.ForeignKey(
        Storeroom, verbose_name=_("storeroom"), on_delete=models.CASCADE, related_name="levels"
    )
    minimum = models.DecimalField(
        _("minimum (reorder point)"), **QUANTITY, validators=[MinValueValidator(0)]
    )
    maximum = models.DecimalField(_("maximum"), **QUANTITY, validators=[MinValueValidator(0)])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["storeroom", "item__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "storeroom"],
                name="procurement_stocklevel_unique",
                violation_error_message=_("This item already has levels in this storeroom."),
            ),
            models.CheckConstraint(
                condition=Q(minimum__gte=0) & Q(maximum__gte=F("minimum")),
                name="procurement_stocklevel_min_max",
                violation_error_message=_("The maximum cannot be below the minimum."),
            ),
        ]

    def __str__(self):
        return f"{self.item} @ {self.storeroom}: {self.minimum}–{self.maximum}"
