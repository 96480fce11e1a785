"""Serializers generated from the registry."""

from rest_framework import serializers


def build_serializer(object_type):
    """A ModelSerializer of the type's form fields (replaced by the full API machinery)."""
    meta = type(
        "Meta", (), {"model": object_type.model, "fields": ["id", *object_type.get_form_fields()]}
    )
    return type(
        f"{object_type.model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta}
    )
