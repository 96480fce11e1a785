"""Devices: one physical item, one asset record; the IT view adds IT facts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dpti.assets.models import AssetCategory
from dpti.core import roles
from dpti.directory.scoping import person_of
from dpti.itpark.models import Device
from tests.factories import AssetFactory, DeviceFactory

pytestmark = pytest.mark.django_db


def it_asset(code="INF-SRV", **values):
    return AssetFactory(category=AssetCategory.objects.get(code=code), **values)


def test_an_it_asset_offers_to_record_its_it_details(client_for):
    """An IT manager sees « Add IT details » on a server's asset page, pre-filling the form."""
    client = client_for(roles.IT_MANAGER)
    server = it_asset("INF-SRV")
    chair = it_asset("MOB-SIE")

    server_page = client.get(reverse("assets:asset_detail", args=[server.pk])).content.decode()
    chair_page = client.get(reverse("assets:asset_detail", args=[chair.pk])).content.decode()
    form = client.get(reverse("itpark:device_add"), {"asset": server.pk, "kind": "server"})

    add_url = f"{reverse('itpark:device_add')}?asset={server.pk}&amp;kind=server"
    assert add_url in server_page
    assert reverse("itpark:device_add") not in chair_page
    initial = form.context["form"].initial
    assert (initial["asset"], initial["kind"]) == (str(server.pk), "server")


def test_an_asset_with_a_device_links_to_it_and_never_gets_a_second(client_for):
    """The asset page links to its device; a second device on the same asset is refused."""
    client = client_for(roles.IT_MANAGER)
    device = DeviceFactory(asset=it_asset("INF-PC"), name="PC-VAU-B213-01")

    page = client.get(reverse("assets:asset_detail", args=[device.asset.pk])).content.decode()
    second = Device(name="PC-DOUBLON", kind=Device.Kind.WORKSTATION, asset=device.asset)

    assert reverse("itpark:device_detail", args=[device.pk]) in page
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "asset" in error.value.message_dict


def test_a_device_shows_where_its_asset_is_and_who_holds_it(client_for):
    """Room and holder come from the asset record: the list shows them, nothing is copied."""
    client = client_for(roles.TECHNICIAN)
    device = DeviceFactory(name="PORT-ELU-07")
    room = device.asset.room

    listing = client.get(reverse("itpark:device_list")).content.decode()

    assert "PORT-ELU-07" in listing
    assert room.code in listing


def test_a_requester_sees_only_his_own_devices(client_for):
    """A requester's device list holds the equipment whose asset he holds."""
    client = client_for(roles.REQUESTER)
    mine = DeviceFactory(name="PORT-AGENT", asset=it_asset("INF-PC", holder=person_of(client.user)))
    DeviceFactory(name="PORT-AUTRE")

    listing = client.get(reverse("itpark:device_list")).content.decode()

    assert mine.name in listing
    assert "PORT-AUTRE" not in listing


def test_virtual_machines_have_a_host_and_no_asset():
    """A virtual machine runs on a host and is no physical asset; only it has a host."""
    host = DeviceFactory(kind=Device.Kind.SERVER, name="SRV-HYP-01")
    vm = Device(name="SRV-GED-01", kind=Device.Kind.VIRTUAL_MACHINE, host=host)
    vm.full_clean()
    vm.asset = it_asset("INF-SRV")
    with pytest.raises(ValidationError):
        vm.full_clean()
    workstation = Device(name="PC-X", kind=Device.Kind.WORKSTATION, host=host)
    with pytest.raises(ValidationError) as error:
        workstation.full_clean()
    assert "host" in error.value.message_dict


def test_mac_addresses_are_normalised_and_checked():
    """MACs typed with dashes or dots are stored AA:BB:…; a wrong one is refused."""
    device = DeviceFactory.build(
        name="PC-MAC", asset=None, mac_addresses="3c-52-82-1a-2b-3c; 001122334455"
    )
    device.full_clean(exclude=["asset"])
    assert device.mac_addresses == "3C:52:82:1A:2B:3C, 00:11:22:33:44:55"
    device.mac_addresses = "3C:52:82:1A:2B"
    with pytest.raises(ValidationError):
        device.full_clean(exclude=["asset"])


def test_hostnames_are_unique_except_for_screens_and_phones():
    """Two machines cannot share a hostname; two screens may share a usual name."""
    DeviceFactory(name="SRV-AD-01", kind=Device.Kind.SERVER)
    with pytest.raises(ValidationError):
        Device(name="SRV-AD-01", kind=Device.Kind.SERVER).full_clean()
    DeviceFactory(name="Écran 24 pouces", kind=Device.Kind.SCREEN)
    Device(name="Écran 24 pouces", kind=Device.Kind.SCREEN).full_clean()
