"""Validators of local identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RIDET_PATTERN = re.compile(r"^(\d{7})\.?(\d{3})$")


def normalize_ridet(value):
    """Write a RIDET number as 1234567.001 (7-digit company, 3-digit establishment)."""
    cleaned = re.sub(r"[\s]", "", value or "")
    match = RIDET_PATTERN.match(cleaned)
    if not match:
        return cleaned
    return f"{match.group(1)}.{match.group(2)}"


def validate_ridet(value):
    """A RIDET number has 7 digits for the company and 3 for the establishment."""
    if not RIDET_PATTERN.match(re.sub(r"\s", "", value or "")):
        raise ValidationError(
            _(
                "Enter a RIDET number of 7 digits followed by the 3-digit establishment "
                "number, for example 1234567.001."
            ),
            code="invalid_ridet",
        )


PHONE_PATTERN = re.compile(r"^\+?[\d .()-]{6,20}$")


def validate_phone(value):
    """A phone number made of digits, spaces, dots, dashes, parentheses and an optional +."""
    if value and not PHONE_PATTERN.match(value):
        raise ValidationError(
            _("Enter a valid phone number, for example 24 37 00 or +687 24 37 00."),
            code="invalid_phone",
        )


def check_tree_parent(obj, parent_field="parent", message=None):
    """Refuse a parent that would put a record of a tree under itself (a cycle)."""
    ancestor, seen = getattr(obj, parent_field), set()
    while ancestor is not None and ancestor.pk not in seen:
        if obj.pk and ancestor.pk == obj.pk:
            raise ValidationError(
                {parent_field: message or _("A record cannot be placed under itself.")}
            )
        seen.add(ancestor.pk)
        ancestor = getattr(ancestor, parent_field)
