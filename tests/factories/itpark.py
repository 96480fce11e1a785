"""Factories of the IT park: devices, network, applications, licences, lines, register."""

import factory

from dpti.itpark.models import (
    Application,
    Device,
    InformationAsset,
    Interface,
    IpAddress,
    Licence,
    LicenceAssignment,
    OperatingProcedure,
    Prefix,
    TelecomLine,
    Vlan,
    Vrf,
)
from tests.factories.assets import AssetFactory
from tests.factories.directory import PersonFactory
from tests.factories.estate import SiteFactory


class DeviceFactory(factory.django.DjangoModelFactory):
    """A workstation with its asset record."""

    class Meta:
        model = Device

    name = factory.Sequence(lambda n: f"PC-CONGRES-{n:04d}")
    kind = Device.Kind.WORKSTATION
    asset = factory.SubFactory(AssetFactory)
    operating_system = "Windows 11"


class VrfFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vrf

    name = factory.Sequence(lambda n: f"VRF-{n}")


class VlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vlan

    vid = factory.Sequence(lambda n: 10 + n % 4000)
    name = factory.Sequence(lambda n: f"Bureautique {n}")
    site = factory.SubFactory(SiteFactory)


def _network(n):
    return f"10.{n // 256 % 256}.{n % 256}.0/24"


class PrefixFactory(factory.django.DjangoModelFactory):
    """A /24 of 10.0.0.0/8, with its derived range keys."""

    class Meta:
        model = Prefix

    prefix = factory.Sequence(_network)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.clean()  # derives the family and the range keys
        obj.save()
        return obj


class IpAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IpAddress

    address = factory.Sequence(lambda n: f"172.{16 + n // 65536 % 16}.{n // 256 % 256}.{n % 256}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.clean()
        obj.save()
        return obj


class InterfaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interface

    device = factory.SubFactory(DeviceFactory)
    name = factory.Sequence(lambda n: f"eth{n}")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    name = factory.Sequence(lambda n: f"Application {n}")


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    product = factory.Sequence(lambda n: f"Suite bureautique {n}")
    quantity = 10
    annual_cost = 250_000


class LicenceAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LicenceAssignment

    licence = factory.SubFactory(LicenceFactory)
    person = factory.SubFactory(PersonFactory)


class TelecomLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TelecomLine

    kind = TelecomLine.Kind.MOBILE
    identifier = factory.Sequence(lambda n: f"78 {n // 100 % 100:02d} {n % 100:02d}")
    monthly_cost = 4_500


class InformationAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InformationAsset

    name = factory.Sequence(lambda n: f"Délibérations de séance {n}")


class OperatingProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatingProcedure

    title = factory.Sequence(lambda n: f"Sauvegarde des serveurs {n}")


# Relations the generic tests must leave empty when they fill a record's relations: one of two
# exclusive relations (a licence goes to a person or a device), or a relation the record derives
# from another (an address's device is its interface's).
POPULATE_SKIP = {
    LicenceAssignment: lambda obj: {"device"} if obj.person_id else {"person"},
    IpAddress: lambda obj: {"interface"} if obj.device_id else {"device"},
}
