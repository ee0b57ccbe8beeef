"""Trigram indexes for search, on PostgreSQL only (a migration operation).

Search filters with ``icontains``, which Django writes on PostgreSQL as
``UPPER("column"::text) LIKE UPPER('%…%')``; a GIN index with ``gin_trgm_ops`` (pg_trgm) on
that same expression answers it without reading the table, for any substring of three
characters or more, Chinese included. SQLite has no such index: there the operation does
nothing and search reads the table, which at SQLite's sizes is fast enough.

The indexes are not part of the models' state (``Meta.indexes`` would create them on SQLite
too), so ``makemigrations`` never sees them.
"""

from django.db.migrations.operations.base import Operation


def _index(field, name):
    from django.contrib.postgres.indexes import GinIndex, OpClass
    from django.db.models.functions import Upper

    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)


class AddTrigramIndex(Operation):
    """``AddTrigramIndex("workorder", "title", "facilities_wo_title_trgm")``: a pg_trgm GIN
    index on ``UPPER(title)``, created on PostgreSQL only (after ``TrigramExtension()``)."""

    reversible = True

    def __init__(self, model_name, field, name):
        self.model_name = model_name
        self.field = field
        self.name = name

    def state_forwards(self, app_label, state):
        pass  # not in the model state: it exists on PostgreSQL only

    def _applies(self, schema_editor):
        return schema_editor.connection.vendor == "postgresql"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self._applies(schema_editor):
            model = to_state.apps.get_model(app_label, self.model_name)
            schema_editor.add_index(model, _index(self.field, self.name))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self._applies(schema_editor):
            model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.remove_index(model, _index(self.field, self.name))

    def describe(self):
        return f"Trigram index {self.name} on {self.model_name}.{self.field} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return self.name

    def deconstruct(self):
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            [self.model_name, self.field, self.name],
            {},
        )


class TrigramExtension(Operation):
    """Django's ``TrigramExtension`` (``CREATE EXTENSION pg_trgm``), both ways on PostgreSQL
    only: Django's own one also skips SQLite going forwards but not backwards."""

    reversible = True

    def __init__(self):
        from django.contrib.postgres.operations import TrigramExtension

        self.operation = TrigramExtension()

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "Creates extension pg_trgm (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return "create_extension_pg_trgm"

    def deconstruct(self):
        return (f"{type(self).__module__}.{type(self).__qualname__}", [], {})
