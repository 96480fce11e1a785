"""Network addressing: routing contexts, VLANs, prefixes, interfaces and IP addresses."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dpti.core.models import BaseModel
from dpti.itpark.addressing import parse_address, parse_prefix, sort_key
from dpti.itpark.models.devices import Device, normalise_macs


class Vrf(BaseModel):
    """A routing context (VRF): addresses are unique within one."""

    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        error_messages={"unique": _("A routing context with this name already exists.")},
    )
    description = models.CharField(_("description"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("routing context")
        verbose_name_plural = _("routing contexts")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Vlan(BaseModel):
    """A VLAN, numbered 1 to 4094, unique per site."""

    vid = models.PositiveSmallIntegerField(
        _("VLAN number"), validators=[MinValueValidator(1), MaxValueValidator(4094)]
    )
    name = models.CharField(_("name"), max_length=100)
    site = models.ForeignKey(
        "estate.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vlans",
        verbose_name=_("site"),
    )
    description = models.CharField(_("description"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("VLAN")
        verbose_name_plural = _("VLANs")
        ordering = ["vid"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "vid"],
                name="vlan_unique_per_site",
                violation_error_message=_("This site already has a VLAN with this number."),
            )
        ]

    def __str__(self):
        return f"{self.vid} — {self.name}"


class Prefix(BaseModel):
    """An IP network (préfixe) in CIDR notation, within a routing context."""

    prefix = models.CharField(_("prefix"), max_length=50, help_text=_("e.g. 10.20.1.0/24"))
    vrf = models.ForeignKey(
        Vrf,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prefixes",
        verbose_name=_("routing context"),
        help_text=_("Empty: the global routing table."),
    )
    vlan = models.ForeignKey(
        Vlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prefixes",
        verbose_name=_("VLAN"),
    )
    site = models.ForeignKey(
        "estate.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prefixes",
        verbose_name=_("site"),
    )
    description = models.CharField(_("description"), max_length=250, blank=True)
    # Derived from `prefix` on validation: the range of sort keys it covers.
    family = models.PositiveSmallIntegerField(_("IP version"), editable=False, default=4)
    first_key = models.CharField(max_length=40, editable=False, default="", db_index=True)
    last_key = models.CharField(max_length=40, editable=False, default="")

    class Meta:
        verbose_name = _("IP prefix")
        verbose_name_plural = _("IP prefixes")
        ordering = ["family", "first_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["vrf", "prefix"],
                name="prefix_unique_per_vrf",
                violation_error_message=_("This prefix already exists in this routing context."),
            ),
            models.UniqueConstraint(
                fields=["prefix"],
                condition=Q(vrf__isnull=True),
                name="prefix_unique_global",
                violation_error_message=_("This prefix already exists in the global table."),
            ),
        ]

    def __str__(self):
        return self.prefix

    def clean(self):
        try:
            network = parse_prefix(self.prefix)
        except ValidationError as error:
            raise ValidationError({"prefix": error.messages}) from error
        self.prefix = str(network)
        self.family = network.version
        self.first_key = sort_key(network.network_address)
        self.last_key = sort_key(network.broadcast_address)

    @property
    def network(self):
        return parse_prefix(self.prefix)


class Interface(BaseModel):
    """A network interface of a device; a link joins two interfaces (which port serves what)."""

    class Kind(models.TextChoices):
        ETHERNET = "ethernet", _("Ethernet")
        FIBRE = "fibre", _("Fibre")
        WIFI = "wifi", _("Wi-Fi")
        VIRTUAL = "virtual", _("Virtual")

    device = models.ForeignKey(
        Device, on_delete=models.CASCADE, related_name="interfaces", verbose_name=_("device")
    )
    name = models.CharField(_("name"), max_length=64, help_text=_("e.g. Gi1/0/12 or eth0"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ETHERNET)
    mac_address = models.CharField(_("MAC address"), max_length=17, blank=True)
    link = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("connected to"),
        help_text=_("The interface at the other end of the cable."),
        error_messages={
            "unique": _("This interface is already connected: disconnect it from its peer first.")
        },
    )
    is_uplink = models.BooleanField(
        _("uplink"),
        default=False,
        help_text=_(
            "This port leads towards the core of the network: the impact view does not climb "
            "through it."
        ),
    )
    wall_socket = models.CharField(
        _("wall socket"), max_length=50, blank=True, help_text=_("e.g. VAU-B-213-03")
    )
    vlan = models.ForeignKey(
        Vlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interfaces",
        verbose_name=_("VLAN"),
    )
    description = models.CharField(_("description"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("interface")
        verbose_name_plural = _("interfaces")
        ordering = ["device__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "name"],
                name="interface_unique_per_device",
                violation_error_message=_("This device already has an interface with this name."),
            )
        ]

    def __str__(self):
        return f"{self.device} · {self.name}"

    def clean(self):
        if self.mac_address:
            try:
                self.mac_address = normalise_macs(self.mac_address)
            except ValidationError as error:
                raise ValidationError({"mac_address": error.messages}) from error
        if self.link_id and self.link_id == self.pk:
            raise ValidationError({"link": _("An interface cannot be connected to itself.")})
        if self.link_id and self.link.device_id == self.device_id:
            raise ValidationError({"link": _("A link joins two different devices.")})


class IpAddress(BaseModel):
    """An IP address, assigned to a device, unique within its routing context."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RESERVED = "reserved", _("Reserved")
        DHCP = "dhcp", _("DHCP")

    address = models.CharField(_("address"), max_length=45)
    vrf = models.ForeignKey(
        Vrf,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="addresses",
        verbose_name=_("routing context"),
        help_text=_("Empty: the global routing table."),
    )
    device = models.ForeignKey(
        Device,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ip_addresses",
        verbose_name=_("device"),
    )
    interface = models.ForeignKey(
        Interface,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ip_addresses",
        verbose_name=_("interface"),
    )
    is_management = models.BooleanField(_("management address"), default=False)
    dns_name = models.CharField(_("DNS name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    description = models.CharField(_("description"), max_length=250, blank=True)
    family = models.PositiveSmallIntegerField(_("IP version"), editable=False, default=4)
    key = models.CharField(max_length=40, editable=False, default="", db_index=True)

    class Meta:
        verbose_name = _("IP address")
        verbose_name_plural = _("IP addresses")
        ordering = ["key"]
        # The list's order (IPv4 then IPv6, numerically): without it, 100,000 addresses are
        # joined and sorted for a page of 50 (320 ms).
        indexes = [models.Index(fields=["family", "key"], name="ipaddress_family_key_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["vrf", "key"],
                name="ip_unique_per_vrf",
                violation_error_message=_(
                    "This address is already assigned in this routing context."
                ),
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(vrf__isnull=True),
                name="ip_unique_global",
                violation_error_message=_("This address is already assigned in the global table."),
            ),
        ]

    def __str__(self):
        return self.address

    def clean(self):
        try:
            address = parse_address(self.address)
        except ValidationError as error:
            raise ValidationError({"address": error.messages}) from error
        self.address = str(address)
        self.family = address.version
        self.key = sort_key(address)
        if self.interface_id and self.device_id and self.interface.device_id != self.device_id:
            raise ValidationError({"interface": _("This interface belongs to another device.")})
        if self.interface_id and not self.device_id:
            self.device_id = self.interface.device_id
