"""The IT and telecom park (parc informatique et télécoms).

A physical device is a movable asset of the property module: the Device adds IT facts to its
Asset (one item, one asset record); a virtual machine has no asset and runs on a host.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dpti.core.fields import AmountField
from dpti.core.models import BaseModel
from dpti.itpark.addressing import parse_address, parse_prefix, sort_key

MAC_PATTERN = re.compile(r"^([0-9A-F]{2}:){5}[0-9A-F]{2}$")


def normalise_macs(text):
    """'aa-bb-cc-dd-ee-ff, 11:22:…' → 'AA:BB:CC:DD:EE:FF, 11:22:…' or a French error."""
    macs = []
    for raw in re.split(r"[\s,;]+", text or ""):
        if not raw:
            continue
        mac = raw.upper().replace("-", ":").replace(".", "")
        if len(mac) == 12 and ":" not in mac:
            mac = ":".join(mac[i : i + 2] for i in range(0, 12, 2))
        if not MAC_PATTERN.match(mac):
            raise ValidationError(
                _("« %(value)s » is not a MAC address (e.g. 3C:52:82:1A:2B:3C).") % {"value": raw}
            )
        macs.append(mac)
    return ", ".join(macs)


class Device(BaseModel):
    """A device of the IT park (équipement): its IT facts, beside its asset record."""

    class Kind(models.TextChoices):
        WORKSTATION = "workstation", _("Workstation")
        LAPTOP = "laptop", _("Laptop")
        SCREEN = "screen", _("Screen")
        PRINTER = "printer", _("Printer")
        SERVER = "server", _("Server")
        VIRTUAL_MACHINE = "virtual_machine", _("Virtual machine")
        SWITCH = "switch", _("Switch")
        ROUTER = "router", _("Router")
        FIREWALL = "firewall", _("Firewall")
        ACCESS_POINT = "access_point", _("Wi-Fi access point")
        PHONE = "phone", _("Desk phone")
        TABLET = "tablet", _("Tablet")
        SMARTPHONE = "smartphone", _("Smartphone")

    class State(models.TextChoices):
        PRODUCTION = "production", _("In production")
        TEST = "test", _("Test")
        SPARE = "spare", _("Spare")
        DECOMMISSIONED = "decommissioned", _("Decommissioned")

    NETWORK_KINDS = (Kind.SWITCH, Kind.ROUTER, Kind.FIREWALL, Kind.ACCESS_POINT)

    name = models.CharField(
        _("hostname"),
        max_length=100,
        help_text=_("Network name, or the usual name of a screen or a phone."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    asset = models.OneToOneField(
        "assets.Asset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="device",
        verbose_name=_("asset"),
        help_text=_("The inventory record of the physical item (none for a virtual machine)."),
    )
    host = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guests",
        verbose_name=_("host"),
        help_text=_("The server a virtual machine runs on."),
    )
    operating_system = models.CharField(_("operating system"), max_length=100, blank=True)
    os_version = models.CharField(_("version"), max_length=50, blank=True)
    cpu = models.CharField(_("processor"), max_length=100, blank=True)
    cpu_cores = models.PositiveSmallIntegerField(_("cores"), null=True, blank=True)
    ram_gb = models.PositiveIntegerField(_("memory (GB)"), null=True, blank=True)
    disk_gb = models.PositiveIntegerField(_("disk (GB)"), null=True, blank=True)
    mac_addresses = models.CharField(_("MAC addresses"), max_length=250, blank=True)
    support_contract = models.CharField(
        _("support contract"), max_length=150, blank=True, help_text=_("Reference and end date.")
    )
    support_end = models.DateField(_("end of support"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PRODUCTION
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=~Q(kind__in=["screen", "phone"]),
                name="device_hostname_unique",
                violation_error_message=_("A device with this hostname already exists."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        try:
            self.mac_addresses = normalise_macs(self.mac_addresses)
        except ValidationError as error:
            errors["mac_addresses"] = error.messages
        if self.kind == self.Kind.VIRTUAL_MACHINE:
            if self.asset_id:
                errors["asset"] = _("A virtual machine is not a physical asset.")
        elif self.host_id:
            errors["host"] = _("Only a virtual machine runs on a host.")
        if self.host_id and self.host_id == self.pk:
            errors["host"] = _("A machine cannot run on itself.")
        if errors:
            raise ValidationError(errors)

    @property
    def room(self):
        """Where it is: its asset's room, or its host's for a virtual machine."""
        if self.asset_id:
            return self.asset.room
        return self.host.room if self.host_id else None


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
