"""Taking over an existing machine inventory and address plan through the generic import.

The spreadsheets are built here with openpyxl, with the French headers of the import
template (checked against the template the import page serves).
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dpti.core import roles
from dpti.core.models import ImportJob
from dpti.itpark.models import Device, IpAddress
from tests.factories import AssetFactory, DeviceFactory, VrfFactory

pytestmark = pytest.mark.django_db

DEVICE_HEADER = [
    "Nom d'hôte",
    "Type",
    "Bien",
    "Système d'exploitation",
    "Version",
    "Processeur",
    "Mémoire (Go)",
    "Disque (Go)",
    "Adresses MAC",
    "État",
]
INVENTORY = [
    [
        "PC-VAU-B213-01",
        "Poste de travail",
        "2021-000101",
        "Windows 11 Professionnel",
        "23H2",
        "Intel Core i5-10505",
        16,
        512,
        "f4-8e-38-1a-2b-3c",
        "En production",
    ],
    [
        "PORT-VAU-B205-01",
        "Ordinateur portable",
        "2023-000195",
        "Windows 11 Professionnel",
        "24H2",
        "Intel Core i7-1260P",
        "16",
        "512",
        "8c-16-45-00-f4-28; 8C:16:45:47:64:17",
        "En production",
    ],
    ["IMP-VAU-B012-01", "Imprimante", "2019-000033", "", "", "", 2, 320, "0026.7312.3456", ""],
    [
        "SRV-HV-01",
        "Serveur",
        "2022-000007",
        "VMware ESXi",
        "8.0 U3",
        "2 x Intel Xeon Silver 4314",
        "512",
        "3 840",
        "B0-7B-25-01-02-03",
        "En production",
    ],
    [
        "SW-VAU-B1-01",
        "Commutateur",
        "2020-000012",
        "ArubaOS-CX",
        "10.13",
        "",
        "",
        "",
        "20:4c:03:aa:bb:cc",
        "Réserve",
    ],
    ["Écran Dell P2422H", "Écran", "2024-000250", "", "", "", "", "", "", ""],
]
ADDRESS_HEADER = ["Adresse", "Contexte de routage (VRF)", "Équipement",
                  "Adresse d'administration", "Nom DNS", "Statut"]  # fmt: skip


def xlsx(rows):
    """XLSX bytes from rows, the first one being the header."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_file(client, content, url_name="itpark:device_import"):
    """Upload a file to an import page and confirm it when the check passed; return the job."""
    client.post(reverse(url_name), {"file": SimpleUploadedFile("inventaire.xlsx", content)})
    job = ImportJob.objects.order_by("-pk").first()
    if job.status == ImportJob.Status.VALIDATED:
        client.post(reverse(f"{url_name}_commit", args=[job.pk]))
        job.refresh_from_db()
    return job


def errors_of(job):
    return {row["row"]: row["errors"] for row in job.report["rows"] if row["errors"]}


@pytest.fixture
def manager(client_for):
    return client_for(roles.IT_MANAGER)


@pytest.fixture
def assets():
    """The inventory records the machine inventory names by number."""
    numbers = [row[2] for row in INVENTORY]
    return {number: AssetFactory(inventory_number=number) for number in numbers}


@pytest.mark.parametrize(
    ("url_name", "header"),
    [("itpark:device_import_template", DEVICE_HEADER),
     ("itpark:ipaddress_import_template", ADDRESS_HEADER)],
)  # fmt: skip
def test_the_files_follow_the_import_template(manager, url_name, header):
    """The headers used here are columns of the template downloaded from the import page."""
    response = manager.get(reverse(url_name))
    template = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert response.status_code == 200
    assert set(header) <= {cell.value for cell in template[1]}


def test_the_machine_inventory_loads_with_kinds_macs_and_assets(manager, assets):
    """Hostnames, French kinds, OS, memory, MACs with dashes normalised, assets by number."""
    job = import_file(manager, xlsx([DEVICE_HEADER, *INVENTORY]))
    assert job.status == ImportJob.Status.DONE, job.report
    assert job.created_count == len(INVENTORY)
    laptop = Device.objects.get(name="PORT-VAU-B205-01")
    assert laptop.kind == Device.Kind.LAPTOP
    assert laptop.asset == assets["2023-000195"]
    assert (laptop.operating_system, laptop.os_version) == ("Windows 11 Professionnel", "24H2")
    assert (laptop.ram_gb, laptop.disk_gb) == (16, 512)
    assert laptop.mac_addresses == "8C:16:45:00:F4:28, 8C:16:45:47:64:17"
    assert Device.objects.get(name="PC-VAU-B213-01").mac_addresses == "F4:8E:38:1A:2B:3C"
    assert Device.objects.get(name="IMP-VAU-B012-01").mac_addresses == "00:26:73:12:34:56"
    server = Device.objects.get(name="SRV-HV-01")
    assert (server.kind, server.disk_gb) == (Device.Kind.SERVER, 3840)
    assert Device.objects.get(name="SW-VAU-B1-01").state == Device.State.SPARE
    screen = Device.objects.get(name="Écran Dell P2422H")
    assert (screen.kind, screen.state) == (Device.Kind.SCREEN, Device.State.PRODUCTION)
    for number, asset in assets.items():
        assert Device.objects.get(asset=asset).asset.inventory_number == number


