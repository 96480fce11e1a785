"""Demo premises of the Congress of New Caledonia: sites, buildings, floors, rooms, a lease.

The seat on boulevard Vauban (the hemicycle building, the administration and the political
groups), a rented annex in the city centre and a storage and workshop site in Ducos. Room
programmes are plausible, not a survey of the real premises. Deterministic: the same seed
and the same day give the same data (the lease's dates follow today so that its notice
deadline is always ahead).
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from dpti.core.services import save_object
from dpti.directory.models import OrganisationUnit
from dpti.estate.models import Building, Floor, Lease, Room, Site, Tenure

SEED = 2027
Use = Room.Use
Kind = Building.Kind

SITES = [
    # code, name, address, postal code, latitude, longitude, cadastral reference, tenure, land m²
    (
        "VAU",
        "Siège du Congrès — Vauban",
        "1, boulevard Vauban",
        "98800",
        "-22.275800",
        "166.442000",
        "Lot 77 — section Centre-ville",
        Tenure.OWNED,
        9800,
    ),
    (
        "FOC",
        "Annexe centre-ville — Foch",
        "19, avenue du Maréchal Foch",
        "98800",
        "-22.273600",
        "166.444900",
        "",
        Tenure.RENTED,
        None,
    ),
    (
        "DUC",
        "Site technique de Ducos",
        "14, rue Ampère, Ducos",
        "98800",
        "-22.246300",
        "166.446800",
        "Lot 312 — section Ducos industriel",
        Tenure.OWNED,
        4200,
    ),
]

# site, code, name, kind, year built, tenure, (ERP type, ERP category) or None
BUILDINGS = [
    ("VAU", "VAU-A", "Bâtiment A — Hémicycle", Kind.ASSEMBLY, 1990, Tenure.OWNED, ("L", 2)),
    ("VAU", "VAU-B", "Bâtiment B — Administration", Kind.OFFICES, 1998, Tenure.OWNED, ("W", 4)),
    ("VAU", "VAU-C", "Bâtiment C — Groupes politiques", Kind.OFFICES, 2008, Tenure.OWNED, None),
    ("FOC", "FOC-A", "Immeuble Foch — annexe", Kind.OFFICES, 1995, Tenure.RENTED, ("W", 5)),
    ("DUC", "DUC-A", "Entrepôt et ateliers de Ducos", Kind.STORAGE, 2004, Tenure.OWNED, None),
]

FLOOR_NAMES = {
    -1: "Sous-sol",
    0: "Rez-de-chaussée",
    1: "1er étage",
    2: "2e étage",
    3: "3e étage",
}
MEETING_NAMES = iter(
    [
        "Salle Lifou",
        "Salle Maré",
        "Salle Ouvéa",
        "Salle Tiga",
        "Salle de l'île des Pins",
        "Salle Bélep",
        "Salle Hienghène",
        "Salle Koné",
        "Salle Poindimié",
        "Salle Bourail",
        "Salle La Foa",
        "Salle Thio",
        "Salle Yaté",
        "Salle Canala",
        "Salle Houaïlou",
        "Salle Koumac",
        "Salle Pouébo",
        "Salle Voh",
        "Salle Kouaoua",
        "Salle Ponérihouen",
        "Salle Sarraméa",
        "Salle Farino",
        "Salle Pouembout",
        "Salle Kaala-Gomen",
    ]
)


def _meeting(count, area, capacity, unit=None):
    return [(1, next(MEETING_NAMES), Use.MEETING_ROOM, area, capacity, unit) for _n in range(count)]


def _services(count, unit, area=(12, 20), capacity=(1, 2)):
    return [(count, "Bureau {num}", Use.OFFICE, area, capacity, unit)]


def _floor_services(extra_tech=1):
    """What every office floor has: toilets, a cleaning cupboard, a copy room, a network closet."""
    return [
        (2, "Sanitaires", Use.SANITARY, (14, 22), None, None),
        (1, "Local ménage", Use.STORAGE, (4, 6), None, None),
        (1, "Local reprographie", Use.STORAGE, (10, 14), None, None),
        (extra_tech, "Local technique — baie de brassage", Use.TECHNICAL, (6, 10), None, None),
    ]


# building code → {level: [(count, name, use, area m², capacity, unit code(s))]}
PROGRAMMES = {
    "VAU-A": {
        0: [
            (1, "Hémicycle", Use.HEMICYCLE, 640, 180, "SSEA"),
            (1, "Hall d'honneur", Use.RECEPTION, 310, 200, "SCOM"),
            (1, "Accueil et contrôle d'accès", Use.RECEPTION, 45, 3, "SG"),
            (1, "Salle de presse", Use.MEETING_ROOM, 60, 25, "SCOM"),
            (1, "Régie audiovisuelle", Use.TECHNICAL, 28, 3, "SCOM"),
            (1, "Salle des pas perdus", Use.CIRCULATION, 220, None, None),
            (1, "Buvette", Use.KITCHEN, 55, 20, "SG"),
            (1, "Vestiaire", Use.STORAGE, 18, None, "SSEA"),
            (1, "Réserve audiovisuelle", Use.STORAGE, 20, None, "SCOM"),
            (3, "Sanitaires", Use.SANITARY, (18, 26), None, None),
            (2, "Local technique", Use.TECHNICAL, (12, 18), None, None),
            *_services(8, "SSEA"),
        ],
        1: [
            (1, "Tribune du public", Use.OTHER, 180, 150, "SSEA"),
            *_meeting(4, (70, 110), (20, 30), "SSEA"),
            (1, "Salon du président", Use.MEETING_ROOM, 65, 12, "CNC"),
            *_services(10, "CNC", area=(16, 28)),
            *_services(6, "SSEA"),
            *_floor_services(),
        ],
        2: [
            *_services(10, "SG"),
            *_services(6, "SJUR"),
            *_meeting(2, (30, 45), (8, 12), "SG"),
            (1, "Archives des séances", Use.ARCHIVES, 85, None, "SSEA"),
            *_floor_services(),
        ],
    },
    "VAU-B": {
        -1: [
            (3, "Parking souterrain P{n}", Use.CAR_PARK, (700, 900), (30, 40), "CPA"),
            (1, "Local électrique TGBT", Use.TECHNICAL, 30, None, "SPI"),
            (1, "Local groupe électrogène", Use.TECHNICAL, 40, None, "SPI"),
            (3, "Cave de stockage {n}", Use.STORAGE, (25, 45), None, "SPML"),
        ],
        0: [
            (1, "Accueil", Use.RECEPTION, 40, 3, "SG"),
            (1, "Salle serveurs", Use.SERVER_ROOM, 65, None, "SIT"),
            (1, "Atelier informatique", Use.WORKSHOP, 35, 4, "SIT"),
            (1, "Bureau du courrier", Use.OFFICE, 30, 3, "SPML"),
            (1, "Cafétéria", Use.KITCHEN, 45, 24, "SG"),
            *_services(14, "SIT"),
            *_meeting(2, (25, 40), (8, 12), "SIT"),
            *_floor_services(),
        ],
        1: [
            *_services(6, "DPTI"),
            *_services(6, "SPI"),
            *_services(6, "SPML"),
            *_services(6, "SMB"),
            *_services(4, "CPA"),
            (2, "Plateau {n}", Use.OPEN_SPACE, (60, 80), (6, 8), ("SPI", "SMB")),
            *_meeting(2, (25, 40), (8, 12), "DPTI"),
            *_floor_services(),
        ],
        2: [
            *_services(4, "DRHF"),
            *_services(12, "SRH"),
            *_services(12, "SFIN"),
            (1, "Plateau {n}", Use.OPEN_SPACE, 70, 8, "SFIN"),
            *_meeting(2, (25, 40), (8, 12), "DRHF"),
            (1, "Archives du personnel", Use.ARCHIVES, 45, None, "SRH"),
            *_floor_services(),
        ],
        3: [
            *_services(6, "DALJ"),
            *_services(6, "SJUR"),
            *_services(5, "DCRP"),
            *_services(4, "SCOM"),
            *_services(5, "SG", area=(16, 26)),
            (1, "Salle du conseil de direction", Use.MEETING_ROOM, 80, 20, "SG"),
            *_meeting(1, (25, 40), (8, 12), "DALJ"),
            (1, "Office", Use.KITCHEN, 15, None, "SG"),
            *_floor_services(),
        ],
    },
    "VAU-C": {
        0: [
            *_services(6, "GAC"),
            *_services(6, "GHP"),
            *_meeting(1, (30, 40), (10, 14), "GAC"),
            (1, "Salle de réunion des groupes", Use.MEETING_ROOM, 90, 40, "CNC"),
            *_floor_services(),
        ],
        1: [
            *_services(6, "GTP"),
            *_services(6, "GUP"),
            *_meeting(1, (30, 40), (10, 14), "GTP"),
            *_floor_services(),
        ],
        2: [
            *_services(4, "NI"),
            *_services(6, "CP"),
            *_meeting(2, (30, 40), (10, 14), "CP"),
            *_floor_services(),
        ],
    },
    "FOC-A": {
        0: [
            (1, "Accueil du public", Use.RECEPTION, 35, 3, "DCRP"),
            (1, "Salle de conférence", Use.MEETING_ROOM, 120, 60, "SCOM"),
            *_services(6, "SCOM"),
            (2, "Sanitaires", Use.SANITARY, 14, None, None),
            (1, "Local technique", Use.TECHNICAL, 10, None, None),
        ],
        1: [
            *_services(6, "DCRP"),
            *_services(6, "SCOM"),
            *_meeting(1, (25, 35), (8, 10), "DCRP"),
            *_floor_services(),
        ],
        2: [
            *_services(5, "CLRG"),
            *_services(5, "CFB"),
            *_services(4, "COAFP"),
            *_meeting(1, (25, 35), (8, 10), "CFB"),
            *_floor_services(),
        ],
    },
    "DUC-A": {
        0: [
            (1, "Magasin mobilier", Use.STORAGE, 450, None, "SPML"),
            (1, "Magasin informatique", Use.STORAGE, 180, None, "SIT"),
            (1, "Atelier menuiserie", Use.WORKSHOP, 120, 4, "SPI"),
            (1, "Atelier maintenance", Use.WORKSHOP, 90, 4, "SPI"),
            (1, "Garage des véhicules", Use.CAR_PARK, 600, 12, "CPA"),
            (3, "Archives intermédiaires — magasin {n}", Use.ARCHIVES, (220, 280), None, "SPML"),
            (1, "Quai de chargement", Use.OTHER, 80, None, "SPML"),
            (4, "Bureau {num}", Use.OFFICE, (12, 16), (1, 2), ("SPML", "SPML", "CPA", "SPI")),
            (1, "Vestiaires", Use.SANITARY, 30, None, None),
            (2, "Sanitaires", Use.SANITARY, 12, None, None),
            (1, "Local technique", Use.TECHNICAL, 15, None, None),
        ],
        1: [
            (4, "Archives — salle {n}", Use.ARCHIVES, (90, 140), None, "SPML"),
            (6, "Bureau {num}", Use.OFFICE, (12, 16), (1, 2), ("SPML", "SPI", "CPA")),
            *_meeting(1, (25, 30), 8, "SPML"),
            (1, "Local technique", Use.TECHNICAL, 10, None, None),
        ],
    },
}


def _pick(rng, value, whole=False):
    """A fixed value, or a random one in a (low, high) range."""
    if isinstance(value, tuple):
        low, high = value
        return rng.randint(low, high) if whole else Decimal(rng.randint(low * 2, high * 2)) / 2
    return value if whole or value is None else Decimal(value)


def room_code(building_code, level, number):
    """VAU-A-104 (floor 1, room 4); below ground VAU-B-S01."""
    prefix = "S" if level < 0 else str(level)
    return f"{building_code}-{prefix}{number:02d}"


def create_sites():
    """The three sites."""
    sites = {}
    for code, name, address, postal, lat, lon, cadastre, tenure, land in SITES:
        sites[code] = Site.objects.create(
            code=code,
            name=name,
            address=address,
            postal_code=postal,
            city="Nouméa",
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            cadastral_reference=cadastre,
            tenure=tenure,
            land_area=land,
        )
    return sites


def create_buildings(sites):
    """The five buildings, with their ERP classification."""
    buildings = {}
    for site, code, name, kind, year, tenure, erp in BUILDINGS:
        buildings[code] = Building.objects.create(
            site=sites[site],
            code=code,
            name=name,
            kind=kind,
            year_built=year,
            tenure=tenure,
            is_erp=erp is not None,
            erp_type=erp[0] if erp else "",
            erp_category=erp[1] if erp else None,
        )
    return buildings


def create_floors_and_rooms(rng, buildings, units):
    """Each building's floors, then its rooms in one insert."""
    rooms = []
    for code, programme in PROGRAMMES.items():
        for level, entries in programme.items():
            floor = Floor.objects.create(
                building=buildings[code], level=level, name=FLOOR_NAMES[level]
            )
            number = 0
            for count, name, use, area, capacity, unit_codes in entries:
                for index in range(count):
                    number += 1
                    code_of_room = room_code(code, level, number)
                    if isinstance(unit_codes, tuple):
                        unit = units.get(unit_codes[index % len(unit_codes)])
                    else:
                        unit = units.get(unit_codes)
                    rooms.append(
                        Room(
                            floor=floor,
                            code=code_of_room,
                            name=name.format(n=index + 1, num=code_of_room.rsplit("-", 1)[1]),
                            use=use,
                            area=_pick(rng, area),
                            capacity=_pick(rng, capacity, whole=True),
                            occupying_unit=unit,
                        )
                    )
    return Room.objects.bulk_create(rooms)


