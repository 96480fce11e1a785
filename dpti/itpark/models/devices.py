"""Devices: the IT facts of an item, beside its asset record (none for a virtual machine)."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dpti.core.models import BaseModel

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
        # The list's order: the unique index on the hostname leaves out screens and phones, so
        # it cannot serve it (50,000 devices: a sort of every row joined, 450 ms for 50 rows).
        indexes = [models.Index(fields=["name"], name="device_name_idx")]
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
