"""Model fields for local data types."""

from django.core.validators import MinValueValidator
from django.db import models


class AmountField(models.BigIntegerField):
    """An amount in francs CFP (XPF), which has no subdivision: stored as a whole number."""

    def __init__(self, *args, allow_negative=False, **kwargs):
        self.allow_negative = allow_negative
        validators = list(kwargs.pop("validators", []))
        if not allow_negative:
            validators.append(MinValueValidator(0))
        kwargs["validators"] = validators
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if self.allow_negative:
            kwargs["allow_negative"] = True
        return name, path, args, kwargs


def resolve_field_path(model, path):
    """The model field a 'relation__field' path leads to (raises FieldDoesNotExist)."""
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.is_relation:
            model = field.related_model
    return field
