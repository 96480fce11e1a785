"""How values are written for people: French dates, XPF amounts, yes/no, choices."""

from datetime import date, datetime

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dpti.core.fields import AmountField

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
EMPTY = "—"


def quoted(text):
    """A value quoted the French way: « value », the marks held to it by no-break spaces."""
    return f"«{NBSP}{text}{NBSP}»"


def format_xpf(amount):
    """1234567 → '1 234 567 XPF' with narrow no-break spaces between thousands."""
    if amount is None or amount == "":
        return EMPTY
    number = f"{int(amount):,}".replace(",", NARROW_NBSP)
    return f"{number}{NARROW_NBSP}XPF"


def format_number(value):
    """A decimal written the French way: 9800.00 → '9 800', -22.2758 → '-22,2758'."""
    from babel.numbers import format_decimal

    if value is None or value == "":
        return EMPTY
    return format_decimal(value, format="#,##0.######", locale="fr_FR")


def format_plain(value):
    """A value as text, for exports and history: dates dd/mm/yyyy, booleans Oui/Non."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, date):
        return date_format(value, "d/m/Y")
    return str(value)


def logged_value(value):
    """A value as the audit log recorded it, for a reader: the log writes an empty relation or
    date as the text "None", which is shown as the dash of an empty value."""
    if value is None or str(value).strip() in ("", "None"):
        return EMPTY
    return str(value)


def label_of(item):
    """How a related object is named for people; groups are roles, shown by their label."""
    from django.contrib.auth.models import Group

    if isinstance(item, Group):
        from dpti.core.roles import role_label

        return str(role_label(item.name))
    return str(item)


def display_value(obj, field):
    """The value of a model field of an object, written for a person."""
    if isinstance(field, models.ManyToManyField):
        if obj.pk is None:
            return EMPTY
        return ", ".join(label_of(item) for item in getattr(obj, field.name).all()) or EMPTY
    value = getattr(obj, field.name, None)
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    if isinstance(field, AmountField):
        return format_xpf(value)
    if isinstance(field, models.DecimalField | models.FloatField):
        return format_number(value)
    return format_plain(value) or EMPTY
