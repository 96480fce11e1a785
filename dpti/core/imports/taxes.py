"""Amounts a file gives excluding tax, for a field the type stores including TGC.

The type declares the TGC rate code of such an amount (`ObjectType.import_excl_tax`); the
app that keeps the rates provides their periods through the registry, read once per import.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from dpti.core.imports.values import CellError


def add_tax(amount_excl_tax, percent):
    """An amount excluding tax plus `percent` % of it, the tax rounded half up to the franc."""
    tax = (Decimal(amount_excl_tax) * Decimal(percent) / Decimal(100)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return int(amount_excl_tax + tax)


class ExclTaxConverter:
    """Turns a row's amount excluding tax into the amount including TGC the type stores."""

    def __init__(self, spec):
        from dpti.core.registry import registry

        self.code = spec.excl_tax
        self.date_field = spec.tax_date_field
        self.periods = registry.tax_rate_periods(self.code) or []

    def rate_on(self, day):
        """The rate (in percent) in force on a day, or None."""
        for valid_from, valid_to, rate in self.periods:
            if valid_from <= day and (valid_to is None or day <= valid_to):
                return rate
        return None

    def __call__(self, amount, day=None):
        day = day if isinstance(day, date) else timezone.localdate()
        rate = self.rate_on(day)
        if rate is None:
            raise CellError(
                _("No TGC rate “%(code)s” is in force on %(day)s to add to this amount.")
                % {"code": self.code, "day": day.strftime("%d/%m/%Y")}
            )
        return add_tax(amount, rate)
