"""The columns of an import: which fields, how a header cell names them, what they hold."""

import unicodedata
from dataclasses import dataclass, replace

from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from dpti.core.display import quoted
from dpti.core.fields import AmountField

BOOL, DATE, DATETIME, INTEGER, AMOUNT, DECIMAL, CHOICE, FOREIGN_KEY, MANY, TEXT = (
    "bool",
    "date",
    "datetime",
    "integer",
    "amount",
    "decimal",
    "choice",
    "foreign_key",
    "many",
    "text",
)
IGNORED_IN_NAMES = " \t\r\n\u00a0\u202f\u2009_-.'\u2019*"


def normalize(text):
    """Fold a header for matching: no accents, no case, no spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in plain.casefold() if c not in IGNORED_IN_NAMES)


def kind_of(model_field):
    """The kind of value a model field takes, which decides how a cell is read."""
    if isinstance(model_field, models.ManyToManyField):
        return MANY
    if isinstance(model_field, models.ForeignKey):
        return FOREIGN_KEY
    if model_field.choices:
        return CHOICE
    if isinstance(model_field, models.BooleanField):
        return BOOL
    if isinstance(model_field, models.DateTimeField):
        return DATETIME
    if isinstance(model_field, models.DateField):
        return DATE
    if isinstance(model_field, AmountField):
        return AMOUNT
    if isinstance(model_field, models.IntegerField):
        return INTEGER
    if isinstance(model_field, models.DecimalField | models.FloatField):
        return DECIMAL
    return TEXT


@dataclass
class ColumnSpec:
    """One importable field of an object type."""

    name: str
    model_field: object
    form_field: object
    kind: str
    required: bool
    is_key: bool
    # For the excluding-tax column of an amount stored including TGC: the rate's code and
    # the field whose date chooses the rate in force (see ObjectType.import_excl_tax).
    excl_tax: str | None = None
    tax_date_field: str | None = None

    @property
    def id(self):
        """What a column mapping names this column by: the field, or "<field>:ht"."""
        return f"{self.name}{EXCL_TAX_SUFFIX}" if self.excl_tax else self.name

    @property
    def label(self):
        """The column title in the active language."""
        title = capfirst(str(self.model_field.verbose_name))
        if self.excl_tax:
            return _("%(field)s, given excl. tax (TGC %(code)s added)") % {
                "field": title,
                "code": self.excl_tax,
            }
        return title

    def aliases(self):
        """Every folded spelling a header cell may use for this column."""
        names = {normalize(self.name)}
        for language in ("en", "fr"):
            with translation.override(language):
                names.add(normalize(str(self.model_field.verbose_name)))
        if self.excl_tax:
            # "Valeur d'acquisition HT", "value excl. tax": the amount's names with a tax word.
            return {f"{name}{word}" for name in names for word in EXCL_TAX_WORDS}
        return names | {normalize(self.label)}


EXCL_TAX_SUFFIX = ":ht"
EXCL_TAX_WORDS = ("ht", "horstaxe", "horstaxes", "horstgc", "excltax", "excludingtax", "net")


def import_columns(object_type):
    """The columns an import file of this type may have, in the declared order.

    A field is importable when the type's form edits it. A column is required when the form
    requires the field and the model gives it no default (a missing column takes the default).
    """
    base_fields = object_type.form.base_fields
    columns = []
    for name in object_type.get_import_fields():
        if name not in base_fields:
            continue
        model_field = object_type.opts.get_field(name)
        form_field = base_fields[name]
        columns.append(
            ColumnSpec(
                name=name,
                model_field=model_field,
                form_field=form_field,
                kind=kind_of(model_field),
                required=bool(form_field.required and not model_field.has_default()),
                is_key=name == object_type.import_key,
            )
        )
    return columns


def mapping_columns(object_type):
    """The columns a file's column may be mapped to: the import columns, and the
    excluding-tax twin of each amount the type declares in `import_excl_tax` (when an app
    provides the TGC rates)."""
    from dpti.core.registry import registry

    columns = import_columns(object_type)
    by_name = {spec.name: spec for spec in columns}
    if not registry.provides_tax_rates:
        return columns
    for name, (code, date_field) in object_type.import_excl_tax.items():
        if name in by_name:
            columns.append(
                replace(by_name[name], excl_tax=code, tax_date_field=date_field, required=False)
            )
    return columns


@dataclass
class MatchedColumn:
    """A column of the file (its position and header text) bound to a field."""

    index: int
    header: str
    spec: ColumnSpec


@dataclass
class HeaderMatch:
    """The outcome of reading a header: bound columns, file-level errors, missing columns."""

    columns: list
    errors: list
    missing_required: list

    @property
    def key_column(self):
        return next((c for c in self.columns if c.spec.is_key), None)


def match_header(object_type, header, mapping=None):
    """Bind each header cell to a field; unknown, repeated and missing columns are errors.

    Without `mapping`, a header cell must name its field (name or verbose name, French or
    English). With one — a column id or "" (ignored) per header cell, as the mapping step
    confirmed it — the cells are bound as it says.
    """
    specs = import_columns(object_type)
    by_alias = {}
    if mapping is None:
        for spec in specs:
            for alias in spec.aliases():
                by_alias.setdefault(alias, spec)
    else:
        by_id = {spec.id: spec for spec in mapping_columns(object_type)}
    columns, errors, unknown, seen = [], [], [], {}
    for index, text in enumerate(header):
        if not text:
            continue
        if mapping is None:
            spec = by_alias.get(normalize(text))
        else:
            chosen = mapping[index] if index < len(mapping) else ""
            if not chosen:
                continue  # the user chose to ignore this column
            spec = by_id.get(chosen)
        if spec is None:
            unknown.append(text)
        elif spec.name in seen:
            errors.append(
                _("The columns “%(first)s” and “%(second)s” both fill “%(field)s”.")
                % {"first": seen[spec.name], "second": text, "field": spec.label}
            )
        else:
            seen[spec.name] = text
            columns.append(MatchedColumn(index, text, spec))
    if unknown:
        errors.append(
            _("Unknown columns: %(unknown)s. Expected columns: %(expected)s.")
            % {
                "unknown": ", ".join(quoted(u) for u in unknown),
                "expected": ", ".join(quoted(s.label) for s in specs),
            }
        )
    missing = [spec for spec in specs if spec.required and spec.name not in seen]
    has_key = any(spec.is_key for spec in specs if spec.name in seen)
    if missing and not has_key:
        # Without a key every row creates a record, so every required column must be there.
        errors.append(
            _("Required columns are missing: %(missing)s.")
            % {"missing": ", ".join(quoted(s.label) for s in missing)}
        )
    if not columns and not errors:
        errors.append(_("No column of the file matches a field."))
    return HeaderMatch(columns, errors, missing)


def related_key(model):
    """The field that identifies a record of a related model in a cell, or None.

    A registered type names it with `import_key`; otherwise a cell holds the record's name as
    displayed or its number.
    """
    from dpti.core.registry import registry

    if model in registry:
        return registry.get(model).import_key
    return None
