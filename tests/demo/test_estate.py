"""The demo premises: the Congress's sites in Nouméa, realistic rooms, a lease with deadlines."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dpti.core.models import Deadline
from dpti.estate.models import Building, Floor, Lease, Room, Site

pytestmark = pytest.mark.django_db

ROOM_CODE = re.compile(r"[A-Z]{3}-[A-Z]-(S|\d)\d{2}")


def test_demo_has_the_seat_the_annex_and_the_technical_site():
    """Three sites: the seat at 1 boulevard Vauban (GPS of Nouméa), a rented annex, Ducos."""
    seat = Site.objects.get(code="VAU")
    assert seat.address == "1, boulevard Vauban"
    assert seat.city == "Nouméa"
    assert abs(seat.latitude - Decimal("-22.2758")) < Decimal("0.01")
    assert abs(seat.longitude - Decimal("166.4420")) < Decimal("0.01")
    assert Site.objects.get(code="FOC").tenure == "rented"
    assert "Ducos" in Site.objects.get(code="DUC").address
    assert Site.objects.count() == 3


def test_buildings_carry_a_valid_erp_classification():
    """The hemicycle is an ERP of type L, 2nd or 3rd category; every building passes its rules."""
    hemicycle = Building.objects.get(code="VAU-A")
    assert (hemicycle.is_erp, hemicycle.erp_type) == (True, "L")
    assert hemicycle.erp_category in (2, 3)
    assert Building.objects.get(code="VAU-B").erp_type == "W"
    for building in Building.objects.all():
        building.full_clean()
    assert Building.objects.filter(tenure="rented").count() == 1


def test_floors_and_rooms_are_plausible():
    """About 250 to 400 rooms with door codes, named floors, the uses a parliament needs."""
    rooms = Room.objects.all()
    assert 250 <= rooms.count() <= 400
    assert all(ROOM_CODE.fullmatch(code) for code in rooms.values_list("code", flat=True))
    assert Room.objects.filter(code="VAU-A-104").exists()
    assert set(Floor.objects.values_list("name", flat=True)) >= {
        "Rez-de-chaussée",
        "1er étage",
        "2e étage",
        "3e étage",
    }
    uses = set(rooms.values_list("use", flat=True))
    assert uses >= {
        "office",
        "meeting_room",
        "hemicycle",
        "storage",
        "technical",
        "server_room",
        "car_park",
        "archives",
    }
    assert rooms.get(use="hemicycle").capacity >= 100
    offices = rooms.filter(use="office")
    assert offices.filter(occupying_unit__isnull=False).count() == offices.count()
    assert offices.filter(occupying_unit__code="SRH").exists()
    for room in rooms.filter(use__in=["hemicycle", "server_room", "meeting_room"]):
        room.full_clean()


def test_every_site_building_and_floor_has_a_positive_total_area():
    """Each site, building and floor adds up a positive surface from its rooms."""
    for model in (Site, Building, Floor):
        totals = model.objects.with_area().values_list("total_area", flat=True)
        assert all(total and total > 0 for total in totals), model
    assert Site.objects.with_area().get(code="VAU").total_area > 5000


def test_the_annex_lease_has_its_notice_and_end_deadlines():
    """The annex's lease ends in one to three years; its notice date shows in the register."""
    today = timezone.localdate()
    lease = Lease.objects.get()
    assert lease.building.code == "FOC-A"
    assert lease.landlord_name
    assert lease.monthly_rent > 0
    assert today + timedelta(days=365) <= lease.end_date <= today + timedelta(days=3 * 365)
    assert today < lease.notice_date < lease.end_date
    lease.full_clean()
    deadlines = Deadline.objects.filter(object_id=lease.pk, domain="estate")
    assert dict(deadlines.values_list("kind", "due_date")) == {
        "lease_notice": lease.notice_date,
        "lease_end": lease.end_date,
    }


def test_the_command_reports_the_premises(demo):
    """load_demo says what it created for the premises, in French."""
    assert "3 sites, 5 bâtiments" in demo.output
    assert f"{Room.objects.count()} locaux" in demo.output
