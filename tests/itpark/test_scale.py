"""The IT park seeder: devices of the size, about two unique addresses each; bench pages."""

import io
import ipaddress

import pytest
from django.db.models import Count
from django.test import Client

from dpti.core import roles
from dpti.itpark.addressing import sort_key
from dpti.itpark.models import Device, IpAddress, Prefix
from dpti.sampledata.itpark import bench, scale
from dpti.sampledata.scale import scale_modules

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    """Every app's tiny data set, as `seed_scale --size tiny` makes it."""
    out = io.StringIO()
    for module in scale_modules():
        module.seed(size="tiny", stdout=out)
    return out.getvalue()


def test_seed_creates_the_devices_of_the_size_with_two_addresses_each(seeded):
    """--size tiny: its devices (IT assets first, then VMs), ~2 addresses each, keys right."""
    assert Device.objects.count() == scale.SIZES["tiny"]
    assert Device.objects.exclude(asset=None).count() > 0
    vms = Device.objects.filter(kind=Device.Kind.VIRTUAL_MACHINE)
    assert not vms.exclude(asset=None).exists()
    physical = Device.objects.exclude(asset=None).select_related("asset__category")
    assert {d.asset.category.code for d in physical} <= set(scale.KINDS)
    addresses = IpAddress.objects.count()
    assert 1.8 * scale.SIZES["tiny"] < addresses < 2.2 * scale.SIZES["tiny"]
    duplicates = IpAddress.objects.values("vrf", "key").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()
    for address in IpAddress.objects.order_by("?")[:20]:
        assert address.key == sort_key(ipaddress.ip_address(address.address))
        covering = Prefix.objects.filter(
            vrf=address.vrf, first_key__lte=address.key, last_key__gte=address.key
        )
        assert covering.count() == 1
    Device.objects.order_by("?").first().full_clean()
    assert "Parc informatique" in seeded


def test_bench_pages_of_the_it_park_answer(seeded, client_for):
    """The bench lists a building's devices and the fullest prefix, both answering."""
    client = client_for(roles.ADMINISTRATOR)
    found = {label: (url, count) for label, url, count in bench.pages(client)}
    assert {"équipements liste filtrée par bâtiment", "préfixe fiche (le plus rempli)"} <= set(
        found
    )
    url, count = found["équipements liste filtrée par bâtiment"]
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["table"].paginator.count == count
    assert found["préfixe fiche (le plus rempli)"][1] > 100


def test_bench_pages_leave_out_a_page_that_does_not_answer(seeded):
    """A page refused to the client (here: not signed in) is left out, not a failure."""
    assert bench.pages(Client()) == []
