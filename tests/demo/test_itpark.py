"""The demo IT park: devices of the demo assets, network, catalogue, licences, lines, register."""

import ipaddress
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dpti.assets.models import Asset
from dpti.core.models import Deadline, User
from dpti.itpark import licences as compliance
from dpti.itpark.addressing import sort_key
from dpti.itpark.models import (
    Application,
    Device,
    InformationAsset,
    Interface,
    IpAddress,
    Licence,
    OperatingProcedure,
    Prefix,
    TelecomLine,
    Vlan,
)

pytestmark = pytest.mark.django_db

IT_CATEGORIES = ["INF-PC", "INF-ECR", "INF-IMP", "INF-RES", "TEL"]


def agent_client():
    client = Client()
    client.force_login(User.objects.get(username="agent"))
    return client


def test_every_it_asset_has_its_device_with_a_hostname_of_its_room():
    """Computers, screens, printers, network gear and phones of the asset demo are devices."""
    it_assets = Asset.objects.filter(category__code__in=IT_CATEGORIES)
    assert it_assets.filter(device=None).count() == 0
    assert 1200 <= Device.objects.count() <= 2000
    counts = dict(Device.objects.values_list("kind").annotate(n=Count("id")))
    assert counts["workstation"] > 150
    assert counts["laptop"] > 80
    assert counts["screen"] > 300
    assert counts["virtual_machine"] == 16
    assert counts["router"] >= 2
    assert counts["switch"] >= 10
    assert counts["access_point"] >= 20
    assert counts["firewall"] >= 1
    desktop = Device.objects.filter(kind="workstation", asset__room__code="VAU-B-213").first()
    assert desktop is None or desktop.name.startswith("PC-VAU-B213-")
    assert Device.objects.filter(name__regex=r"^PC-VAU-[ABC]\d{3}-\d{2}$").count() > 50
    assert Device.objects.filter(name__regex=r"^PORT-VAU-[ABC]\d{3}-\d{2}$").count() > 30
    assert Device.objects.filter(operating_system="Windows 11 Professionnel").count() > 200
    assert Device.objects.filter(operating_system="macOS").exists()
    for device in Device.objects.exclude(mac_addresses="").order_by("pk")[::50]:
        device.full_clean()


def test_hypervisors_run_the_named_virtual_machines_in_the_server_room():
    """About fifteen VMs run on the server room's hypervisors; none is a physical asset."""
    vms = Device.objects.filter(kind="virtual_machine")
    names = set(vms.values_list("name", flat=True))
    assert {"SRV-AD-01", "SRV-FIC-01", "SRV-GED-01", "SRV-SQL-01", "SRV-WEB-01"} <= names
    assert not vms.filter(host=None).exists()
    assert not vms.exclude(asset=None).exists()
    hosts = Device.objects.filter(guests__isnull=False).distinct()
    assert hosts.count() >= 2
    assert set(hosts.values_list("asset__room__use", flat=True)) == {"server_room"}


def test_every_address_is_unique_in_its_routing_context_and_in_a_prefix():
    """No address twice per VRF; each one lies in a prefix of its VRF; keys are right."""
    duplicates = IpAddress.objects.values("vrf", "key").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()
    assert IpAddress.objects.count() > 200
    prefixes = list(Prefix.objects.all())
    for address in IpAddress.objects.all():
        parsed = ipaddress.ip_address(address.address)
        assert address.key == sort_key(parsed)
        assert any(p.vrf_id == address.vrf_id and parsed in p.network for p in prefixes), (
            address.address
        )
    servers = Device.objects.filter(kind__in=["server", "virtual_machine"])
    assert not servers.filter(ip_addresses=None).exists()
    physical = Device.objects.filter(kind="server")
    assert physical.filter(ip_addresses__is_management=True).distinct().count() == physical.count()
    assert IpAddress.objects.filter(vrf__name="GESTION", is_management=True).count() > 50


def test_vlans_per_site_and_links_both_ways():
    """Five VLANs per site (plus a DMZ); links join two devices, in both directions."""
    assert set(Vlan.objects.values_list("vid", flat=True)) >= {10, 20, 30, 40, 99}
    assert Vlan.objects.filter(vid=10).count() == 3
    linked = Interface.objects.exclude(link=None).select_related("link")
    assert linked.count() > 200
    for interface in linked[:200]:
        assert interface.link.link_id == interface.pk
        assert interface.link.device_id != interface.device_id
    assert Interface.objects.filter(device__kind="firewall", link__device__name="SW-CORE-01")
    assert Interface.objects.exclude(wall_socket="").count() > 50
    uplinks = Interface.objects.filter(is_uplink=True)
    assert uplinks.count() >= 10
    assert set(uplinks.values_list("device__kind", flat=True)) == {"switch"}


