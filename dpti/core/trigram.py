"""PostgreSQL trigram indexes for the search fields of the big tables.

The quick search of lists and the global search filter with `icontains`, which Django writes
`UPPER("column"::text) LIKE UPPER('%word%')` on PostgreSQL: no B-tree helps a pattern that
starts with `%`, so without help PostgreSQL reads and tests every row. A GIN index of the
trigrams of `UPPER(column)` (extension pg_trgm) answers exactly that expression, for words of
three characters or more.

The operations below are migration operations that do nothing on other databases (SQLite in
development and in the first CI pass), and leave the models' state alone: the indexes are a
PostgreSQL detail of the search, not part of the schema that `makemigrations` compares.
"""

from django.db.migrations.operations.base import Operation

TRIGRAM_OPCLASS = "gin_trgm_ops"


def trigram_index_name(table, column):
    """`<table>_<column>_trgm`, cut to PostgreSQL's 63 characters."""
    return f"{table}_{column}"[:58] + "_trgm"


def _is_postgresql(schema_editor):
    return schema_editor.connection.vendor == "postgresql"


class CreateTrigramExtension(Operation):
    """CREATE EXTENSION pg_trgm on PostgreSQL (a trusted extension: the owner of the database
    may create it); nothing elsewhere."""

    reversible = True
    reduces_to_sql = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _is_postgresql(schema_editor):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        # Other schemas or databases may use it; leaving it installed is harmless.
        pass

    def describe(self):
        return "Creates the PostgreSQL extension pg_trgm"


class AddTrigramIndexes(Operation):
    """GIN trigram indexes on UPPER(field) for each of `fields` of a model, on PostgreSQL only.

    The expression must stay `UPPER(column)`: it is the one Django's `icontains` writes, and
    PostgreSQL uses an expression index only for the same expression.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name, fields):
        self.model_name = model_name
        self.fields = list(fields)

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.model_name, self.fields], {})

    def state_forwards(self, app_label, state):
        pass

    def _indexes(self, app_label, state):
        model = state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        for name in self.fields:
            column = model._meta.get_field(name).column
            yield table, column, trigram_index_name(table, column)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not _is_postgresql(schema_editor):
            return
        quote = schema_editor.quote_name
        for table, column, index in self._indexes(app_label, to_state):
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(index)} ON {quote(table)} "
                f"USING gin (UPPER({quote(column)}) {TRIGRAM_OPCLASS})"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if not _is_postgresql(schema_editor):
            return
        for _table, _column, index in self._indexes(app_label, from_state):
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index)}")

    def describe(self):
        return f"Trigram indexes on {self.model_name} ({', '.join(self.fields)}), PostgreSQL only"