def lease_dates(today):
    """A nine-year lease ending in about sixteen months: notice is due within the year."""
    end = date(today.year, today.month, 1) + relativedelta(months=17) - timedelta(days=1)
    return end - relativedelta(years=9) + timedelta(days=1), end


def create_lease(building, rooms, today):
    """The lease of the rented annex, saved through the services (its deadlines follow)."""
    start, end = lease_dates(today)
    rented = sum(r.area or 0 for r in rooms if r.floor.building_id == building.pk)
    lease = Lease(
        building=building,
        reference=f"BAIL-{start.year}-FOCH",
        landlord_name="SCI Foch Moselle",
        start_date=start,
        end_date=end,
        notice_months=6,
        monthly_rent=1_480_000,
        charges=165_000,
        rented_area=rented,
        notes="Bail commercial 3-6-9 ; loyer révisé chaque année sur l'indice du coût de la "
        "construction de Nouméa.",
    )
    return save_object(lease, user=None)  # also writes its notice and end deadlines


def load(*, stdout):
    """Create the demo premises; called by `manage.py load_demo` after the directory."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    units = {u.code: u for u in OrganisationUnit.objects.all()}
    sites = create_sites()
    buildings = create_buildings(sites)
    rooms = create_floors_and_rooms(rng, buildings, units)
    create_lease(buildings["FOC-A"], rooms, today)
    stdout.write(
        _("Property: %(sites)d sites, %(buildings)d buildings, %(rooms)d rooms, 1 lease.")
        % {"sites": len(sites), "buildings": len(buildings), "rooms": len(rooms)}
    )
