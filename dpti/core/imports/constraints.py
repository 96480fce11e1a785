"""Uniqueness and check constraints of a whole file, with a few queries instead of one per row.

A form checks each constraint with a query per record, which makes a dry run of 50,000 rows
cost 100,000 queries. Here simple conditions (`Q(kind="x")`, `Q(company__isnull=False)`, …)
are evaluated in Python, and unique values are looked up in the database once per constraint
and block of rows; anything more complex falls back to Django's own per-record validation.
A commit runs the same checks on each block inside its transaction, just before saving the
block, so rows saved by earlier blocks count; the database constraints remain the last guard.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, Q, UniqueConstraint
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from dpti.core.imports.lookups import chunks

COMPARISONS = {
    "exact": lambda a, b: a == b,
    "iexact": lambda a, b: str(a).casefold() == str(b).casefold(),
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "in": lambda a, b: a in b,
}


class UnsupportedConditionError(Exception):
    """A condition this module cannot evaluate in Python."""


def _getter(model, path):
    """A function giving the stored value a lookup path names (a field or a foreign key's id)."""
    parts = path.split("__")
    if len(parts) == 2 and parts[1] in {"pk", "id"}:
        parts = parts[:1]
    if len(parts) != 1:
        raise UnsupportedConditionError(path)
    model_field = model._meta.get_field(parts[0])
    if model_field.many_to_many or model_field.one_to_many:
        raise UnsupportedConditionError(path)
    attname = model_field.attname
    if not model_field.is_relation:
        return lambda instance: getattr(instance, attname)

    def related_value(instance):
        value = getattr(instance, attname)
        if (
            value is None
            and model_field.is_cached(instance)
            and model_field.get_cached_value(instance) is not None
        ):
            raise UnsupportedConditionError(path)  # an unsaved related record: id unknown
        return value

    return related_value


def compile_condition(condition, model):
    """A Q condition as a function of an unsaved instance: True, False or None (SQL "unknown").

    Prepared once per import. Raises UnsupportedConditionError at once for a condition this
    module cannot evaluate; the function raises it for a row whose value cannot be known (an
    unsaved related record).
    """
    tests = []
    for child in condition.children:
        if isinstance(child, Q):
            tests.append(compile_condition(child, model))
            continue
        if not isinstance(child, tuple):
            raise UnsupportedConditionError(child)
        lookup, expected = child
        if hasattr(expected, "resolve_expression"):
            raise UnsupportedConditionError(lookup)
        path, _sep, operator = lookup.rpartition("__")
        if operator not in COMPARISONS and operator != "isnull":
            path, operator = lookup, "exact"
        if operator == "exact" and expected is None:
            operator, expected = "isnull", True
        tests.append(_compile_test(_getter(model, path), operator, expected, lookup))
    is_and, negated = condition.connector == Q.AND, condition.negated

    def test(instance):
        results = [t(instance) for t in tests]
        if is_and:
            outcome = False if False in results else (None if None in results else True)
        else:
            outcome = True if True in results else (None if None in results else False)
        if negated and outcome is not None:
            outcome = not outcome
        return outcome

    return test


def _compile_test(get, operator, expected, lookup):
    if operator == "isnull":
        wanted = bool(expected)
        return lambda instance: (get(instance) is None) == wanted
    compare = COMPARISONS[operator]

    def test(instance):
        value = get(instance)
        if value is None:
            return None
        try:
            return compare(value, expected)
        except TypeError as error:
            raise UnsupportedConditionError(lookup) from error

    return test


@dataclass
class UniqueSet:
    """Fields whose values together must be unique, optionally only where a condition holds."""

    fields: tuple
    condition: Q | None = None
    message: str | None = None
    seen: dict = field(default_factory=dict)  # values → first row number
    rows: dict = field(default_factory=dict)  # values → [(row number, pk)]
    test: object = None  # the compiled condition (see `prepare`)
    getters: tuple | None = ()
    blank: tuple = ()

    @property
    def attnames(self):
        return tuple(f.attname for f in self.fields)

    def prepare(self, model):
        """Compile the condition and the value getters once (None when they cannot be)."""
        try:
            self.test = (
                None if self.condition is None else compile_condition(Q(self.condition), model)
            )
            self.getters = tuple(_getter(model, f.name) for f in self.fields)
        except UnsupportedConditionError:
            self.test = self.getters = None  # left to the commit's full validation
        self.blank = tuple(f.blank for f in self.fields)


def unique_sets(model):
    """Every uniqueness rule of a model that can be checked by values."""
    opts = model._meta
    sets = [UniqueSet((f,)) for f in opts.concrete_fields if f.unique and not f.primary_key]
    for names in opts.unique_together:
        sets.append(UniqueSet(tuple(opts.get_field(n) for n in names)))
    fallback = []
    for parent in [model, *opts.get_parent_list()]:
        for constraint in parent._meta.constraints:
            if not isinstance(constraint, UniqueConstraint):
                continue
            if (
                constraint.fields
                and not constraint.expressions
                and constraint.nulls_distinct is not False
            ):
                custom = constraint.violation_error_message != (
                    constraint.default_violation_error_message
                )
                sets.append(
                    UniqueSet(
                        tuple(opts.get_field(n) for n in constraint.fields),
                        condition=constraint.condition,
                        message=constraint.get_violation_error_message() if custom else None,
                    )
                )
            else:
                fallback.append((parent, constraint))
    return sets, fallback


class ConstraintChecker:
    """Collects valid rows block by block, then reports the constraints they break."""

    def __init__(self, model):
        self.model = model
        self.unique_sets, self.fallback = unique_sets(model)
        for unique in self.unique_sets:
            unique.prepare(model)
        self.checks = []  # (parent, constraint, compiled condition or None)
        for parent in [model, *model._meta.get_parent_list()]:
            for constraint in parent._meta.constraints:
                if isinstance(constraint, CheckConstraint):
                    try:
                        test = compile_condition(Q(constraint.condition), model)
                    except UnsupportedConditionError:
                        test = None  # Django's own validation, row by row
                    self.checks.append((parent, constraint, test))
        self.errors = {}  # row number → [(field name or None, message)]

    def _error(self, number, field_name, message):
        self.errors.setdefault(number, []).append((field_name, str(message)))

    def _django_validate(self, number, parent, constraint, instance):
        try:
            constraint.validate(parent, instance)
        except ValidationError as error:
            single = getattr(constraint, "fields", ()) and len(constraint.fields) == 1
            for message in error.messages:
                self._error(number, constraint.fields[0] if single else None, message)

    def add(self, number, instance):
        """Check a valid row's check constraints now and keep its unique values for later."""
        for parent, constraint, test in self.checks:
            try:
                if test is None:
                    raise UnsupportedConditionError(constraint.name)
                if test(instance) is False:
                    self._error(number, None, constraint.get_violation_error_message())
            except UnsupportedConditionError:
                self._django_validate(number, parent, constraint, instance)
        for parent, constraint in self.fallback:
            self._django_validate(number, parent, constraint, instance)
        for unique in self.unique_sets:
            if unique.getters is None:
                continue  # the commit's full validation checks it
            try:
                if unique.test is not None and not unique.test(instance):
                    continue
                values = tuple(get(instance) for get in unique.getters)
            except UnsupportedConditionError:
                continue  # the commit's full validation checks it
            if any(v is None for v in values):
                continue  # NULL never collides
            if any(v == "" and blank for v, blank in zip(values, unique.blank, strict=True)):
                # An optional unique value left empty is given by the type on save (an
                # inventory number): the saved rows are still checked by full validation.
                continue
            first = unique.seen.setdefault(values, number)
            if first != number:
                self._error(number, self._field_name(unique), self._file_message(unique, first))
                continue
            unique.rows.setdefault(values, []).append((number, instance.pk))

    @staticmethod
    def _field_name(unique):
        return unique.fields[0].name if len(unique.fields) == 1 else None

    @staticmethod
    def _file_message(unique, first):
        if unique.message:
            return _("%(message)s Same values as row %(row)d of the file.") % {
                "message": unique.message,
                "row": first,
            }
        if len(unique.fields) == 1:
            return _("The same value is already on row %(row)d of the file.") % {"row": first}
        names = get_text_list([str(f.verbose_name) for f in unique.fields], _("and"))
        return _("The same %(fields)s are already on row %(row)d of the file.") % {
            "fields": names,
            "row": first,
        }

    def _database_message(self, unique):
        if unique.message:
            return unique.message
        error = self.model().unique_error_message(self.model, [f.name for f in unique.fields])
        return " ".join(error.messages)

    def finish(self):
        """Look the values collected since the last call up in the database.

        Returns {row number: [(field name or None, message)]} for those rows, and forgets
        them (the values already seen stay known, to find repeats in later blocks).
        """
        manager = self.model._default_manager
        for unique in self.unique_sets:
            rows, unique.rows = unique.rows, {}
            if not rows:
                continue
            queryset = manager.filter(unique.condition) if unique.condition else manager.all()
            first = unique.fields[0]
            for chunk in chunks({values[0] for values in rows}):
                stored = queryset.filter(**{f"{first.attname}__in": chunk}).values_list(
                    "pk", *unique.attnames
                )
                for pk, *values in stored:
                    for number, row_pk in rows.get(tuple(values), ()):
                        if row_pk != pk:
                            self._error(
                                number, self._field_name(unique), self._database_message(unique)
                            )
        errors, self.errors = self.errors, {}
        return errors
