"""The import engine: one pass over a file, as a dry run or as the real, all-or-nothing import.

Rows are read in blocks; for each block the related records the cells name and the records
the keys designate are fetched in one query per type, so that validating a row costs no
query. Each row then goes through the object type's own form, and the block's unique values
are checked against the file and the database at once. A commit does the same, then saves
the block's rows through `save_object`, all inside one transaction with the importing user
as the audit actor, and rolls everything back if a single row fails.
"""

import copy
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from dpti.core.audit import acting_as
from dpti.core.audit_batches import audit_entries_in_bulk
from dpti.core.imports import columns as kinds
from dpti.core.imports.columns import match_header
from dpti.core.imports.constraints import ConstraintChecker
from dpti.core.imports.lookups import RelatedLookup, chunks
from dpti.core.imports.rowform import RowForms, row_form_class
from dpti.core.imports.taxes import ExclTaxConverter
from dpti.core.imports.values import CellError, is_empty, make_parser
from dpti.core.permissions import restrict, user_is_scoped
from dpti.core.services import save_object

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ACTIONS = (CREATE, UPDATE, UNCHANGED, ERROR)
BLOCK_ROWS = 1000
REPORT_OK_ROWS = 200
REPORT_ERROR_ROWS = 1000


@dataclass(slots=True)
class RowResult:
    """What the import does (or would do) with one row of the file."""

    number: int
    action: str = ERROR
    label: str = ""
    errors: list = field(default_factory=list)
    pk: int | None = None

    def as_dict(self):
        return {
            "row": self.number,
            "action": self.action,
            "label": self.label,
            "errors": self.errors,
        }


# save_object is atomic: inside the import's transaction, that is a savepoint per row. A
# block of rows is saved under one savepoint of its own (see ImportRun._save_block).
save_without_savepoint = getattr(save_object, "__wrapped__", save_object)


def _state_of(instance):
    """What saving changes on a record in memory (its values, pk and state), to undo it."""
    values = dict(vars(instance))
    values["_state"] = state = copy.copy(instance._state)
    state.fields_cache = dict(instance._state.fields_cache)
    return values


def _restore(instance, values):
    """Put a record back as `_state_of` saw it (its save was rolled back)."""
    vars(instance).clear()
    vars(instance).update(values)


def new_records(model):
    """A function making a new, empty record of a model for each row.

    Model.__init__ walks every field for its default: a tenth of a row's cost. When nothing
    could tell the difference (no __init__ of the model's own, no init signal), a new record
    is a copy of one made once, whose callable defaults (a date, a fresh UUID) are called
    again, as __init__ would.
    """
    if (
        "__init__" in {name for cls in model.__mro__[:-1] if cls is not Model for name in vars(cls)}
        or signals.pre_init.has_listeners(model)
        or signals.post_init.has_listeners(model)
    ):
        return model
    values = {name: value for name, value in vars(model()).items() if name != "_state"}
    called = [
        (f.attname, f.get_default)
        for f in model._meta.concrete_fields
        if f.has_default() and callable(f.default)
    ]

    def new_record():
        record = Model.__new__(model)
        state = vars(record)
        state.update(values)
        state["_state"] = ModelState()
        for attname, default in called:
            state[attname] = default()
        return record

    return new_record


def _label(instance):
    """How a row's record is named in the report (never fails on a half-filled record)."""
    try:
        return str(instance)[:200]
    except Exception:  # noqa: BLE001 - __str__ of an invalid record may touch missing data
        return ""


