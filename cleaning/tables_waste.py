import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import HouqinTable

from .models import CollectionSchedule, ExpectedCollection, WasteCategoryLabel, WasteCollection
from .models.waste import CATEGORY_COLOURS, label_of


class CategoryColumnMixin:
    """The ``category`` column as each row's property names it (all renamings read once per
    table: a handful of rows per property)."""

    _labels = None

    def category_text(self, record):
        if self._labels is None:
            self._labels = {
                (property_id, category): label
                for property_id, category, label in WasteCategoryLabel.objects.values_list(
                    "property_id", "category", "label"
                )
            }
        return label_of(self._labels, record.point.property_id, record.category)

    def render_category(self, record):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            CATEGORY_COLOURS.get(record.category, "secondary"),
            self.category_text(record),
        )

    def value_category(self, record):
        return self.category_text(record)


class CollectionScheduleTable(CategoryColumnMixin, HouqinTable):
    point = tables.Column(linkify=True)
    category = tables.Column(verbose_name=_("category"))
    schedule = tables.Column(
        accessor="describe_schedule", verbose_name=_("schedule"), orderable=False
    )
    property = tables.Column(accessor="point__property", verbose_name=_("property"))

    class Meta(HouqinTable.Meta):
        model = CollectionSchedule
        fields = (
            "point",
            "property",
            "category",
            "schedule",
            "window_start",
            "window_hours",
            "hauler",
            "next_due",
            "active",
        )

    def render_window_start(self, value):
        return value.strftime("%H:%M")


class ExpectedCollectionTable(CategoryColumnMixin, HouqinTable):
    due_on = tables.DateColumn(linkify=True)
    point = tables.Column()
    category = tables.Column(verbose_name=_("category"))
    property = tables.Column(accessor="point__property", verbose_name=_("property"))
    collected = tables.Column(verbose_name=_("collected"), orderable=False)

    class Meta(HouqinTable.Meta):
        model = ExpectedCollection
        fields = ("due_on", "point", "property", "category", "window_start", "hauler", "collected")
        row_attrs = {
            "class": lambda record: (
                "table-danger"
                if not record.collected and record.window_end < timezone.now()
                else ""
            )
        }

    def render_window_start(self, record):
        start = timezone.localtime(record.window_start)
        end = timezone.localtime(record.window_end)
        return f"{start:%H:%M}–{end:%H:%M}"

    def value_window_start(self, record):
        return self.render_window_start(record)

    def render_collected(self, record):
        if record.collected:
            return _("Yes")
        if record.window_end < timezone.now():
            return _("Missed")
        return _("Not yet")

    def value_collected(self, record):
        return str(self.render_collected(record))


class WasteCollectionTable(CategoryColumnMixin, HouqinTable):
    collected_at = tables.DateTimeColumn(linkify=True, format="SHORT_DATETIME_FORMAT")
    category = tables.Column(verbose_name=_("category"))
    property = tables.Column(accessor="point__property", verbose_name=_("property"))

    class Meta(HouqinTable.Meta):
        model = WasteCollection
        fields = (
            "collected_at",
            "point",
            "property",
            "category",
            "bins",
            "weight_kg",
            "hauler",
            "manifest_number",
            "recorded_by",
        )


class WasteCategoryLabelTable(HouqinTable):
    label = tables.Column(linkify=True)

    class Meta(HouqinTable.Meta):
        model = WasteCategoryLabel
        fields = ("label", "category", "property")
