"""The application catalogue, licences and their assignments."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dpti.core.fields import AmountField
from dpti.core.models import BaseModel
from dpti.itpark.models.devices import Device


class Application(BaseModel):
    """An application of the catalogue: what it is, who owns it, what it runs on."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")

    class Hosting(models.TextChoices):
        ON_PREMISES = "on_premises", _("On premises")
        HOSTED = "hosted", _("Hosted")
        SAAS = "saas", _("SaaS")

    class Criticality(models.IntegerChoices):
        LOW = 1, _("1 — low")
        MEDIUM = 2, _("2 — medium")
        HIGH = 3, _("3 — high")
        VITAL = 4, _("4 — vital")

    name = models.CharField(
        _("name"),
        max_length=150,
        unique=True,
        error_messages={"unique": _("An application with this name already exists.")},
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.BUSINESS)
    description = models.TextField(_("description"), blank=True)
    business_owner = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_applications",
        verbose_name=_("business owner"),
    )
    technical_owner = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="run_applications",
        verbose_name=_("technical owner"),
    )
    vendor = models.ForeignKey(
        "directory.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("vendor"),
    )
    release = models.CharField(_("version"), max_length=50, blank=True)
    hosting = models.CharField(
        _("hosting"), max_length=12, choices=Hosting.choices, default=Hosting.ON_PREMISES
    )
    criticality = models.PositiveSmallIntegerField(
        _("criticality"), choices=Criticality.choices, default=Criticality.MEDIUM
    )
    users_count = models.PositiveIntegerField(_("number of users"), null=True, blank=True)
    servers = models.ManyToManyField(
        Device, blank=True, related_name="applications", verbose_name=_("servers")
    )
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        verbose_name=_("depends on applications"),
    )
    documentation_url = models.URLField(_("documentation"), blank=True)
    is_active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Licence(BaseModel):
    """A licence or subscription bought for a product, with its assignments."""

    class Model(models.TextChoices):
        PER_USER = "per_user", _("Per user")
        PER_DEVICE = "per_device", _("Per device")
        PER_CORE = "per_core", _("Per core")
        SITE = "site", _("Site licence")
        SUBSCRIPTION = "subscription", _("Subscription")

    product = models.CharField(
        _("product"), max_length=150, help_text=_("Compliance adds up the licences of a product.")
    )
    publisher = models.ForeignKey(
        "directory.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="licences",
        verbose_name=_("publisher or reseller"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="licences",
        verbose_name=_("application"),
    )
    licence_model = models.CharField(
        _("licence model"), max_length=12, choices=Model.choices, default=Model.PER_USER
    )
    quantity = models.PositiveIntegerField(_("quantity owned"), default=1)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    contract_reference = models.CharField(_("contract or order"), max_length=100, blank=True)
    renewal_date = models.DateField(_("renewal date"), null=True, blank=True)
    annual_cost = AmountField(_("yearly cost excl. tax (XPF)"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["product", "-purchase_date"]

    def __str__(self):
        return f"{self.product} ({self.get_licence_model_display()}, {self.quantity})"


class LicenceAssignment(BaseModel):
    """One use of a licence: by a person or on a device (a core count for per-core models)."""

    licence = models.ForeignKey(
        Licence, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("licence")
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="licence_assignments",
        verbose_name=_("person"),
    )
    device = models.ForeignKey(
        Device,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="licence_assignments",
        verbose_name=_("device"),
    )
    quantity = models.PositiveIntegerField(
        _("units used"), default=1, validators=[MinValueValidator(1)]
    )
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)

    class Meta:
        verbose_name = _("licence assignment")
        verbose_name_plural = _("licence assignments")
        ordering = ["licence__product"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(device__isnull=True))
                | (Q(person__isnull=True) & Q(device__isnull=False)),
                name="licence_assignment_person_or_device",
                violation_error_message=_("Assign the licence to a person or to a device."),
            )
        ]

    def __str__(self):
        return f"{self.licence.product} → {self.person or self.device}"
