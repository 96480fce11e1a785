"""The IT and telecom park (parc informatique et télécoms).

A physical device is a movable asset of the property module: the Device adds IT facts to its
Asset (one item, one asset record); a virtual machine has no asset and runs on a host.
"""

from dpti.itpark.models.applications import Application, Licence, LicenceAssignment
from dpti.itpark.models.devices import Device, normalise_macs
from dpti.itpark.models.information import InformationAsset, Level, OperatingProcedure
from dpti.itpark.models.network import Interface, IpAddress, Prefix, Vlan, Vrf
from dpti.itpark.models.telecom import TelecomLine

__all__ = [
    "Application",
    "Device",
    "InformationAsset",
    "Interface",
    "IpAddress",
    "Level",
    "Licence",
    "LicenceAssignment",
    "OperatingProcedure",
    "Prefix",
    "TelecomLine",
    "Vlan",
    "Vrf",
    "normalise_macs",
]
