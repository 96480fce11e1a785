"""Premises at scale: sites, buildings, floors and rooms in bulk, for benchmarks.

Floors hold 25 rooms and buildings four floors; one building in ten is rented, with a lease.
Deterministic (fixed seed); appends to what exists, like the directory's seeder.
"""

import math
import random
import time
from datetime import date
from decimal import Decimal

from dpti.core.deadlines import sync_object_deadlines
from dpti.directory.models import OrganisationUnit
from dpti.estate.models import Building, Floor, Lease, Room, Site, Tenure
from dpti.sampledata.scale import Progress, batched

# size → rooms
SIZES = {"tiny": 50, "small": 500, "medium": 2_000, "large": 20_000}
ROOMS_PER_FLOOR = 25
FLOORS_PER_BUILDING = 4
BUILDINGS_PER_SITE = 4
BATCH = 5_000
USES = [Room.Use.OFFICE] * 14 + [
    Room.Use.OPEN_SPACE,
    Room.Use.MEETING_ROOM,
    Room.Use.MEETING_ROOM,
    Room.Use.STORAGE,
    Room.Use.ARCHIVES,
    Room.Use.TECHNICAL,
    Room.Use.SANITARY,
    Room.Use.SANITARY,
    Room.Use.KITCHEN,
    Room.Use.CIRCULATION,
    Room.Use.WORKSHOP,
]


def _next_number(model):
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


def seed(*, size, stdout):
    """Create the premises of the given size (appends to what exists)."""
    rng = random.Random(7)
    n_rooms = SIZES[size]
    started = time.monotonic()
    n_floors = math.ceil(n_rooms / ROOMS_PER_FLOOR)
    n_buildings = math.ceil(n_floors / FLOORS_PER_BUILDING)
    n_sites = math.ceil(n_buildings / BUILDINGS_PER_SITE)
    units = list(OrganisationUnit.objects.order_by("pk"))
    first_site = _next_number(Site)
    sites = Site.objects.bulk_create(
        Site(
            code=f"S{first_site + i:05d}",
            name=f"Site {first_site + i}",
            address=f"{rng.randint(1, 200)}, rue du Bench",
            postal_code="98800",
            latitude=Decimal("-22.27") + Decimal(rng.randint(-500, 500)) / 10_000,
            longitude=Decimal("166.45") + Decimal(rng.randint(-500, 500)) / 10_000,
        )
        for i in range(n_sites)
    )
    first_building = _next_number(Building)
    buildings = Building.objects.bulk_create(
        Building(
            site=sites[i // BUILDINGS_PER_SITE],
            code=f"B{first_building + i:05d}",
            name=f"Bâtiment {first_building + i}",
            kind=Building.Kind.OFFICES,
            year_built=rng.randint(1970, 2020),
            tenure=Tenure.RENTED if i % 10 == 4 else Tenure.OWNED,
        )
        for i in range(n_buildings)
    )
    floors = Floor.objects.bulk_create(
        Floor(
            building=buildings[i // FLOORS_PER_BUILDING],
            level=i % FLOORS_PER_BUILDING,
            name=f"Niveau {i % FLOORS_PER_BUILDING}"
            if i % FLOORS_PER_BUILDING
            else "Rez-de-chaussée",
        )
        for i in range(n_floors)
    )
    progress = Progress(stdout, "locaux", n_rooms)

    def rooms():
        for i in range(n_rooms):
            floor = floors[i // ROOMS_PER_FLOOR]
            use = rng.choice(USES)
            yield Room(
                floor=floor,
                code=f"{floor.building.code}-{floor.level}{i % ROOMS_PER_FLOOR + 1:02d}",
                name=f"Local {i % ROOMS_PER_FLOOR + 1}",
                use=use,
                area=Decimal(rng.randint(16, 120)) / 2 if use != Room.Use.MEETING_ROOM else 45,
                capacity=rng.randint(1, 4) if use == Room.Use.OFFICE else None,
                occupying_unit=rng.choice(units) if units else None,
            )

    for batch in batched(rooms(), BATCH):
        Room.objects.bulk_create(batch)
        progress.advance(len(batch))
    leases = 0
    for building in buildings:
        if building.tenure == Tenure.RENTED:
            lease = Lease.objects.create(
                building=building,
                landlord_name=f"SCI {building.name}",
                start_date=date(2020, 1, 1),
                end_date=date(2028 + rng.randint(0, 3), 12, 31),
                monthly_rent=rng.randint(400, 2_500) * 1_000,
            )
            sync_object_deadlines(lease)
            leases += 1
    stdout.write(
        f"Patrimoine immobilier : {n_sites} site(s), {n_buildings} bâtiment(s), "
        f"{n_floors} niveaux, {n_rooms:,} locaux, {leases} bail(s) "
        f"en {time.monotonic() - started:.1f} s."
    )
