"""Building blocks for django-import-export resources, shared by every app."""

from django.utils.translation import gettext as _
from import_export import resources
from import_export.widgets import ForeignKeyWidget

from .models import Location
from .scoping import is_scoped, scope_queryset, visible_records


class RequiredForeignKeyWidget(ForeignKeyWidget):
    """A foreign key by natural key whose missing target is a row error, not a crash; with a
    ``user``, only records of the properties that user sees are found."""

    user = None

    def get_queryset(self, value, row, *args, **kwargs):
        queryset = super().get_queryset(value, row, *args, **kwargs)
        if self.user is not None and is_scoped(queryset.model):
            queryset = scope_queryset(queryset, self.user)
        return queryset

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as exc:
            raise ValueError(
                _("%(model)s “%(value)s” does not exist.")
                % {"model": self.model._meta.verbose_name, "value": value}
            ) from exc


class FormulaSafeResource(resources.ModelResource):
    """Reads back what the admin's export wrote: a text that would run as a spreadsheet
    formula was written with an apostrophe in front (core.exports.guard_formula), taken off
    here, so "-20℃" or "+86 138…" comes back as it was."""

    def before_import_row(self, row, **kwargs):
        from .exports import FORMULA_STARTS

        for key, value in list(row.items()):
            if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_STARTS:
                row[key] = value[1:]
        return super().before_import_row(row, **kwargs)


class AllOrNothingResource(FormulaSafeResource):
    """An import saves every row or none: one bad row rolls the whole file back. Given the
    acting ``user``, it reads and writes only records of the properties that user sees."""

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field.widget, RequiredForeignKeyWidget):
                field.widget.user = user

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.user is not None:
            queryset = visible_records(queryset, self.user)
        return queryset

    def import_data(self, dataset, **kwargs):
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        return super().import_data(dataset, **kwargs)


class LocationResource(AllOrNothingResource):
    """Locations through the model's own validation, so an import cannot break the tree."""

    class Meta:
        model = Location
        fields = ("id", "property", "parent", "kind", "code", "name", "note")
        clean_model_instances = True
