"""Factories of the estate: sites, buildings, floors, rooms, leases."""

from datetime import timedelta

import factory
from django.utils import timezone

from dpti.estate.models import Building, Floor, Lease, Room, Site


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    code = factory.Sequence(lambda n: f"SITE{n:03d}")
    name = factory.Sequence(lambda n: f"Site {n}")
    address = "1 boulevard Vauban"
    postal_code = "98800"


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"BAT{n:03d}")
    name = factory.Sequence(lambda n: f"Bâtiment {n}")
    year_built = 1998


class FloorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Floor

    building = factory.SubFactory(BuildingFactory)
    level = factory.Sequence(lambda n: n % 30)
    name = factory.LazyAttribute(lambda o: f"Niveau {o.level}")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    floor = factory.SubFactory(FloorFactory)
    code = factory.Sequence(lambda n: f"L-{n:04d}")
    name = factory.Sequence(lambda n: f"Bureau {n}")
    use = Room.Use.OFFICE
    area = 12


class LeaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lease

    building = factory.SubFactory(BuildingFactory)
    landlord_name = "SCI du Port"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3 * 365))
    monthly_rent = 450_000
