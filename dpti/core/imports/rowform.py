"""The object type's own form, adapted to check one row of an import file.

Rows go through the very form the screens use, so that every rule is shared. Three things
change, all for speed and none for the rules:

- fields whose column is absent from the file are dropped, so that a partial file leaves the
  other values of an updated record as they are (and a new record takes the model defaults);
- related records come already found (in bulk, in the field's own queryset, restricted to
  what the user may see), so the fields stand aside and fetch nothing row by row;
- uniqueness and database constraints are left to the engine, which checks them a block of
  rows at a time (`dpti.core.imports.constraints`), in the dry run and again in the commit.

Building a form is most of the cost of a row (its fields are deep-copied, its querysets
restricted to the user): `RowForms` builds one per import and gives each row a copy of it
that shares its fields, which validating a value never changes.
"""

import copy

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.models import model_to_dict

PLAIN_CLEAN = forms.Field._clean_bound_field


class FoundRecordField(forms.Field):
    """Stands for a model choice field whose record (or records) the engine already found.

    The engine looks every name up once, in the original field's queryset (restricted to
    what the user may see), so the row form needs neither the queryset nor its queries.
    """

    queryset = None  # nothing for ObjectForm to restrict: the lookup already was

    def __init__(self, original, many=False):
        super().__init__(
            required=original.required,
            label=original.label,
            help_text=original.help_text,
            validators=original.validators,
        )
        self.error_messages = original.error_messages
        self.many = many

    def to_python(self, value):
        if self.many:
            return list(value or [])
        return None if value in self.empty_values else value


def row_form_class(object_type, columns, found):
    """A subclass of the type's form that validates one row (see the module docstring).

    `columns` are the fields the file fills, `found` those whose records the engine finds.
    """
    base = object_type.form

    class ImportRowForm(base):
        """The type's form for one row; `columns` are the fields this row fills."""

        def __init__(self, *args, columns=(), **kwargs):
            super().__init__(*args, **kwargs)
            for name in [name for name in self.fields if name not in columns]:
                del self.fields[name]
            self.found_fields = set(found) & set(self.fields)

        def _update_errors(self, errors):
            # The model's rules may name a field whose cell was unreadable or whose column is
            # not in the file (an invoice without supplier nor order): keep the message under
            # that name for the report instead of failing on a field the form does not have.
            if hasattr(errors, "error_dict"):
                absent = {
                    name: messages
                    for name, messages in errors.error_dict.items()
                    if name != NON_FIELD_ERRORS and name not in self.fields
                }
                for name, messages in absent.items():
                    del errors.error_dict[name]
                    self._errors.setdefault(name, self.error_class()).extend(
                        message for error in messages for message in error.messages
                    )
                if not errors.error_dict:
                    return
            super()._update_errors(errors)

        def _clean_fields(self):
            # Form._clean_fields without building a BoundField for each cell: a row's form is
            # never shown, and a field's value is read from the data the way BoundField.data
            # reads it. Disabled fields and fields with their own way (files) keep Django's.
            for name, field in self.fields.items():
                try:
                    if field.disabled or type(field)._clean_bound_field is not PLAIN_CLEAN:
                        value = field._clean_bound_field(self[name])
                    else:
                        value = field.clean(
                            field.widget.value_from_datadict(
                                self.data, self.files, self.add_prefix(name)
                            )
                        )
                    self.cleaned_data[name] = value
                    if hasattr(self, f"clean_{name}"):
                        self.cleaned_data[name] = getattr(self, f"clean_{name}")()
                except ValidationError as error:
                    self.add_error(name, error)

        def _construct_instance(self):
            """django.forms.models.construct_instance, with the choice of model fields made
            once per file (`construct_plan`) and no BoundField to reach a form field."""
            cleaned_data, instance, files = self.cleaned_data, self.instance, []
            for model_field, has_default, is_file in self.construct_plan:
                name = model_field.name
                if name not in cleaned_data:
                    continue
                # Leave defaults for fields that aren't in the data (as Django does).
                if has_default:
                    field = self.fields[name]
                    if (
                        field.widget.value_omitted_from_data(
                            self.data, self.files, self.add_prefix(name)
                        )
                        and cleaned_data.get(name) in field.empty_values
                    ):
                        continue
                if is_file:
                    files.append(model_field)  # after the others, like Django
                else:
                    model_field.save_form_data(instance, cleaned_data[name])
            for model_field in files:
                model_field.save_form_data(instance, cleaned_data[model_field.name])
            return instance

        def validate_unique(self):
            """Checked by the engine a block of rows at a time (see the module docstring)."""

        def _post_clean(self):
            # ModelForm._post_clean, minus the per-record queries: existence of the records
            # already found, uniqueness and constraints (see the module docstring).
            exclude = self._get_validation_exclusions() | self.found_fields
            try:
                self.instance = self._construct_instance()
            except ValidationError as error:
                self._update_errors(error)
            try:
                self.instance.full_clean(
                    exclude=exclude, validate_unique=False, validate_constraints=False
                )
            except ValidationError as error:
                self._update_errors(error)

    # Only the file's columns are copied for each row (a form deep-copies all its fields).
    ImportRowForm.base_fields = {
        name: (
            FoundRecordField(field, isinstance(field, forms.ModelMultipleChoiceField))
            if name in found
            else field
        )
        for name, field in base.base_fields.items()
        # ObjectForm's __init__ sets the version's initial value: keep that field.
        if name in columns or name == "version"
    }
    meta = ImportRowForm._meta
    # The model fields construct_instance may fill, in its order (editable, not automatic,
    # in the form's fields and not excluded), with what it asks of each.
    ImportRowForm.construct_plan = [
        (f, f.has_default(), isinstance(f, models.FileField))
        for f in meta.model._meta.fields
        if f.editable
        and not isinstance(f, models.AutoField)
        and (meta.fields is None or f.name in meta.fields)
        and not (meta.exclude and f.name in meta.exclude)
    ]
    ImportRowForm.__name__ = ImportRowForm.__qualname__ = f"{base.__name__}ForImport"
    return ImportRowForm


