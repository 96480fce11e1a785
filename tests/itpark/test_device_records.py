"""A device's page tells about its physical item and adds interfaces and addresses; the kind
of a new IT record follows its asset; the IP form offers the chosen device's interfaces."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dpti.assets.models import AssetCategory
from dpti.core import roles
from dpti.itpark.models import Device, Interface, IpAddress
from dpti.itpark.object_types.devices import it_kind_of
from tests.factories import (
    AssetFactory,
    DeviceFactory,
    InterfaceFactory,
    OrganisationUnitFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def it_asset(code, **values):
    return AssetFactory(category=AssetCategory.objects.get(code=code), **values)


@pytest.fixture
def it_client(client_for):
    return client_for(roles.IT_MANAGER)


def select_of(page, name):
    """The HTML of a form's select."""
    return page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]


def test_the_device_page_shows_its_asset_location_make_model_serial_holder_and_warranty(
    it_client,
):
    """The « Matériel physique » card reads the asset: site, building, floor and room, make,
    model, serial number, holder with his service, end of warranty (marked expired)."""
    holder = PersonFactory(first_name="Lucie", last_name="Wamytan")
    asset = it_asset(
        "INF-PC",
        label="Ordinateur portable",
        brand="Lenovo",
        model_name="ThinkPad T14 Gen 3",
        serial_number="PF3XK9Z2",
        holder=holder,
        holder_unit=OrganisationUnitFactory(name="Service informatique"),
        warranty_end=date(2024, 3, 31),
    )
    device = DeviceFactory(asset=asset, kind=Device.Kind.LAPTOP, name="PORT-SIT-01")
    page = it_client.get(reverse("itpark:device_detail", args=[device.pk])).content.decode()
    card = page.split('data-testid="device-asset"', 1)[1].split("<!-- /device-asset -->", 1)[0]
    room = asset.room
    assert "Matériel physique" in page
    for text in (
        asset.inventory_number,
        room.floor.building.site.name,
        room.floor.building.name,
        room.code,
        "Lenovo",
        "ThinkPad T14 Gen 3",
        "PF3XK9Z2",
        "WAMYTAN",
        "Service informatique",
        "31/03/2024",
        "Expirée",
    ):
        assert text in card, text
    assert reverse("assets:asset_detail", args=[asset.pk]) in card
    assert Device.objects.get(pk=device.pk).asset == asset


def test_the_device_page_costs_the_same_queries_with_many_interfaces(it_client):
    """The card and the shortcuts cost no query per interface or address."""
    device = DeviceFactory(asset=it_asset("INF-SRV"), kind=Device.Kind.SERVER, name="SRV-01")
    url = reverse("itpark:device_detail", args=[device.pk])
    InterfaceFactory(device=device)
    it_client.get(url)  # warm the caches
    with CaptureQueriesContext(connection) as few:
        assert it_client.get(url).status_code == 200
    for _n in range(8):
        InterfaceFactory(device=device)
    with CaptureQueriesContext(connection) as many:
        assert it_client.get(url).status_code == 200
    assert len(many) == len(few)
    assert Interface.objects.filter(device=device).count() == 9


def test_the_device_page_offers_to_add_an_interface_and_an_ip_address(it_client):
    """« Ajouter une interface » and « Ajouter une adresse IP » open their forms with the
    device chosen; the IP form then offers only that device's interfaces."""
    device = DeviceFactory(name="SRV-WEB-01", kind=Device.Kind.SERVER)
    own = InterfaceFactory(device=device, name="eth-web")
    InterfaceFactory(device=DeviceFactory(name="SRV-AUTRE"), name="eth-autre")
    detail = reverse("itpark:device_detail", args=[device.pk])
    page = it_client.get(detail).content.decode()
    assert "Ajouter une interface" in page
    assert "Ajouter une adresse IP" in page
    ip_link = page.split("Ajouter une adresse IP", 1)[0].rsplit('href="', 1)[1].split('"')[0]
    ip_link = ip_link.replace("&amp;", "&")
    assert ip_link.startswith(reverse("itpark:ipaddress_add") + f"?device={device.pk}")
    form = it_client.get(ip_link).content.decode()
    assert f'<option value="{device.pk}" selected>' in select_of(form, "device")
    interfaces = select_of(form, "interface")
    assert "eth-web" in interfaces
    assert "eth-autre" not in interfaces
    response = it_client.post(
        ip_link,
        {"address": "10.20.0.15", "device": device.pk, "interface": own.pk, "status": "active"},
    )
    assert response.status_code == 302
    assert response["Location"] == detail
    assert IpAddress.objects.get(address="10.20.0.15").interface == own


