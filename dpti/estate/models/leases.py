"""Leases of the premises the institution rents or lets."""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dpti.core.fields import AmountField
from dpti.core.models import BaseModel
from dpti.estate.models.premises import Building


class Lease(BaseModel):
    """A lease (bail) under which the institution rents a building."""

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="leases", verbose_name=_("building")
    )
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    landlord = models.ForeignKey(
        "directory.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leases",
        verbose_name=_("landlord (company)"),
    )
    landlord_name = models.CharField(
        _("landlord (other)"),
        max_length=200,
        blank=True,
        help_text=_("When the landlord is a person or a public body not in the directory."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(
        _("notice (months)"),
        default=6,
        help_text=_("Months before the end date by which notice must be given."),
    )
    monthly_rent = AmountField(_("monthly rent excl. tax (XPF)"), default=0)
    charges = AmountField(_("monthly charges (XPF)"), default=0)
    rented_area = models.DecimalField(
        _("rented area (m²)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="lease_ends_after_start",
                violation_error_message=_("The end date must come after the start date."),
            )
        ]

    def __str__(self):
        landlord = self.landlord or self.landlord_name or "—"
        # The start date tells apart the successive leases of one building.
        return _("Lease of %(building)s — %(landlord)s, from %(start)s") % {
            "building": self.building,
            "landlord": landlord,
            "start": self.start_date.strftime("%d/%m/%Y") if self.start_date else "—",
        }

    def clean(self):
        if not self.landlord_id and not self.landlord_name:
            raise ValidationError(_("Give the landlord: a company of the directory or a name."))

    @property
    def notice_date(self):
        """The last day to give notice, or None for a lease without an end."""
        if not self.end_date:
            return None
        return self.end_date - relativedelta(months=self.notice_months)