class RowForms:
    """The forms of an import's rows, built from one form made once for the whole file.

    The first form is built as a screen builds it, for a new record and the user: its fields
    are the file's columns, copied and restricted once. Each row then gets a shallow copy of
    it bound to the row's values and record, whose fields are those of the row (`columns`)
    taken from the first form: what `__init__` does for a row besides copying fields (the
    record's values as initial data, the version of a changed record) is done again here.
    """

    def __init__(self, form_class, model, user, columns):
        self.form_class = form_class
        self.prototype = form_class(data={}, instance=model(), user=user, columns=columns)
        self.fields = dict(self.prototype.fields)
        self.found = self.prototype.found_fields
        self.meta = form_class._meta
        self.state = dict(vars(self.prototype))
        self.new_initial = self.prototype.initial
        self.disabled = any(field.disabled for field in self.fields.values())

    def __call__(self, data, instance, columns):
        """A bound form for one row, ready for `is_valid()` (then `save()` in a commit)."""
        form = self.form_class.__new__(self.form_class)
        vars(form).update(self.state)
        form.data = data
        form.instance = instance
        if instance.pk is None and not self.disabled:
            # Initial data only serves disabled fields (and showing a form): a new record's
            # is the defaults, the same for every row.
            form.initial = dict(self.new_initial)
        else:
            form.initial = model_to_dict(instance, self.meta.fields, self.meta.exclude)
        form.fields = fields = {
            name: field
            for name, field in self.fields.items()
            if name in columns or name == "version"
        }
        if "version" in fields and instance.pk and hasattr(instance, "version"):
            fields["version"] = version = copy.copy(fields["version"])
            version.initial = instance.version
        form.found_fields = self.found & fields.keys()
        form._errors = None
        form._bound_fields_cache = {}
        form._validate_unique = False
        return form
