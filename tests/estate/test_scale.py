"""The premises seeder fills the announced number of rooms, valid and measurable."""

import io

import pytest

from dpti.core.models import Deadline
from dpti.estate.models import Building, Lease, Room, Site
from dpti.sampledata.directory import scale as directory_scale
from dpti.sampledata.estate import scale

pytestmark = pytest.mark.django_db


def test_seed_creates_the_rooms_of_the_size_in_buildings_and_sites():
    """--size tiny gives exactly its rooms, on floors of buildings of sites, with areas."""
    directory_scale.seed(size="tiny", stdout=io.StringIO())
    out = io.StringIO()
    scale.seed(size="tiny", stdout=out)
    assert Room.objects.count() == scale.SIZES["tiny"]
    assert Room.objects.filter(occupying_unit=None).count() == 0
    assert all(site.total_area > 0 for site in Site.objects.with_area())
    Room.objects.order_by("?").first().full_clean()
    Building.objects.first().full_clean()
    assert "50 locaux" in out.getvalue()


def test_seed_appends_and_gives_rented_buildings_a_lease_with_deadlines():
    """Seeding twice appends new codes; one building in ten is rented, with its lease."""
    scale.seed(size="small", stdout=io.StringIO())
    scale.seed(size="tiny", stdout=io.StringIO())
    assert Room.objects.count() == scale.SIZES["small"] + scale.SIZES["tiny"]
    rented = Building.objects.filter(tenure="rented")
    assert rented.count() >= 1
    assert Lease.objects.count() == rented.count()
    assert Deadline.objects.filter(domain="estate").count() == 2 * rented.count()
