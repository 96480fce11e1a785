"""Numbers handed out by the system, unique even when many people create records at once."""

import string

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils.translation import gettext as _

from dpti.core.models.numbering import NumberSequence


def next_value(scope):
    """The next value of a scope, in one atomic statement.

    An upsert with RETURNING (PostgreSQL, and SQLite ≥ 3.35) increments the counter under the
    row lock the database takes itself, so two concurrent creations never get the same value and
    neither has to retry.
    """
    table = NumberSequence._meta.db_table
    database = router.db_for_write(NumberSequence)
    with connections[database].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, last_value) VALUES (%s, 1) "
            f"ON CONFLICT (scope) DO UPDATE SET last_value = {table}.last_value + 1 "
            "RETURNING last_value",
            [scope],
        )
        return cursor.fetchone()[0]


def pattern_fields(pattern):
    """The names used by a pattern such as '{year}-{category}-{seq:05d}'."""
    return {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name}


def validate_pattern(pattern, allowed):
    """A numbering pattern must contain {seq} and only the allowed names."""
    names = pattern_fields(pattern)
    if "seq" not in names:
        raise ValidationError(_("The numbering pattern must contain {seq}."))
    unknown = names - set(allowed) - {"seq"}
    if unknown:
        raise ValidationError(
            _("Unknown names in the numbering pattern: %(names)s.")
            % {"names": ", ".join(sorted(unknown))}
        )


def next_number(pattern, prefix_scope, max_length=None, **values):
    """Format the next number of a pattern; its counter restarts for each value of the names.

    With '{year}-{seq:05d}' the counter restarts each year; with '{seq:06d}' it never does.
    """
    names = sorted(pattern_fields(pattern) - {"seq"})
    scope = ":".join([prefix_scope, *(f"{name}={values[name]}" for name in names)])
    number = pattern.format(seq=next_value(scope), **values)
    if max_length and len(number) > max_length:
        raise ValidationError(
            _("The generated number %(number)s is longer than %(max)s characters.")
            % {"number": number, "max": max_length}
        )
    return number
