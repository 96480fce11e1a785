"""Amounts kept excluding tax with their TGC rate; the amount including tax is derived."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dpti.core.fields import AmountField


class TaxedAmount(models.Model):
    """An amount excluding tax (HT), its TGC rate and the derived amount including tax (TTC).

    The TTC is stored, kept in step on every save, because budget sums and sorts read it.
    """

    amount_excl_tax = AmountField(_("amount excl. tax (XPF)"))
    tax_rate = models.ForeignKey(
        "procurement.TaxRate",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("TGC rate"),
    )
    amount_incl_tax = AmountField(_("amount incl. TGC (XPF)"), default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.amount_incl_tax = self.compute_amount_incl_tax()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "amount_incl_tax" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "amount_incl_tax"]
        super().save(*args, **kwargs)

    def compute_amount_incl_tax(self):
        if self.amount_excl_tax is None:
            return 0
        try:
            rate = self.tax_rate  # also when given as an object saved after it was assigned
        except type(self).tax_rate.RelatedObjectDoesNotExist:
            return 0
        return self.amount_excl_tax + rate.tax_on(self.amount_excl_tax)

    def rate_error(self, day):
        """The French refusal of a TGC rate not in force on the document's day, or None."""
        if day is None or self.tax_rate_id is None:
            return None
        rate = self.tax_rate
        if rate.valid_from <= day and (rate.valid_to is None or day <= rate.valid_to):
            return None
        return gettext("The rate « %(rate)s » is not in force on %(day)s.") % {
            "rate": rate,
            "day": day.strftime("%d/%m/%Y"),
        }
