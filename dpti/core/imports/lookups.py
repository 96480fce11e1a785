"""Finding the records a cell names in a foreign-key or many-to-many column.

The values of a whole block of rows are looked up at once, one query per related type, in
the records the importing user may see: a value the user may not see is "not found", like a
value that does not exist.
"""

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from dpti.core.display import label_of
from dpti.core.imports.columns import related_key
from dpti.core.imports.values import CellError, as_text, is_empty
from dpti.core.models.validity import ValidityPeriod

QUERY_CHUNK = 2000
MANY_SEPARATORS = (";", "|", "\n")


def split_many(raw):
    """The values of a many-to-many cell, separated by semicolons, bars or line breaks."""
    text = as_text(raw)
    for separator in MANY_SEPARATORS[1:]:
        text = text.replace(separator, MANY_SEPARATORS[0])
    return [part.strip() for part in text.split(MANY_SEPARATORS[0]) if part.strip()]


def lookup_fields(model):
    """The fields besides the name by which a cell names a record of a model without key."""
    from dpti.core.registry import registry

    return tuple(registry.get(model).import_lookup_fields) if model in registry else ()


def chunks(items, size=QUERY_CHUNK):
    """Successive slices of a list."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RelatedLookup:
    """The records a column may name, found by the related type's key, number or name.

    `queryset` holds the records the user may choose (the form field's, already restricted).
    Records created earlier in the same file can be named too, through `remember`.
    """

    def __init__(self, queryset, many=False):
        self.queryset = queryset
        self.model = queryset.model
        self.many = many
        self.key = related_key(self.model)
        self.key_field = self.model._meta.get_field(self.key) if self.key else None
        self.text_key = self.key_field is not None and self.key_field.get_internal_type() in {
            "CharField",
            "EmailField",
            "SlugField",
            "TextField",
        }
        self.lookup_fields = () if self.key else lookup_fields(self.model)
        self.index = {}  # folded value → list of records
        self.queried = set()
        self.everything_loaded = False
        self.pending = {}  # folded key → record created earlier in the file

    def fold(self, text):
        """How two spellings of the same value are compared."""
        return text.casefold() if self.text_key or self.key is None else text

    def values_of(self, raw):
        """The texts a cell names (several for a many-to-many cell)."""
        if is_empty(raw):
            return []
        return split_many(raw) if self.many else [as_text(raw)]

    def preload(self, raw_values):
        """Fetch in one query per chunk the records the given cells name and not seen yet."""
        wanted = {text for raw in raw_values for text in self.values_of(raw)}
        wanted = [t for t in wanted if self.fold(t) not in self.queried]
        if not wanted:
            return
        self.queried.update(self.fold(t) for t in wanted)
        if self.key:
            self._preload_by_key(wanted)
        else:
            self._preload_by_number_or_name(wanted)

    def _add(self, name, record):
        records = self.index.setdefault(self.fold(str(name)), [])
        if record not in records:
            records.append(record)

    def _preload_by_key(self, wanted):
        if self.text_key:
            queryset = self.queryset.annotate(_import_key=Lower(self.key))
            lookup = "_import_key__in"
            wanted = [t.lower() for t in wanted]
        else:
            values = []
            for text in wanted:
                try:
                    values.append(self.key_field.to_python(text))
                except Exception:  # noqa: BLE001 - a malformed value is simply not found
                    continue
            wanted, queryset, lookup = values, self.queryset, f"{self.key}__in"
        for chunk in chunks(wanted):
            for record in queryset.filter(**{lookup: chunk}):
                self._add(getattr(record, self.key), record)

    def _preload_by_number_or_name(self, wanted):
        # A value may be a lookup field's (a code made of digits) as well as a number.
        numbers = [int(t) for t in wanted if t.isdigit() and not self.lookup_fields]
        names = [t for t in wanted if not t.isdigit() or self.lookup_fields]
        if names and not self.everything_loaded:
            # Names are what `str()` shows, which no query can match: load the choices once.
            self.everything_loaded = True
            for record in self.queryset:
                self._add(record.pk, record)
                self._add(str(record), record)
                self._add(label_of(record), record)
                for name in self.lookup_fields:
                    self._add(getattr(record, name), record)
        elif numbers and not self.everything_loaded:
            for chunk in chunks(numbers):
                for record in self.queryset.filter(pk__in=chunk):
                    self._add(record.pk, record)
                    self._add(str(record), record)

    def remember(self, key_value, record):
        """Let later rows name a record created by an earlier row of the file."""
        self.pending[self.fold(str(key_value))] = record

    def resolve_one(self, text):
        """The single record a text names, or a CellError."""
        folded = self.fold(text)
        records = self.index.get(folded) or []
        if len(records) > 1:
            exact = [r for r in records if str(getattr(r, self.key or "pk", r)) == text]
            records = exact if len(exact) == 1 else records
        if len(records) > 1 and isinstance(records[0], ValidityPeriod):
            # A code shared by rows of successive periods names the one in force today.
            today = timezone.localdate()
            current = [
                r
                for r in records
                if r.valid_from <= today and (r.valid_to is None or r.valid_to >= today)
            ]
            records = current if len(current) == 1 else records
        if len(records) == 1:
            return records[0]
        if not records and folded in self.pending:
            return self.pending[folded]
        opts = self.model._meta
        if records:
            raise CellError(
                _("“%(value)s” matches %(count)d %(types)s; write a more precise value.")
                % {"value": text, "count": len(records), "types": opts.verbose_name_plural}
            )
        if self.key:
            raise CellError(
                _("No %(type)s has the %(key)s “%(value)s”.")
                % {"type": opts.verbose_name, "key": self.key_field.verbose_name, "value": text}
            )
        raise CellError(
            _("No %(type)s is named “%(value)s” (or has this number).")
            % {"type": opts.verbose_name, "value": text}
        )

    def __call__(self, raw):
        """The record (or the list of records) a cell names; "" for an empty cell."""
        texts = self.values_of(raw)
        if self.many:
            return [self.resolve_one(text) for text in texts]
        return self.resolve_one(texts[0]) if texts else ""
