"""The object type's own form, adapted to check one row of an import file.

Rows go through the very form the screens use, so that every rule is shared. Three things
change, all for speed and none for the rules:

- fields whose column is absent from the file are dropped, so that a partial file leaves the
  other values of an updated record as they are (and a new record takes the model defaults);
- related records come already found (in bulk, among those the user may see), so the fields
  do not fetch them again one row at a time;
- uniqueness and database constraints are left to the engine, which checks them for the
  whole file at once (`dpti.core.imports.constraints`); the commit then re-validates each
  record completely in `save_object` before saving it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance


def _trust_found_records(field):
    """Make a model choice field accept the record (or records) the engine already found."""
    if isinstance(field, forms.ModelMultipleChoiceField):

        def clean(value):
            records = list(value or [])
            if field.required and not records:
                raise ValidationError(field.error_messages["required"], code="required")
            return records

        field.clean = clean
    else:
        field.to_python = lambda value: None if value in field.empty_values else value


def row_form_class(object_type):
    """A subclass of the type's form that validates one row (see the module docstring)."""
    base = object_type.form

    class ImportRowForm(base):
        """The type's form for one row; `columns` are the fields the row fills."""

        def __init__(self, *args, columns=(), found=(), **kwargs):
            super().__init__(*args, **kwargs)
            for name in [name for name in self.fields if name not in columns]:
                del self.fields[name]
            self.found_fields = set(found) & set(self.fields)
            for name in self.found_fields:
                _trust_found_records(self.fields[name])

        def validate_unique(self):
            """Checked for the whole file by the engine, then per record by the commit."""

        def _post_clean(self):
            # ModelForm._post_clean, minus the per-record queries: existence of the records
            # already found, uniqueness and constraints (see the module docstring).
            exclude = self._get_validation_exclusions() | self.found_fields
            try:
                self.instance = construct_instance(
                    self, self.instance, self._meta.fields, self._meta.exclude
                )
            except ValidationError as error:
                self._update_errors(error)
            try:
                self.instance.full_clean(
                    exclude=exclude, validate_unique=False, validate_constraints=False
                )
            except ValidationError as error:
                self._update_errors(error)

    ImportRowForm.__name__ = ImportRowForm.__qualname__ = f"{base.__name__}ForImport"
    return ImportRowForm