def test_a_second_load_updates_the_machines_by_hostname(manager, assets):
    """The hostname is the key: loading a newer inventory updates, it does not duplicate."""
    import_file(manager, xlsx([DEVICE_HEADER, *INVENTORY]))
    newer = [row[:] for row in INVENTORY]
    newer[1][4], newer[1][6] = "25H2", 32
    for row in newer:
        # An empty state is the default for a new machine, but refused on an update.
        row[9] = row[9] or "En production"
    job = import_file(manager, xlsx([DEVICE_HEADER, *newer]))
    assert job.status == ImportJob.Status.DONE, job.report
    assert (job.created_count, job.updated_count) == (0, 1)
    assert job.report["counts"]["unchanged"] == len(INVENTORY) - 1
    laptop = Device.objects.get(name="PORT-VAU-B205-01")
    assert (laptop.os_version, laptop.ram_gb) == ("25H2", 32)
    assert Device.objects.count() == len(INVENTORY)


def test_an_inventory_with_bad_rows_is_refused_with_one_french_message_per_row(manager, assets):
    """Unknown kind, bad MAC, hostname twice, unknown asset: one message each, nothing saved."""
    rows = [row[:] for row in INVENTORY]
    rows[1][1] = "Ordinateur de poche"  # row 3
    rows[2][8] = "00-26-73-12-34"  # row 4: five bytes
    rows[3][0] = "PC-VAU-B213-01"  # row 5: the hostname of row 2
    rows[4][2] = "1999-999999"  # row 6: no such asset
    job = import_file(manager, xlsx([DEVICE_HEADER, *rows]))
    assert job.status == ImportJob.Status.INVALID
    errors = errors_of(job)
    expected = {3: "Type", 4: "Adresses MAC", 5: "Nom d'hôte", 6: "Bien"}
    assert set(errors) == set(expected), errors
    for number, column in expected.items():
        assert len(errors[number]) == 1, errors[number]
        assert errors[number][0].startswith(f"{column}\u00a0:"), errors[number]
    assert "Ordinateur de poche" in errors[3][0]
    assert "00-26-73-12-34" in errors[4][0]
    assert "2" in errors[5][0]  # the row that has the hostname first
    assert "1999-999999" in errors[6][0]
    assert not Device.objects.exists()


def test_a_hostname_already_in_the_park_on_another_asset_is_refused(manager, assets):
    """An asset already described by a device cannot get a second one."""
    DeviceFactory(name="PC-ANCIEN-01", asset=assets["2021-000101"])
    job = import_file(manager, xlsx([DEVICE_HEADER, INVENTORY[0]]))
    assert job.status == ImportJob.Status.INVALID
    assert list(errors_of(job)) == [2]
    assert Device.objects.get().name == "PC-ANCIEN-01"


def test_the_address_plan_loads_with_its_routing_contexts(manager):
    """Addresses load by VRF name and device hostname; management flag and status read."""
    server = DeviceFactory(name="SRV-AD-01", kind=Device.Kind.VIRTUAL_MACHINE, asset=None)
    VrfFactory(name="GESTION")
    rows = [
        ["10.10.20.11", "", "SRV-AD-01", "non", "srv-ad-01.congres.local", "Active"],
        ["10.10.99.11", "GESTION", "SRV-AD-01", "oui", "", "Réservée"],
        ["10.10.20.11", "GESTION", "", "", "", "DHCP"],  # the same address, another VRF
        [" 2001:db8::11 ", "", "SRV-AD-01", "", "", ""],
    ]
    job = import_file(manager, xlsx([ADDRESS_HEADER, *rows]), "itpark:ipaddress_import")
    assert job.status == ImportJob.Status.DONE, job.report
    assert IpAddress.objects.count() == 4
    management = IpAddress.objects.get(vrf__name="GESTION", address="10.10.99.11")
    assert management.is_management
    assert management.device == server
    assert management.status == IpAddress.Status.RESERVED
    assert IpAddress.objects.get(address="2001:db8::11").family == 6
    keys = set(IpAddress.objects.values_list("key", flat=True))
    assert len(keys) == 3  # 10.10.20.11 twice, in two contexts


def test_an_address_twice_in_one_routing_context_is_refused(manager):
    """A duplicate in the same VRF, an existing one, a bad address: refused, nothing saved."""
    vrf = VrfFactory(name="GESTION")
    existing = IpAddress(address="10.10.99.1", vrf=vrf)
    existing.clean()
    existing.save()
    rows = [
        ["10.10.99.11", "GESTION", "", "", "", ""],
        ["10.10.99.11", "GESTION", "", "", "", ""],  # row 3: same as row 2
        ["10.10.99.1", "GESTION", "", "", "", ""],  # row 4: already in the park
        ["10.10.299.4", "", "", "", "", ""],  # row 5: not an address
    ]
    job = import_file(manager, xlsx([ADDRESS_HEADER, *rows]), "itpark:ipaddress_import")
    assert job.status == ImportJob.Status.INVALID
    errors = errors_of(job)
    assert set(errors) == {3, 4, 5}, errors
    assert all(len(messages) == 1 for messages in errors.values())
    assert "10.10.299.4" in errors[5][0]
    assert IpAddress.objects.count() == 1
