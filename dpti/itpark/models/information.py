"""Information assets (DICT) and the operating procedures of the information system."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dpti.core.models import BaseModel
from dpti.itpark.models.applications import Application
from dpti.itpark.models.devices import Device


class Level(models.IntegerChoices):
    """DICT levels, 1 (low) to 4 (very high)."""

    LOW = 1, _("1 — low")
    MEDIUM = 2, _("2 — medium")
    HIGH = 3, _("3 — high")
    VERY_HIGH = 4, _("4 — very high")


class InformationAsset(BaseModel):
    """An information asset (actif informationnel): data or a business process, classified."""

    class Kind(models.TextChoices):
        DATA = "data", _("Data")
        PROCESS = "process", _("Business process")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DATA)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="information_assets",
        verbose_name=_("owner"),
    )
    applications = models.ManyToManyField(
        Application,
        blank=True,
        related_name="information_assets",
        verbose_name=_("applications holding it"),
    )
    availability = models.PositiveSmallIntegerField(
        _("availability"), choices=Level.choices, default=Level.MEDIUM
    )
    integrity = models.PositiveSmallIntegerField(
        _("integrity"), choices=Level.choices, default=Level.MEDIUM
    )
    confidentiality = models.PositiveSmallIntegerField(
        _("confidentiality"), choices=Level.choices, default=Level.MEDIUM
    )
    traceability = models.PositiveSmallIntegerField(
        _("traceability"), choices=Level.choices, default=Level.MEDIUM
    )
    personal_data = models.BooleanField(_("personal data"), default=False)
    purpose = models.CharField(
        _("purpose of the processing"),
        max_length=250,
        blank=True,
        help_text=_("Required for personal data (loi Informatique et Libertés)."),
    )
    retention = models.CharField(_("retention period"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("information asset")
        verbose_name_plural = _("information assets")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.personal_data and not self.purpose.strip():
            raise ValidationError(
                {"purpose": _("Personal data needs the purpose of its processing.")}
            )

    @property
    def dict_code(self):
        """'D3 I2 C4 T2', the classification at a glance."""
        return (
            f"D{self.availability} I{self.integrity} C{self.confidentiality} T{self.traceability}"
        )


class OperatingProcedure(BaseModel):
    """An operating procedure of the information system, reviewed on a schedule."""

    class Kind(models.TextChoices):
        BACKUP = "backup", _("Backup")
        ACCOUNTS = "accounts", _("Account management")
        INCIDENT = "incident", _("Incident handling")
        CHANGE = "change", _("Change")
        RESTORATION = "restoration", _("Restoration")
        MONITORING = "monitoring", _("Monitoring")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    owner = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="procedures",
        verbose_name=_("owner"),
    )
    revision = models.CharField(_("version"), max_length=20, default="1.0")
    last_review = models.DateField(_("last review"), null=True, blank=True)
    next_review = models.DateField(
        _("next review"),
        null=True,
        blank=True,
        help_text=_("Shown in the deadlines; overdue when past."),
    )
    applications = models.ManyToManyField(
        Application, blank=True, related_name="procedures", verbose_name=_("applications")
    )
    devices = models.ManyToManyField(
        Device, blank=True, related_name="procedures", verbose_name=_("devices")
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("operating procedure")
        verbose_name_plural = _("operating procedures")
        ordering = ["title"]

    def __str__(self):
        return f"{self.title} (v{self.revision})"

    def clean(self):
        if self.last_review and self.next_review and self.next_review <= self.last_review:
            raise ValidationError({"next_review": _("The next review follows the last one.")})
