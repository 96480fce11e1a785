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


def given_number_field(verbose_name, unique_message, help_text=None, max_length=30):
    """A unique number the system gives on save when it is left empty (a need's reference, an
    order's number), or that an import brings."""
    from django.utils.translation import gettext_lazy as _

    return models.CharField(
        verbose_name,
        max_length=max_length,
        unique=True,
        blank=True,
        help_text=help_text or _("Given on save when empty."),
        error_messages={"unique": unique_message},
    )


def resolve_field_path(model, path):
    """The model field a 'relation__field' path leads to (raises FieldDoesNotExist)."""
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.is_relation:
            model = field.related_model
    return field
