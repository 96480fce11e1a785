"""Counters behind the numbers the system hands out (inventory numbers, order numbers…)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberSequence(models.Model):
    """The last value handed out in one numbering scope (for example 'asset:2026').

    A value is never handed out twice, even after the numbered record is deleted: public
    accounting forbids reusing an inventory number.
    """

    scope = models.CharField(_("scope"), max_length=100, unique=True)
    last_value = models.PositiveBigIntegerField(_("last value"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        ordering = ["scope"]

    def __str__(self):
        return f"{self.scope}: {self.last_value}"