class ImportRun:
    """One pass of an import file into an object type, on behalf of a user.

    `progress(done, total)` is called after each row; `total` is the file's estimated number
    of rows (None when unknown). After the run, `results` holds one RowResult per data row.
    """

    def __init__(self, object_type, sheet, user, progress=None, mapping=None):
        self.object_type = object_type
        self.mapping = mapping  # the confirmed column ids, one per header cell (or None)
        self.model = object_type.model
        self.sheet = sheet
        self.user = user
        self.progress = progress or (lambda done, total: None)
        self.results = []

    # Entry points ---------------------------------------------------------------------------
    def dry_run(self):
        """Validate every row and save nothing; return the report.

        A scoped user's rows are really saved then rolled back: whether a new record falls
        within his scope can only be asked of the database.
        """
        if user_is_scoped(self.user):
            return self._in_transaction(keep=False)
        return self._run(save=False)

    def commit(self):
        """Validate and save every row in one transaction, or nothing if one row fails."""
        return self._in_transaction(keep=True)

    def _in_transaction(self, keep):
        with transaction.atomic(), acting_as(self.user):
            report = self._run(save=True, stop_saving_on_error=keep)
            committed = keep and not report["file_errors"] and not report["counts"][ERROR]
            if not committed:
                transaction.set_rollback(True)
        report["committed"] = committed
        return report

    # The pass -------------------------------------------------------------------------------
    def _run(self, save, stop_saving_on_error=False):
        match = match_header(self.object_type, self.sheet.header, self.mapping)
        if match.errors:
            return self._report(file_errors=match.errors)
        self._prepare(match)
        total, done, failed = self.sheet.estimated_rows, 0, False
        for block in self._blocks():
            self._preload(block)
            valid = []  # (result, form) of the rows that passed their form
            for number, values in block:
                result, form = self._row(number, values)
                self.results.append(result)
                if form is not None:
                    # A dry run keeps no form: holding a thousand of them slows everything.
                    valid.append((result, form if save else None))
                if not save:
                    done += 1
                    self.progress(done, total)
            self._apply_constraint_errors(valid)
            # Once a row has failed, a commit will be rolled back: only check the rest. (A
            # scoped user's dry run goes on saving, to find every row outside his scope.)
            failed = stop_saving_on_error and (
                failed or any(r.action == ERROR for r in self.results[-len(block) :])
            )
            if save and failed:
                done += len(block)
                self.progress(done, total)
            elif save:
                self._save_block(valid, done, total)
                done += len(block)
                self.progress(done, total)
        if save:
            self._check_scope()
        return self._report()

    def _prepare(self, match):
        self.columns = match.columns
        self.missing_required = match.missing_required
        self.key_column = match.key_column
        self.header_of = {c.spec.name: c.header for c in self.columns}
        sample = self.object_type.form(user=self.user)
        self.readers, self.lookups = {}, {}
        for column in self.columns:
            spec = column.spec
            if spec.kind in (kinds.FOREIGN_KEY, kinds.MANY):
                lookup = RelatedLookup(sample.fields[spec.name].queryset, spec.kind == kinds.MANY)
                self.lookups[spec.name] = self.readers[spec.name] = lookup
            else:
                self.readers[spec.name] = make_parser(spec)
        self.excl_tax = [
            (c.spec.name, ExclTaxConverter(c.spec)) for c in self.columns if c.spec.excl_tax
        ]
        names = [c.spec.name for c in self.columns]
        self.forms = RowForms(
            row_form_class(self.object_type, names, set(self.lookups)), self.model, self.user, names
        )
        # Rows may name records created by earlier rows of the same file (a unit's parent).
        self.self_lookups = [
            lookup
            for lookup in self.lookups.values()
            if lookup.model is self.model and lookup.key == self.object_type.import_key
        ]
        self.defaults_on_empty = {
            c.spec.name
            for c in self.columns
            if c.spec.kind != kinds.BOOL and c.spec.model_field.has_default()
        }
        self.many_names = [c.spec.name for c in self.columns if c.spec.kind == kinds.MANY]
        width = len(self.sheet.header)
        self.headerless = [i for i, text in enumerate(self.sheet.header) if not text]
        self.width = width
        self.seen_keys = {}
        self.constraints = ConstraintChecker(self.model)
        self.new_record = new_records(self.model)
        # Date-scoped uniqueness has no database constraint behind it: let the model check it.
        self.full_clean_on_save = bool(self.model()._get_unique_checks()[1])

    def _blocks(self):
        """Non-empty rows, BLOCK_ROWS at a time."""
        block = []
        for number, values in self.sheet.rows():
            if all(is_empty(v) for v in values):
                continue
            block.append((number, values))
            if len(block) >= BLOCK_ROWS:
                yield block
                block = []
        if block:
            yield block

    def _key_of(self, values):
        """The parsed key of a row, or None (no key column, empty or unreadable cell)."""
        if self.key_column is None:
            return None
        try:
            key = self.readers[self.key_column.spec.name](values[self.key_column.index])
        except CellError:
            return None
        return None if key in ("", None) else key

    def _preload(self, block):
        for name, lookup in self.lookups.items():
            index = next(c.index for c in self.columns if c.spec.name == name)
            lookup.preload(values[index] for _number, values in block)
        self.existing, self.forbidden = {}, set()
        if self.key_column is None:
            return
        key = self.key_column.spec.name
        keys = {k for k in (self._key_of(values) for _number, values in block) if k is not None}
        if not keys:
            return
        changeable = restrict(self.object_type.get_queryset(), self.user, "change")
        if self.many_names:
            changeable = changeable.prefetch_related(*self.many_names)
        stored_keys = self.model._default_manager.values_list(key, flat=True)
        if self.key_column.spec.kind == kinds.TEXT:
            # Keys are never empty: saying so lets the database use a unique index that
            # leaves empty values out (a person's e-mail).
            stored_keys = stored_keys.exclude(**{key: ""})
        for chunk in chunks(keys):
            # Which keys are stored at all, then the records of those the user may change: a
            # block of new records costs one query that finds nothing.
            stored = set(stored_keys.filter(**{f"{key}__in": chunk}))
            if not stored:
                continue
            for record in changeable.filter(**{f"{key}__in": list(stored)}):
                self.existing[getattr(record, key)] = record
            self.forbidden.update(stored - self.existing.keys())

    def _cell_error(self, name, message):
        label = self.header_of.get(name)
        if label is None and name not in (None, NON_FIELD_ERRORS):
            try:
                label = capfirst(str(self.model._meta.get_field(name).verbose_name))
            except Exception:  # noqa: BLE001 - a form-only field has no model field
                label = name
        return f"{label}\u00a0: {message}" if label else str(message)  # French colon spacing

    def _row(self, number, values):
        """Read and validate one row: its result, and its form when the row is valid."""
        result = RowResult(number)
        errors = result.errors
        if any(not is_empty(v) for v in values[self.width :]) or any(
            not is_empty(values[i]) for i in self.headerless
        ):
            errors.append(_("Some values are in a column without a header."))
        data, present, unreadable = {}, [], set()
        for column in self.columns:
            name = column.spec.name
            try:
                data[name] = self.readers[name](values[column.index])
                present.append(name)
            except CellError as problem:
                unreadable.add(name)
                errors.append(f"{column.header}\u00a0: {problem.message}")
        for name, converter in self.excl_tax:
            if name in data and data[name] != "":
                try:
                    data[name] = converter(data[name], data.get(converter.date_field))
                except CellError as problem:
                    unreadable.add(name)
                    errors.append(f"{self.header_of[name]}\u00a0: {problem.message}")
        key = self._key_of(values)
        instance = None
        if key is not None:
            first = self.seen_keys.setdefault(key, number)
            if first != number:
                errors.append(
                    self._cell_error(
                        self.key_column.spec.name,
                        _("“%(value)s” is already on row %(row)d; a key may appear only once.")
                        % {"value": key, "row": first},
                    )
                )
                return result, None
            instance = self.existing.get(key)
            if instance is None and key in self.forbidden:
                errors.append(
                    self._cell_error(
                        self.key_column.spec.name,
                        _("A record with this key exists but you may not change it."),
                    )
                )
                return result, None
        creating = instance is None
        if creating:
            instance = self.new_record()
            # An empty cell of a new record takes the field's default, as on the add screen.
            present = [
                name
                for name in present
                if not (data[name] == "" and name in self.defaults_on_empty)
            ]
            for spec in self.missing_required:
                errors.append(
                    f"{spec.label}: "
                    + _("this column is missing from the file; it is required to create a record.")
                )
            before = None
        else:
            before = self._snapshot(instance, present)
        form = self.forms(data, instance, present)
        form.is_valid()
        for name, messages in form.errors.items():
            if name in unreadable:
                continue  # the cell's own error says it: the rules saw it empty
            errors.extend(self._cell_error(name, message) for message in messages)
        result.label = _label(form.instance)
        if errors:
            return result, None
        if creating:
            result.action = CREATE
            for lookup in self.self_lookups:
                lookup.remember(key, form.instance)
        else:
            result.action = (
                UPDATE if self._snapshot(form.instance, present, form) != before else UNCHANGED
            )
        self.constraints.add(number, form.instance)
        return result, form

    def _snapshot(self, instance, names, form=None):
        """The values of the row's fields, to tell an update from an unchanged record."""
        state = {}
        for name in names:
            model_field = self.model._meta.get_field(name)
            if model_field.many_to_many:
                records = form.cleaned_data.get(name, []) if form else getattr(instance, name).all()
                state[name] = {r.pk for r in records}
            else:
                state[name] = getattr(instance, model_field.attname)
        return state

    def _save_block(self, valid, done, total):
        """Save a block's valid rows under one savepoint instead of one per row.

        Each row's own savepoint (save_object's) costs two round trips to the database for
        the one of its insert, and its history entry is inserted with the block's others. If
        any row fails, the block is rolled back to its savepoint, its records are put back as
        they were, and its rows are saved again one savepoint each, so that every failing row
        gets its own message (the commit will be rolled back).
        """
        rows = [(result, form) for result, form in valid if result.action in (CREATE, UPDATE)]
        before = [_state_of(form.instance) for _result, form in rows]
        try:
            with transaction.atomic(), audit_entries_in_bulk():
                for index, (result, form) in enumerate(rows):
                    result.pk = self._write(form, save_without_savepoint).pk
                    self.progress(done + index + 1, total)
        except (ValidationError, DatabaseError, ValueError):
            for (result, form), state in zip(rows, before, strict=True):
                _restore(form.instance, state)
                result.pk = None
        else:
            return
        for index, (result, form) in enumerate(rows):
            self._save(result, form)
            self.progress(done + index + 1, total)

    def _write(self, form, save=save_object):
        """Save a validated row's record the way every write path does."""
        # The row was validated by its form and the file's constraint checks just before,
        # inside this transaction; the database constraints stay the last guard.
        return save(
            form.save(commit=False),
            user=self.user,
            clean=self.full_clean_on_save,
            save_m2m=form.save_m2m,
        )

    def _save(self, result, form):
        try:
            saved = self._write(form)
        except ValidationError as error:
            result.action = ERROR
            if hasattr(error, "error_dict"):
                for name, messages in error.message_dict.items():
                    result.errors.extend(self._cell_error(name, m) for m in messages)
            else:
                result.errors.extend(error.messages)
        except (DatabaseError, ValueError) as error:
            # ValueError: a parent row of the same file that could not be saved.
            result.action = ERROR
            result.errors.append(_("The database refused this row: %(error)s") % {"error": error})
        else:
            result.pk = saved.pk

    def _check_scope(self):
        """A scoped user may only create or change records that stay within his scope."""
        if not user_is_scoped(self.user):
            return
        for action, permission in ((CREATE, "add"), (UPDATE, "change")):
            rows = {r.pk: r for r in self.results if r.action == action and r.pk}
            allowed = set()
            for chunk in chunks(rows):
                allowed.update(
                    restrict(
                        self.model._default_manager.filter(pk__in=chunk), self.user, permission
                    ).values_list("pk", flat=True)
                )
            for pk, row in rows.items():
                if pk not in allowed:
                    row.action = ERROR
                    row.errors.append(
                        _(
                            "This record would be outside what you may manage; "
                            "it cannot be imported."
                        )
                    )

    def _apply_constraint_errors(self, valid):
        """Check the block's unique values in the database; mark the rows that collide."""
        errors = self.constraints.finish()
        for result, _form in valid:
            for name, message in errors.get(result.number, ()):
                result.action = ERROR
                result.errors.append(self._cell_error(name, message))

    # Report ---------------------------------------------------------------------------------
    def _report(self, file_errors=()):
        counts = Counter(row.action for row in self.results)
        error_rows = [row for row in self.results if row.action == ERROR]
        ok_rows = [row for row in self.results if row.action != ERROR]
        return {
            "file_errors": [str(e) for e in file_errors],
            "columns": [c.header for c in getattr(self, "columns", ())],
            "total_rows": len(self.results),
            "counts": {action: counts.get(action, 0) for action in ACTIONS},
            "rows": [row.as_dict() for row in error_rows[:REPORT_ERROR_ROWS]]
            + [row.as_dict() for row in ok_rows[:REPORT_OK_ROWS]],
            "hidden_error_rows": max(len(error_rows) - REPORT_ERROR_ROWS, 0),
            "hidden_ok_rows": max(len(ok_rows) - REPORT_OK_ROWS, 0),
            "committed": False,
        }
