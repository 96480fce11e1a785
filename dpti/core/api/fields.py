"""Serializer fields shared by every generated serializer."""

from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework import serializers

from dpti.core.display import label_of
from dpti.core.fields import AmountError, AmountFormField, parse_amount
from dpti.core.permissions import restrict
from dpti.core.registry import registry


class LabelField(serializers.CharField):
    """A read-only name of a related object, as people read it (roles by their label)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return label_of(value)


class AmountSerializerField(serializers.IntegerField):
    """An amount in XPF: a JSON number, or text as people write it (« 6 000 000 »,
    « 6 000 000 XPF »), never a decimal; the model field's bounds with the forms' messages."""

    default_error_messages = {
        "invalid": AmountFormField.default_error_messages["invalid"],
        "decimal": AmountFormField.default_error_messages["decimal"],
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # The same bounds and messages as the form field (DRF's speak of "this value").
        form_field = AmountFormField(min_value=self.min_value, max_value=self.max_value)
        self.validators = [
            v for v in self.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
        ] + [
            v for v in form_field.validators if isinstance(v, MinValueValidator | MaxValueValidator)
        ]

    def to_internal_value(self, data):
        try:
            return parse_amount(data)
        except AmountError as error:
            self.fail(error.code)


def restrict_related_choices(fields, user):
    """Limit the objects a relation may point to, to those the user may view.

    Only registered models are narrowed: the registry knows how to scope them; other models
    (roles, content types) keep their full queryset, as in the forms.
    """
    for field in fields.values():
        if field.read_only:
            continue
        relation = getattr(field, "child_relation", field)
        queryset = getattr(relation, "queryset", None)
        if queryset is not None and queryset.model in registry:
            relation.queryset = restrict(queryset, user, "view")
