"""Object forms generated from the registry: the same validation for screens, API and imports."""

import re

from django import forms
from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.forms.models import modelform_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dpti.core.display import label_of, quoted
from dpti.core.fields import DateFormField, DateTimeFormField
from dpti.core.permissions import restrict
from dpti.core.registry import registry

# Django writes the empty choice of a select as "---------", which no catalogue translates.
DJANGO_EMPTY_LABEL = "---------"


def name_empty_choices(fields, label):
    """Replace Django's « --------- » empty choice of the form's selects by a French label."""
    for field in fields:
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = label
        elif isinstance(field, forms.ChoiceField):
            field.choices = [
                (value, label if value == "" and text == DJANGO_EMPTY_LABEL else text)
                for value, text in field.choices
            ]


def formfield_for(field, **kwargs):
    """Dates typed and shown dd/mm/yyyy with a French calendar (never the browser's native
    picker, which follows the browser's language); the rest as Django builds it (amounts
    included: `AmountField.formfield`)."""
    if isinstance(field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeFormField)
    elif isinstance(field, models.DateField):
        kwargs.setdefault("form_class", DateFormField)
    elif isinstance(field, models.TextField) and not field.choices:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    return field.formfield(**kwargs)


class KeyedModelChoiceField(forms.ModelChoiceField):
    """A relation typed by its key (an inventory number, a code) instead of a huge select.

    Used when the related table holds more rows than a select can decently show; the key is
    the related type's import key, so people type what is written on the label or the door.
    """

    def __init__(self, queryset, *, key_field, **kwargs):
        super().__init__(queryset, **kwargs)
        self.key_field = key_field
        key_label = queryset.model._meta.get_field(key_field).verbose_name
        self.widget = forms.TextInput(attrs={"placeholder": capfirst(str(key_label))})

    def prepare_value(self, value):
        if hasattr(value, "_meta"):
            return getattr(value, self.key_field)
        if value in self.empty_values:
            return ""
        if not str(value).isdigit():
            return value  # what the person typed, shown back with the error
        found = self.queryset.filter(pk=value).values_list(self.key_field, flat=True).first()
        return found if found is not None else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        matches = list(self.queryset.filter(**{f"{self.key_field}__iexact": text})[:2])
        if len(matches) == 1:
            return matches[0]
        model = self.queryset.model._meta
        raise forms.ValidationError(
            _("No %(model)s has the %(key)s « %(value)s ».")
            % {
                "model": model.verbose_name,
                "key": model.get_field(self.key_field).verbose_name,
                "value": text,
            },
            code="invalid_choice",
        )


KEY_SEPARATORS = re.compile(r"[\s,;]+")


class KeyedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Many records of a big table typed by their keys (inventory numbers), one per line or
    separated by commas or semicolons, instead of a multiple select of thousands of rows.

    Keys are matched without regard to case in the field's queryset, which is restricted to
    what the user may view: a key the user may not see is unknown, like a key nobody bears.
    """

    def __init__(self, queryset, *, key_field, **kwargs):
        super().__init__(queryset, **kwargs)
        self.key_field = key_field
        key_label = queryset.model._meta.get_field(key_field).verbose_name
        self.widget = forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": _("%(key)s, one per line or separated by commas")
                % {"key": capfirst(key_label)},
            }
        )
        if not self.help_text:
            self.help_text = _(
                "Type the %(key)s of each record, one per line or separated by commas."
            ) % {"key": key_label}

    def prepare_value(self, value):
        if value in self.empty_values:
            return ""
        if isinstance(value, str):
            return value  # what the person typed, shown back with the error
        items = list(value)
        keys = [getattr(v, self.key_field) for v in items if hasattr(v, "_meta")]
        pks = [v for v in items if not hasattr(v, "_meta")]
        if pks:
            keys += list(
                self.queryset.model._default_manager.filter(pk__in=pks).values_list(
                    self.key_field, flat=True
                )
            )
        return "\n".join(str(k) for k in keys)

    def keys_of(self, value):
        """The distinct keys typed, in their order."""
        if value in self.empty_values:
            return []
        text = value if isinstance(value, str) else "\n".join(str(v) for v in value)
        keys = []
        for key in KEY_SEPARATORS.split(text):
            if key and key.casefold() not in {k.casefold() for k in keys}:
                keys.append(key)
        return keys

    def clean(self, value):
        keys = self.keys_of(value)
        if not keys:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        folded = [k.casefold() for k in keys]
        found = {}
        for record in self.queryset.annotate(_typed_key=Lower(self.key_field)).filter(
            _typed_key__in=folded
        ):
            found.setdefault(getattr(record, self.key_field).casefold(), []).append(record)
        unknown = [k for k in keys if k.casefold() not in found]
        model = self.queryset.model._meta
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "No %(model)s has the %(key)s %(values)s.",
                    "No %(model)s has any of these values of %(key)s: %(values)s.",
                    len(unknown),
                )
                % {
                    "model": model.verbose_name,
                    "key": model.get_field(self.key_field).verbose_name,
                    "values": ", ".join(quoted(k) for k in unknown),
                },
                code="invalid_choice",
            )
        ambiguous = [k for k in keys if len(found[k.casefold()]) > 1]
        if ambiguous:
            raise forms.ValidationError(
                _("Several %(models)s have the same %(key)s: %(values)s.")
                % {
                    "models": model.verbose_name_plural,
                    "key": model.get_field(self.key_field).verbose_name,
                    "values": ", ".join(quoted(k) for k in ambiguous),
                },
                code="invalid_choice",
            )
        pks = [found[k.casefold()][0].pk for k in keys]
        self.run_validators(pks)
        return self.queryset.filter(pk__in=pks)

    def has_changed(self, initial, data):
        initial_keys = {k.casefold() for k in self.keys_of(self.prepare_value(initial))}
        return initial_keys != {k.casefold() for k in self.keys_of(data)}


# Above this many rows a form's relation is typed by its key: a select of a thousand names
# is still usable (the demo's 350 people), one of 50,000 assets is not.
FORM_SELECT_MAX_ROWS = 1000


def keyed_field_for(field):
    """The key-typed version of a relation select whose table is too big, else None."""
    from dpti.core.filters import related_row_count

    model = field.queryset.model
    if model not in registry:
        return None
    key_field = registry.get(model).import_key
    if not key_field or related_row_count(model) <= FORM_SELECT_MAX_ROWS:
        return None
    many = isinstance(field, forms.ModelMultipleChoiceField)
    if many and not isinstance(model._meta.get_field(key_field), models.CharField):
        return None  # typed keys are matched as text
    return (KeyedModelMultipleChoiceField if many else KeyedModelChoiceField)(
        field.queryset,
        key_field=key_field,
        required=field.required,
        label=field.label,
        help_text=field.help_text,
        initial=field.initial,
    )


class ObjectForm(forms.ModelForm):
    """Base form: carries the optimistic-lock version and limits choices to what the user sees."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, narrow=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        model = self._meta.model
        self.object_type = registry.get(model) if model in registry else None
        if self.instance.pk and hasattr(self.instance, "version"):
            self.fields["version"].initial = self.instance.version
        if user is not None:
            for field in self.fields.values():
                queryset = getattr(field, "queryset", None)
                if queryset is not None and queryset.model in registry:
                    queryset = registry.get(queryset.model).choices_queryset(queryset)
                    field.queryset = restrict(queryset, user, "view")
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.ModelChoiceField):
                self.fields[name] = keyed_field_for(field) or field
        name_empty_choices(self.fields.values(), _("— Choose —"))
        for field in self.fields.values():
            if hasattr(field, "label_from_instance"):
                field.label_from_instance = label_of
        self.limit_dependent_choices()
        if narrow:
            self.narrow_choices(narrow)

    def dependencies(self):
        """(child field, parent field, lookup on the child's model) of the type's
        `dependent_choices` whose child is on the form."""
        declared = self.object_type.dependent_choices if self.object_type else {}
        for child, parent in declared.items():
            parent_field, lookup = (parent, parent) if isinstance(parent, str) else parent
            if child in self.fields:
                yield child, parent_field, lookup

    def parent_pk(self, name):
        """The primary key of the record a parent field holds: posted, else initial (a query
        string's or the stored one), else the instance's own when the field is not shown."""
        field = self.fields.get(name)
        if field is None:
            return getattr(self.instance, f"{name}_id", None)
        if self.is_bound:
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        else:
            value = self.initial.get(name)
        if value in field.empty_values:
            return None
        if hasattr(value, "pk"):
            return value.pk
        if isinstance(value, int) or (not self.is_bound and str(value).isdigit()):
            return int(value)
        try:
            return getattr(field.clean(value), "pk", None)
        except ValidationError:
            return None

    def limit_dependent_choices(self):
        """Offer in a child select only the records of the chosen parent (a contract's lots);
        with no parent chosen, the child is not limited."""
        for child, parent, lookup in self.dependencies():
            field = self.fields[child]
            if getattr(field, "queryset", None) is None:
                continue  # an import's row: the record is found in bulk, the model checks it
            pk = self.parent_pk(parent)
            if pk is not None:
                field.queryset = field.queryset.filter(**{lookup: pk})

    def refresh_dependent_choices(self, url):
        """Wire each parent select to reload its child's select from `url` (the form's page,
        given the parent's new value) when it changes, through htmx."""
        for child, parent, _lookup in self.dependencies():
            if parent in self.fields:
                self.fields[parent].widget.attrs.update(
                    {
                        "hx-get": url,
                        "hx-trigger": "change",
                        "hx-select": f"#div_id_{child}",
                        "hx-target": f"#div_id_{child}",
                        "hx-swap": "outerHTML",
                    }
                )

    def narrow_choices(self, narrow):
        """Apply {"lot__contract": pk} from a « create from parent » link: the lot select offers
        the contract's lots only, and takes the lot when there is just one."""
        for key, value in narrow.items():
            name, lookup = key.split("__", 1)
            field = self.fields.get(name)
            if getattr(field, "queryset", None) is None:
                continue
            try:
                field.queryset = field.queryset.filter(**{lookup: value})
                matches = list(field.queryset[:2])
            except (ValueError, TypeError, ValidationError, FieldError):
                continue
            if len(matches) == 1 and not self.initial.get(name):
                self.initial[name] = matches[0].pk