def test_applications_with_servers_owners_and_a_deep_dependency_chain():
    """Each application's servers exist; Portail → Séances → GED → SQL Server → its server."""
    assert 12 <= Application.objects.count() <= 20
    for application in Application.objects.prefetch_related("servers"):
        assert application.business_owner_id
        assert application.technical_owner_id
        for server in application.servers.all():
            assert server.kind in ("server", "virtual_machine")
    chain = ["Portail des élus", "Séances & délibérations", "GED Alfresco"]
    for upper, lower in itertools.pairwise(chain):
        assert Application.objects.get(name=upper).depends_on.filter(name=lower).exists()
    sql = Application.objects.get(name="GED Alfresco").depends_on.get(name__contains="SQL")
    assert sql.servers.filter(name="SRV-SQL-01").exists()
    assert Application.objects.filter(hosting="saas").exists()


def test_an_over_used_and_an_under_used_licence_product():
    """Microsoft 365 has more assignments than licences; another product is under-used."""
    products = compliance.compliance(Licence.objects.all())
    statuses = {p.status for p in products}
    used = dict(
        Licence.objects.values("product")
        .annotate(n=Sum("assignments__quantity"))
        .values_list("product", "n")
    )
    owned = dict(
        Licence.objects.values("product").annotate(n=Sum("quantity")).values_list("product", "n")
    )
    assert used["Microsoft 365 E3"] > owned["Microsoft 365 E3"]
    assert any((used[p] or 0) < owned[p] * 0.8 for p in owned if p != "Microsoft 365 E3")
    assert {compliance.OVER_USED, compliance.UNDER_USED} <= statuses


def test_telecom_lines_with_sims_costs_and_operators():
    """About sixty mobile lines with SIMs, fixed lines, two internet accesses, one link."""
    lines = TelecomLine.objects.all()
    assert 55 <= lines.filter(kind="mobile").count() <= 75
    assert lines.filter(kind="internet").count() == 2
    assert lines.filter(kind="intersite").count() == 1
    assert lines.filter(kind="fixed").count() >= 3
    assert not lines.filter(kind="mobile", sim_number="").exists()
    assert lines.filter(operator__name="OPT-NC").count() > 50
    assert lines.filter(holder__kind="elected").count() >= 50
    for line in lines.order_by("pk")[::7]:
        line.full_clean()
        assert 0 < line.monthly_cost < 500_000


def test_information_assets_and_procedures_two_of_them_overdue():
    """About ten classified information assets; eight procedures, two reviews overdue."""
    assets = InformationAsset.objects.all()
    assert 8 <= assets.count() <= 12
    for asset in assets:
        asset.full_clean()
    assert assets.filter(personal_data=True).count() >= 4
    procedures = OperatingProcedure.objects.all()
    assert procedures.count() == 8
    today = timezone.localdate()
    assert procedures.filter(next_review__lt=today).count() == 2
    assert not procedures.filter(owner=None).exists()


def test_deadlines_are_in_step_with_the_park():
    """Support ends, renewals, commitment ends and reviews have their deadline rows."""
    for model, field in (
        (Device, "support_end"),
        (Licence, "renewal_date"),
        (TelecomLine, "end_date"),
        (OperatingProcedure, "next_review"),
    ):
        expected = model.objects.exclude(**{field: None})
        if model is Device:
            expected = expected.exclude(state="decommissioned")
        rows = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(model))
        assert rows.count() == expected.count() > 0, model


def test_the_agent_sees_his_devices_and_his_mobile_line():
    """The requester account's device and line lists show his own, and nobody else's."""
    client = agent_client()
    mine = Device.objects.filter(asset__holder__user__username="agent")
    assert mine.filter(kind="laptop").exists()
    assert mine.filter(kind="smartphone").exists()
    response = client.get(reverse("itpark:device_list"))
    page = response.content.decode()
    assert response.status_code == 200
    for name in mine.values_list("name", flat=True):
        assert name in page
    assert "SRV-AD-01" not in page
    line = TelecomLine.objects.get(holder__user__username="agent")
    page = client.get(reverse("itpark:telecomline_list")).content.decode()
    assert line.identifier in page
    other = TelecomLine.objects.exclude(holder__user__username="agent").first()
    assert other.identifier not in page


def test_the_command_reports_the_park(demo):
    """load_demo says what the IT park holds."""
    assert f"Parc informatique\u202f: {Device.objects.count()} équipements" in demo.output
