"""Reference data that holds for a period: a tax rate, a set of rules, an interest rate."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ValidityQuerySet(models.QuerySet):
    """Reads of dated reference data."""

    def valid_on(self, day):
        """The rows valid on a day."""
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def in_force(self, day):
        """The row valid on a day (the latest started one if several), or None."""
        return self.valid_on(day).order_by("-valid_from").first()


class ValidityPeriod(models.Model):
    """A period of validity: from a day, until a day or without end.

    A new deliberation is a new row with its own period, so past operations keep the values
    that held when they happened.
    """

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    # Rows whose periods must not overlap: those of the same value of these fields.
    overlap_scope = ()
    overlap_message = _("Its period overlaps « %(other)s »: close that one first.")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_period",
                violation_error_message=_("The end of validity must follow its start."),
            )
        ]

    def overlapping(self):
        """Other rows of the same scope whose period meets this one."""
        others = (
            type(self)
            ._default_manager.exclude(pk=self.pk)
            .filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from),
                **{name: getattr(self, name) for name in self.overlap_scope},
            )
        )
        if self.valid_to:
            others = others.filter(valid_from__lte=self.valid_to)
        return others

    def clean(self):
        super().clean()
        if self.valid_from is None:
            return
        other = self.overlapping().first()
        if other:
            raise ValidationError(self.overlap_message % {"other": other})