def test_the_ip_form_refuses_an_interface_of_another_device(it_client):
    """Posted with another device's interface, the IP form is refused (the choice is not
    offered) and no address is saved; changing the device reloads the interface select."""
    device = DeviceFactory(name="SRV-DNS-01", kind=Device.Kind.SERVER)
    foreign = InterfaceFactory(device=DeviceFactory(name="SRV-MAIL-01"), name="eth-mail")
    url = reverse("itpark:ipaddress_add")
    response = it_client.post(
        url, {"address": "10.20.0.16", "device": device.pk, "interface": foreign.pk}
    )
    assert response.status_code == 422
    assert "interface" in response.context["form"].errors
    assert not IpAddress.objects.filter(address="10.20.0.16").exists()
    page = it_client.get(url).content.decode()
    device_select = page.split('name="device"', 1)[1].split(">", 1)[0]
    assert 'hx-get="/itpark/ip-addresses/add/"' in device_select
    assert 'hx-target="#div_id_interface"' in device_select


def test_an_ip_address_on_an_interface_alone_takes_its_device(it_client):
    """With no device chosen every interface is offered, and the address takes the device of
    the interface chosen."""
    interface = InterfaceFactory(name="eth-seul")
    response = it_client.post(
        reverse("itpark:ipaddress_add"),
        {"address": "10.20.0.17", "interface": interface.pk, "status": "active"},
    )
    assert response.status_code == 302
    assert IpAddress.objects.get(address="10.20.0.17").device == interface.device


@pytest.mark.parametrize(
    ("code", "label", "model_name", "kind"),
    [
        ("INF-PC", "Ordinateur portable", "EliteBook 840 G9", Device.Kind.LAPTOP),
        ("INF-PC", "Poste de travail", "Latitude 5440", Device.Kind.LAPTOP),
        ("INF-PC", "Poste de travail", "OptiPlex 7010", Device.Kind.WORKSTATION),
        ("INF-PC", "Tablette", "iPad Air 11 pouces", Device.Kind.TABLET),
        ("TEL", "Téléphone IP", "T54W", Device.Kind.PHONE),
        ("TEL", "Smartphone", "Galaxy A54", Device.Kind.SMARTPHONE),
        ("INF-SRV", "Serveur", "PowerEdge R750", Device.Kind.SERVER),
        ("MOB-SIE", "Fauteuil portable", "", None),
    ],
)
def test_the_kind_follows_the_asset(code, label, model_name, kind):
    """The kind of the IT record comes from the asset's words before its category: a laptop
    of « Postes de travail et portables » is a laptop; a non-IT asset has none."""
    asset = it_asset(code, label=label, model_name=model_name)
    assert it_kind_of(asset) == kind


def test_the_it_record_of_a_laptop_asset_is_typed_laptop(it_client):
    """« Ajouter les informations IT » on a laptop's page opens the form typed laptop, and the
    record saved from it is a laptop."""
    asset = it_asset("INF-PC", label="Ordinateur portable", model_name="ThinkPad T14 Gen 3")
    page = it_client.get(reverse("assets:asset_detail", args=[asset.pk])).content.decode()
    link = f"{reverse('itpark:device_add')}?asset={asset.pk}&amp;kind=laptop"
    assert link in page
    form = it_client.get(link.replace("&amp;", "&")).context["form"]
    assert form.initial["kind"] == "laptop"
    response = it_client.post(
        reverse("itpark:device_add"),
        {"name": "PORT-SIT-02", "kind": "laptop", "asset": asset.pk, "state": "production"},
    )
    assert response.status_code == 302
    assert Device.objects.get(asset=asset).kind == Device.Kind.LAPTOP