def build_form(object_type):
    """Build the ModelForm class of an object type from its `form_fields`."""
    return modelform_factory(
        object_type.model,
        form=ObjectForm,
        fields=object_type.get_form_fields(),
        formfield_callback=formfield_for,
    )


class BulkEditForm(forms.Form):
    """Fields left empty keep their value; filled ones are applied to every selected object."""

    def __init__(self, object_type, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.object_type = object_type
        for name in object_type.bulk_edit_fields:
            model_field = object_type.model._meta.get_field(name)
            if isinstance(model_field, models.BooleanField):
                field = forms.NullBooleanField(
                    label=model_field.verbose_name,
                    required=False,
                    widget=forms.Select(
                        choices=[
                            ("unknown", _("Unchanged")),
                            ("true", _("Yes")),
                            ("false", _("No")),
                        ]
                    ),
                )
            else:
                field = formfield_for(model_field, required=False)
                if hasattr(field, "queryset") and user is not None:
                    field.queryset = restrict(field.queryset, user, "view")
                if isinstance(field, forms.TypedChoiceField):
                    field.choices = [("", _("Unchanged")), *field.choices[1:]]
            self.fields[name] = field
        name_empty_choices(self.fields.values(), _("Unchanged"))

    def changed_values(self):
        """{field: value} of the fields the user filled."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and not (hasattr(value, "exists") and not value.exists())
        }
