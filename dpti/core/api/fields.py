"""Serializer fields shared by every generated serializer."""

from rest_framework import serializers

from dpti.core.display import label_of
from dpti.core.permissions import restrict
from dpti.core.registry import registry


class LabelField(serializers.CharField):
    """A read-only name of a related object, as people read it (roles by their label)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return label_of(value)


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
