"""How surfaces are written: French decimal comma and thin space, then m²."""

from babel.numbers import format_decimal

from dpti.core.display import EMPTY


def area_display(value):
    """'1 234,5 m²' (narrow no-break space between thousands), or the empty mark."""
    if value is None:
        return EMPTY
    return f"{format_decimal(value, format='#,##0.##', locale='fr_FR')}\u00a0m²"
