"""Finding the records a cell names in a foreign-key or many-to-many column.

The values of a whole block of rows are looked up at once, one query per related type, in
the records the importing user may see: a value the user may not see is "not found", like a
value that does not exist.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from dpti.core.display import label_of
from dpti.core.imports.columns import normalize, related_key
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


NAME_SEPARATORS = '/\\,;:>|()[]\u2013\u2014\u00ab\u00bb"+'


def fold_name(text):
    """How a name in a cell is compared: folded like a header, separators between the parts
    of a composite name ignored (« Siège — Bureau 104 » = « siege / bureau 104 »)."""
    return "".join(c for c in normalize(text) if c not in NAME_SEPARATORS)


def name_lookups(model):
    """The ways a cell may name a record of a model besides its key, each a tuple of paths."""
    from dpti.core.registry import registry

    if model not in registry:
        return ()
    return tuple(
        (entry,) if isinstance(entry, str) else tuple(entry)
        for entry in registry.get(model).import_name_lookups
    )


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
        # Names besides the key (a room by « bâtiment + nom »): see `_preload_by_name`.
        self.name_paths = name_lookups(self.model) if self.key else ()
        self.names = None  # folded name → pks, loaded at the first name a file uses
        self.by_name = {}  # folded name → list of records
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
            if self.name_paths:
                self._preload_by_name([t for t in wanted if self.fold(t) not in self.index])
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

    def _preload_by_name(self, wanted):
        """Find by their names the records the key did not find.

        Folded names (accents, case, punctuation) cannot be compared in SQL: the names of
        every record the user may choose are read once per import (their primary keys and
        the name fields only), then each block fetches the records its names designate in
        one query. A file that names every record by its key costs nothing more.
        """
        if not wanted:
            return
        if self.names is None:
            self.names = {}
            paths = sorted({path for entry in self.name_paths for path in entry})
            for row in self.queryset.order_by().values_list("pk", *paths):
                values = dict(zip(paths, row[1:], strict=True))
                for entry in self.name_paths:
                    parts = [values[path] for path in entry]
                    if all(part not in (None, "") for part in parts):
                        folded = fold_name(" ".join(str(part) for part in parts))
                        self.names.setdefault(folded, set()).add(row[0])
        pks = {pk for text in wanted for pk in self.names.get(fold_name(text), ())}
        records = {}
        for chunk in chunks(pks):
            records.update((r.pk, r) for r in self.queryset.filter(pk__in=chunk))
        for text in wanted:
            found = self.names.get(fold_name(text), ())
            self.by_name[fold_name(text)] = sorted(
                (records[pk] for pk in found if pk in records), key=str
            )

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

    def candidate_name(self, record):
        """A record as an ambiguity message names it: with its key when its name hides it
        (two « DUPONT Jean » told apart by their e-mails)."""
        name, key = str(record), str(getattr(record, self.key))
        return name if key in name else f"{name} ({key})"

    def shaped_like_key(self, text):
        """True when the key has a shape of its own (a RIDET, an e-mail) and the text has it:
        then the text was meant as a key, and the message says no record bears it."""
        shapes = [
            v
            for v in self.key_field.validators
            if not isinstance(v, MaxLengthValidator | ProhibitNullCharactersValidator)
        ]
        if not shapes:
            return False
        try:
            for validator in shapes:
                validator(text)
        except ValidationError:
            return False
        return True

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
        if not records and self.name_paths:
            records = self.by_name.get(fold_name(text)) or []
            if len(records) == 1:
                return records[0]
            if records:
                raise CellError(
                    _(
                        "“%(value)s” names several %(types)s: %(candidates)s; "
                        "write the %(key)s instead."
                    )
                    % {
                        "value": text,
                        "types": opts.verbose_name_plural,
                        "candidates": ", ".join(
                            _("“%(name)s”") % {"name": self.candidate_name(r)} for r in records
                        ),
                        "key": self.key_field.verbose_name,
                    }
                )
            if not self.shaped_like_key(text):
                raise CellError(
                    _("No %(type)s has the %(key)s or the name “%(value)s”.")
                    % {"type": opts.verbose_name, "key": self.key_field.verbose_name, "value": text}
                )
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
