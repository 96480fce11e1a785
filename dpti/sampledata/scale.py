"""Scale data: each app's `scale.seed(size=…, stdout=…)` fills the database in bulk.

Sizes are named; a module reads its own numbers from SIZES. Data are deterministic (fixed seeds)
so that two benchmark runs measure the same database.
"""

from dpti.sampledata.discovery import app_modules

SIZES = ("tiny", "small", "medium", "large")


def scale_modules():
    """The `scale` modules of the domain apps, in app order."""
    return app_modules("scale")


def batched(iterable, size):
    """Lists of at most `size` items, for bulk inserts that keep memory flat."""
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Progress:
    """A one-line progress report on the command line."""

    def __init__(self, stdout, label, total):
        self.stdout, self.label, self.total, self.done, self.shown = stdout, label, total, 0, -1

    def advance(self, count):
        self.done += count
        percent = 100 * self.done // max(self.total, 1)
        if percent // 10 != self.shown // 10 or self.done == self.total:
            self.shown = percent
            self.stdout.write(f"  {self.label}: {self.done:,}/{self.total:,} ({percent} %)")


def page_url(name, params):
    """A bench page's address: URL name with positional arguments (a list of values) or a
    query (a dict or a list of (key, value) pairs)."""
    from django.urls import reverse
    from django.utils.http import urlencode

    if isinstance(params, list) and params and not isinstance(params[0], tuple):
        return reverse(name, args=params)
    return reverse(name) + ("?" + urlencode(params) if params else "")


def answering_pages(client, candidates, probe=None):
    """[(label, url, row count)] of the candidate pages that answer 200 (each tried once).

    `candidates` are (label, URL name, params, row count); a page not built yet (no URL) or
    refusing is left out. `probe(name, params)` may give a cheaper address to try first.
    """
    from django.urls import NoReverseMatch

    found = []
    for label, name, params, count in candidates:
        try:
            url = page_url(name, params)
            trial = probe(name, params) if probe else url
        except NoReverseMatch:
            continue
        if client.get(trial).status_code == 200:
            found.append((label, url, count))
    return found


# Fields shown in a seeded creation entry (the rest would only make the rows longer).
HISTORY_FIELDS_PER_ENTRY = 6
LOGGED_COLUMNS = (
    "content_type_id, object_pk, object_id, object_repr, action, changes, timestamp, changes_text"
)


def _plain_columns(object_type):
    """Plain concrete columns of a type: those a seeded creation entry shows."""
    from django.db import models

    return [
        field
        for field in object_type.opts.concrete_fields
        if not (field.primary_key or field.is_relation or isinstance(field, models.JSONField))
        and field.name not in {"created_at", "updated_at", "version", "password", "last_login"}
    ]


def _sql_text(vendor, column):
    return f"CAST({column} AS TEXT)" if vendor == "sqlite" else f"{column}::text"


def _json_builders(vendor):
    return (
        ("json_object", "json_array")
        if vendor == "sqlite"
        else ("jsonb_build_object", "jsonb_build_array")
    )


def _sql_changes(vendor, pairs):
    """SQL building auditlog's changes {"field": ["None", "value"]} from (name, expression)."""
    build, array = _json_builders(vendor)
    arguments = ", ".join(f"'{name}', {array}('None', {expression})" for name, expression in pairs)
    return f"{build}({arguments})"


def _sql_repr(vendor, object_type, plain):
    """The entry's object representation: the type's first two own search fields, « A — B »
    (most types' __str__; computing str() in Python would cost minutes at a million rows)."""
    own = {field.name: field.column for field in plain}
    columns = [own[name] for name in object_type.search_fields if name in own][:2]
    if not columns:
        key = object_type.opts.pk.column
        return f"'{object_type.opts.verbose_name} ' || {_sql_text(vendor, key)}"
    return " || ' — ' || ".join(f"COALESCE({_sql_text(vendor, c)}, '')" for c in columns)


def seed_history(stdout):
    """The history a life of the seeded data would have left, in a few INSERT … SELECT: one
    creation entry per object of every type with history, dated when the object was created,
    showing a few of its fields, and one update entry on the asset per movement (« room: A →
    B »). A type that already has history (reference data installed by migrations) gets none.
    """
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from dpti.core.registry import registry

    vendor = connection.vendor
    table = LogEntry._meta.db_table
    total = 0
    with connection.cursor() as cursor:
        for object_type in registry:
            model = object_type.model
            if not object_type.history or model is LogEntry:
                continue
            content_type = ContentType.objects.get_for_model(model)
            if LogEntry.objects.filter(content_type=content_type).exists():
                continue
            plain = _plain_columns(object_type)
            dated = any(field.name == "created_at" for field in object_type.opts.concrete_fields)
            # auditlog writes an empty value as "None"; its display would fail on a JSON null.
            pairs = [
                (field.name, f"COALESCE({_sql_text(vendor, field.column)}, 'None')")
                for field in plain[:HISTORY_FIELDS_PER_ENTRY]
            ]
            changes = _sql_changes(vendor, pairs) if pairs else "NULL"
            when = "created_at" if dated else "CURRENT_TIMESTAMP"
            object_repr = _sql_repr(vendor, object_type, plain)
            key = model._meta.pk.column
            cursor.execute(
                f"INSERT INTO {table} ({LOGGED_COLUMNS}) "
                f"SELECT %s, {_sql_text(vendor, key)}, {key}, {object_repr},"
                f" %s, {changes}, {when}, '' FROM {model._meta.db_table} ORDER BY 3",
                [content_type.pk, LogEntry.Action.CREATE],
            )
            if cursor.rowcount:
                stdout.write(
                    f"  historique {object_type.opts.verbose_name_plural}: {cursor.rowcount:,}"
                )
            total += max(cursor.rowcount, 0)
        total += _seed_movement_history(cursor, vendor, stdout)
    return total


def _seed_movement_history(cursor, vendor, stdout):
    """An update entry on the asset for each of its movements between rooms."""
    from auditlog.models import LogEntry
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    if not apps.is_installed("dpti.assets"):
        return 0
    from dpti.assets.models import Asset, AssetMovement
    from dpti.estate.models import Room

    content_type = ContentType.objects.get_for_model(Asset)
    if LogEntry.objects.filter(content_type=content_type, action=LogEntry.Action.UPDATE).exists():
        return 0
    rooms = Room._meta.db_table
    build, array = _json_builders(vendor)
    changes = (
        f"{build}('room', {array}(COALESCE(source.code, 'None'), COALESCE(target.code, 'None')))"
    )
    cursor.execute(
        f"INSERT INTO {LogEntry._meta.db_table} ({LOGGED_COLUMNS}) "
        f"SELECT %s, {_sql_text(vendor, 'asset.id')}, asset.id,"
        f" asset.inventory_number || ' — ' || asset.label, %s, {changes}, movement.moved_at, ''"
        f" FROM {AssetMovement._meta.db_table} movement"
        f" JOIN {Asset._meta.db_table} asset ON asset.id = movement.asset_id"
        f" LEFT JOIN {rooms} source ON source.id = movement.from_room_id"
        f" LEFT JOIN {rooms} target ON target.id = movement.to_room_id"
        " WHERE COALESCE(movement.from_room_id, 0) <> COALESCE(movement.to_room_id, 0)"
        " ORDER BY movement.id",
        [content_type.pk, LogEntry.Action.UPDATE],
    )
    stdout.write(f"  historique des déplacements de biens: {cursor.rowcount:,}")
    return max(cursor.rowcount, 0)
