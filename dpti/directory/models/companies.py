"""Companies: suppliers and contractors, with their RIDET number."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpti.core.models import BaseModel
from dpti.core.validators import normalize_ridet, validate_phone, validate_ridet


class Company(BaseModel):
    """A company (entreprise): supplier or contractor, identified by its RIDET number."""

    name = models.CharField(_("company name"), max_length=200)
    ridet = models.CharField(
        _("RIDET number"),
        max_length=11,
        unique=True,
        validators=[validate_ridet],
        help_text=_("7-digit company number and 3-digit establishment, e.g. 1234567.001."),
        error_messages={"unique": _("A company with this RIDET number already exists.")},
    )
    is_supplier = models.BooleanField(_("supplier"), default=True)
    is_contractor = models.BooleanField(_("contractor"), default=False)
    activity = models.CharField(_("activity"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True, default="Nouméa")
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    certificates_valid_until = models.DateField(
        _("tax and social certificates valid until"),
        null=True,
        blank=True,
        help_text=_("Date until which the company's tax and social (CAFAT) certificates hold."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        self.ridet = normalize_ridet(self.ridet)
