"""Telecom lines and links."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dpti.core.fields import AmountField
from dpti.core.models import BaseModel
from dpti.itpark.models.devices import Device


class TelecomLine(BaseModel):
    """A telecom line or link: fixed, mobile (with its SIM), internet or inter-site."""

    class Kind(models.TextChoices):
        FIXED = "fixed", _("Fixed line")
        MOBILE = "mobile", _("Mobile line")
        INTERNET = "internet", _("Internet access")
        INTERSITE = "intersite", _("Inter-site link")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        TERMINATED = "terminated", _("Terminated")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    identifier = models.CharField(
        _("number or identifier"),
        max_length=60,
        help_text=_("Phone number (e.g. 78 12 34) or circuit reference."),
    )
    operator = models.ForeignKey(
        "directory.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="telecom_lines",
        verbose_name=_("operator"),
    )
    subscription = models.CharField(_("subscription"), max_length=150, blank=True)
    sim_number = models.CharField(_("SIM number (ICCID)"), max_length=30, blank=True)
    monthly_cost = AmountField(_("monthly cost excl. tax (XPF)"), default=0)
    holder = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="telecom_lines",
        verbose_name=_("holder"),
    )
    unit = models.ForeignKey(
        "directory.OrganisationUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="telecom_lines",
        verbose_name=_("service charged"),
    )
    device = models.ForeignKey(
        Device,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="telecom_lines",
        verbose_name=_("device"),
    )
    site = models.ForeignKey(
        "estate.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="telecom_lines",
        verbose_name=_("site"),
    )
    contract_reference = models.CharField(_("contract or order"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end of commitment"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("telecom line")
        verbose_name_plural = _("telecom lines")
        ordering = ["kind", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "identifier"],
                name="telecom_line_unique_identifier",
                violation_error_message=_("A line of this kind with this number already exists."),
            ),
            models.UniqueConstraint(
                fields=["sim_number"],
                condition=~Q(sim_number=""),
                name="telecom_line_unique_sim",
                violation_error_message=_("This SIM card is already on another line."),
            ),
        ]

    def __str__(self):
        return f"{self.identifier} ({self.get_kind_display()})"

    def clean(self):
        self.sim_number = re.sub(r"\s", "", self.sim_number or "")  # typed in groups of four
        if self.sim_number and not re.fullmatch(r"\d{18,22}", self.sim_number):
            raise ValidationError({"sim_number": _("An ICCID has 18 to 22 digits.")})
        if self.sim_number and self.kind != self.Kind.MOBILE:
            raise ValidationError({"sim_number": _("Only a mobile line has a SIM card.")})
