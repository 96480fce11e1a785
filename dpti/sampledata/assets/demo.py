"""Demo movable assets: the furniture, IT, telephony, audiovisual and vehicles of the premises.

Each agent of the directory gets a workstation in an office of his service; rooms get their
furniture, the hemicycle its conference system, the server room its servers, the Ducos
stores some stock. Inventory numbers come from the configured rule (so later creations go
on from the same counters); rows are then inserted in bulk, with their entry movements and
warranty deadlines, without audit entries (the demo has no history to show). Deterministic.
"""

import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from dpti.assets.models import Asset, AssetCategory, AssetMovement, Disposal, InventoryCampaign
from dpti.assets.services import next_inventory_number
from dpti.core.models import User
from dpti.directory.models import Company, Person
from dpti.estate.models import Building, Room
from dpti.sampledata.assets.scale import at_nine, create_deadlines, historical_dates

SEED = 2028
Status, Use = Asset.Status, Room.Use
ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

# One kind per block: "kind category min-max(XPF) first-last(years) warranty(years)", then
# one indented "label / brand / model" line per model bought.
CATALOGUE = """
desk MOB-BUR 48000-135000 2012-2025 0
  Bureau droit 160 x 80 / Majencia / Arko
  Bureau compact 140 x 80 / Sokoa / Linea
table MOB-BUR 85000-260000 2012-2024 0
  Table de réunion modulaire / Majencia / Quarto
chair MOB-SIE 42000-98000 2012-2026 0
  Siège de bureau ergonomique / Sokoa / Ergo Synchro
  Siège de bureau / Steelcase / Series 1
visitor_chair MOB-SIE 14000-28000 2012-2025 0
  Chaise visiteur / Sokoa / Jazz
meeting_chair MOB-SIE 18000-36000 2014-2025 0
  Chaise de réunion empilable / Majencia / Mosquito
armchair MOB-SIE 145000-145000 2019-2019 0
  Fauteuil d'hémicycle / Quinette Gallay / Hémicycle C3
cabinet MOB-RAN 38000-125000 2012-2025 0
  Armoire haute à rideaux / Majencia / Optimum
  Caisson mobile 3 tiroirs / Sokoa / Cube
  Armoire basse à portes / Majencia / Optimum
desktop INF-PC 105000-175000 2019-2026 3
  Poste de travail / Dell / OptiPlex 7010
  Poste de travail / HP / EliteDesk 800 G6
  Poste de travail / Dell / OptiPlex 7090
laptop INF-PC 150000-265000 2020-2026 3
  Ordinateur portable / Lenovo / ThinkPad T14 Gen 3
  Ordinateur portable / HP / EliteBook 840 G9
  Ordinateur portable / Dell / Latitude 5440
old_desktop INF-PC 95000-140000 2012-2014 0
  Poste de travail / HP / Compaq 8200 Elite
tablet INF-PC 95000-210000 2024-2024 2
  Tablette / Apple / iPad Air 11 pouces
  Tablette hybride / Microsoft / Surface Pro 9
screen INF-ECR 26000-58000 2016-2026 3
  Écran 24 pouces / Dell / P2422H
  Écran 27 pouces / Iiyama / ProLite XUB2792
  Écran 24 pouces / HP / E24 G5
desk_phone TEL 16000-38000 2017-2024 2
  Téléphone IP / Alcatel-Lucent / 8028s
  Téléphone IP / Yealink / T54W
smartphone TEL 52000-135000 2022-2026 2
  Smartphone / Samsung / Galaxy A54
  Smartphone / Apple / iPhone 13
conference_phone TEL 75000-140000 2018-2025 2
  Pieuvre de conférence / Yealink / CP965
mfp INF-IMP 1150000-2600000 2016-2025 3
  Copieur multifonction couleur / Ricoh / IM C3000
  Copieur multifonction / Canon / imageRUNNER ADVANCE C5840i
printer INF-IMP 38000-95000 2015-2025 1
  Imprimante laser / HP / LaserJet Pro M404dn
  Imprimante laser couleur / Brother / HL-L8360CDW
server INF-SRV 1800000-4600000 2018-2025 5
  Serveur de virtualisation / Dell / PowerEdge R750
  Serveur / HPE / ProLiant DL380 Gen10
storage INF-SRV 850000-9800000 2019-2025 5
  Baie de stockage / NetApp / AFF A250
  Serveur de sauvegarde / Dell / PowerVault ME5012
  Onduleur 10 kVA / APC / Smart-UPS SRT
core_network INF-RES 1200000-2800000 2020-2025 5
  Commutateur de cœur de réseau / Aruba / CX 6300M
  Pare-feu / Fortinet / FortiGate 200F
switch INF-RES 320000-950000 2016-2025 5
  Commutateur d'étage 48 ports / Aruba / CX 6100
  Commutateur 24 ports PoE / Cisco / Catalyst 9200
access_point INF-RES 68000-120000 2021-2025 3
  Borne Wi-Fi / Aruba / AP-515
delegate_unit AV 118000-118000 2019-2019 3
  Poste délégué avec microphone / Bosch / DICENTIS DCNM-MMD2
camera AV 950000-1600000 2019-2023 3
  Caméra motorisée / Panasonic / AW-UE150
av_screen AV 420000-2100000 2019-2025 3
  Écran d'affichage 86 pouces / Samsung / QM86C
  Vidéoprojecteur laser / Epson / EB-PU1008
av_control AV 650000-2900000 2019-2024 3
  Console de mixage numérique / Yamaha / TF5
  Mélangeur vidéo / Blackmagic Design / ATEM 4 M/E
  Encodeur de diffusion en direct / Matrox / Monarch EDGE
meeting_av AV 380000-1250000 2018-2026 3
  Écran interactif 75 pouces / Samsung / WM75B
  Système de visioconférence / Logitech / Rally Plus
ac CLIM 115000-260000 2013-2025 2
  Climatiseur split mural / Daikin / FTXM35R
  Climatiseur split mural / Mitsubishi Electric / MSZ-AP35VG
ac_large CLIM 1800000-5200000 2015-2024 2
  Climatisation de précision / Daikin / FXMQ125
  Unité de climatisation centralisée / Daikin / VRV IV
appliance CLIM 18000-180000 2014-2026 2
  Réfrigérateur / Samsung / RB34T
  Machine à café professionnelle / Jura / WE8
  Four à micro-ondes / Whirlpool / MWP 254
office_machine BUR 35000-420000 2013-2025 1
  Destructeur de documents / HSM / Securio B34
  Relieuse électrique / GBC / CombBind C340
  Plastifieuse A3 / Fellowes / Venus
  Massicot / Ideal / 4350
safe COF 480000-1250000 2012-2018 0
  Coffre-fort ignifuge / Fichet-Bauche / Primaxx 2
vehicle VEH 2800000-7500000 2015-2025 3
  Berline hybride / Toyota / Corolla Hybride
  Utilitaire / Renault / Kangoo Van
  Pick-up double cabine / Toyota / Hilux
  SUV / Peugeot / 3008
  Citadine électrique / Hyundai / Kona Electric
  Minibus 12 places / Toyota / Hiace
software LOG 350000-4500000 2016-2025 0
  Logiciel de gestion des séances / Océanie Logiciels / Séances+
  Licences bureautiques (lot de 50) / Microsoft / Office LTSC 2021
  Logiciel de gestion financière / Berger-Levrault / e.magnus
  Suite de sécurité (lot de 400 postes) / ESET / PROTECT Entry
"""


def parse_catalogue(text):
    """{kind: (category code, [(label, brand, model)], (min, max), (first, last), warranty)}."""
    kinds, current = {}, None
    for line in text.strip().splitlines():
        if line.startswith("  "):
            kinds[current][1].append(tuple(part.strip() for part in line.split(" / ")))
            continue
        current, code, values, years, warranty = line.split()
        low, high = (int(v) for v in values.split("-"))
        first, last = (int(y) for y in years.split("-"))
        kinds[current] = (code, [], (low, high), (first, last), int(warranty))
    return kinds


KINDS = parse_catalogue(CATALOGUE)
ART = [
    ("Sculpture en bois de houp — figure d'ancêtre", 1_850_000),
    ("Tableau « La baie de la Moselle », huile sur toile", 650_000),
    ("Tapa décoratif, 3 x 2 m", 420_000),
    ("Photographie d'art « Lagon de Poé », tirage numéroté", 250_000),
    ("Sculpture en pierre de stéatite", 980_000),
    ("Tableau « Chaîne centrale au lever du jour », acrylique", 780_000),
    ("Tenture tissée aux motifs océaniens", 540_000),
    ("Bronze « Le porteur d'igname »", 3_400_000),
]
SUPPLIERS = {
    "INF": "Pacific Informatique",
    "INF-RES": "Caledonia Réseaux",
    "TEL": "Lagon Télécom Services",
    "MOB": "Mobilier Bureau Pacifique",
    "AV": "Caledonia Réseaux",
    "CLIM": "Froid Service NC",
    "BUR": "Imprimerie du Caillou",
    "COF": "Sécurité Incendie Calédonie",
    "VEH": "Garage Central Païta",
    "LOG": "Océanie Logiciels",
}
MOVE_REASONS = [
    "Déménagement du service",
    "Changement de bureau",
    "Réaffectation du poste de travail",
    "Remplacement du titulaire",
    "Retour de réparation",
]
PERSONAL_KINDS = {"desktop", "laptop", "tablet", "screen", "desk_phone", "smartphone"}


class DemoAssets:
    """Collects the demo assets before they are numbered and inserted in one go."""

    def __init__(self, rng, today):
        self.rng, self.today, self.assets, self.history = rng, today, [], []
        self.categories = {c.code: c for c in AssetCategory.objects.select_related("account")}
        companies = {c.name: c for c in Company.objects.filter(name__in=SUPPLIERS.values())}
        self.suppliers = {code: companies.get(name) for code, name in SUPPLIERS.items()}
        self.orders = {}
        self.gone = {}  # {id(asset): (its room before, its decided disposal)}

    def day(self, first, last):
        """A random day between two years, never after today."""
        start = date(first, 1, 1)
        end = min(date(last, 12, 31), self.today)
        return start + timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def add(self, kind, *, room=None, holder=None, unit=None, status=Status.IN_SERVICE, **extra):
        """One asset of a kind, with plausible value, date, brand and serial number."""
        rng = self.rng
        code, models, (low, high), (first, last), warranty = KINDS[kind]
        label, brand, model_name = rng.choice(models)
        acquired = extra.pop("acquisition_date", None) or self.day(first, last)
        category = self.categories[code]
        family = code.split("-")[0]
        age = (self.today - acquired).days / 365
        condition = (
            Asset.Condition.NEW
            if age < 1
            else rng.choice([Asset.Condition.GOOD] * 3 + [Asset.Condition.FAIR] * int(age // 4))
        )
        # Items of a kind bought the same year share one purchase order.
        order = self.orders.setdefault(
            (kind, acquired.year), f"BC-{acquired.year}-{len(self.orders) + 101:04d}"
        )
        asset = Asset(
            label=label,
            category=category,
            brand=brand,
            model_name=model_name,
            serial_number=(
                "" if family in ("MOB", "ART", "LOG") else "".join(rng.choices(ALNUM, k=10))
            ),
            acquisition_date=acquired,
            value=round(rng.randint(low, high), -2),
            supplier=self.suppliers.get(code) or self.suppliers.get(family),
            order_reference=order,
            budget_line=f"Chap. 21 — art. {category.account.number}",
            room=room,
            holder=holder,
            holder_unit=unit if unit is not None else (room.occupying_unit if room else None),
            condition=condition,
            status=status,
            warranty_end=self.warranty_end(acquired, warranty),
        )
        for name, value in extra.items():
            setattr(asset, name, value)
        self.assets.append(asset)
        return asset

    def warranty_end(self, acquired, years):
        """The end of a warranty still running (or just over), else None.

        Older spreadsheets kept no warranty dates: recording only the current ones keeps the
        register of deadlines about what is still to act on.
        """
        end = acquired + relativedelta(years=years) if years else None
        return end if end and end >= self.today - timedelta(days=45) else None

    def many(self, count, kind, **options):
        return [self.add(kind, **options) for _n in range(count)]


def seat_agents(rng, rooms):
    """Each agent's office: one of his service's, else of his directorate's, else any free one."""
    offices = [r for r in rooms if r.use in (Use.OFFICE, Use.OPEN_SPACE)]
    free = {r.pk: r.capacity or 1 for r in offices}
    by_unit = {}
    for room in offices:
        by_unit.setdefault(room.occupying_unit_id, []).append(room)
    seats = {}
    agents = Person.objects.filter(kind=Person.Kind.AGENT, unit__isnull=False)
    for person in agents.select_related("unit", "user").order_by("pk"):
        candidates = by_unit.get(person.unit_id) or by_unit.get(person.unit.parent_id) or offices
        open_ones = [r for r in candidates if free[r.pk] > 0] or candidates
        room = open_ones[0] if person.user_id else rng.choice(open_ones)
        free[room.pk] -= 1
        seats[person] = room
    return seats


def equip_people(demo, seats, elected, agent_person):
    """A workstation for each agent, a tablet and a phone for each elected member."""
    rng = demo.rng
    for person, room in seats.items():
        unit = person.unit
        demo.add("desk", room=room, unit=unit)
        demo.add("chair", room=room, unit=unit)
        computer = "laptop" if person == agent_person or rng.random() < 0.4 else "desktop"
        demo.add(computer, room=room, holder=person, unit=unit)
        demo.many(2 if rng.random() < 0.3 else 1, "screen", room=room, holder=person, unit=unit)
        if person == agent_person or rng.random() < 0.9:
            demo.add("desk_phone", room=room, holder=person, unit=unit)
        if person == agent_person or rng.random() < 0.2:
            demo.add("smartphone", holder=person, unit=unit)
    for person in elected:
        demo.add("tablet", holder=person, unit=person.unit)
        demo.add("smartphone", holder=person, unit=person.unit)


def equip_rooms(demo, rooms, staffed_units):
    """Furniture, air conditioning, network, printers and the equipment of special rooms."""
    rng = demo.rng
    for room in rooms:
        name = room.name
        if room.use in (Use.OFFICE, Use.OPEN_SPACE):
            if room.occupying_unit_id not in staffed_units:
                # Offices of political groups and committees: their staff are not in the directory.
                for kind in ("desk", "chair", "desktop", "screen", "desk_phone"):
                    demo.add(kind, room=room)
            demo.many(1 if rng.random() < 0.7 else 2, "cabinet", room=room)
            demo.many(rng.randint(0, 1), "visitor_chair", room=room)
            if rng.random() < 0.85:
                demo.many(2 if room.use == Use.OPEN_SPACE else 1, "ac", room=room)
            if rng.random() < 0.08:
                demo.add("printer", room=room)
        elif room.use == Use.MEETING_ROOM:
            capacity = room.capacity or 8
            demo.many(1 + capacity // 15, "table", room=room)
            demo.many(capacity * 4 // 5, "meeting_chair", room=room)  # and a few from next door
            demo.add("meeting_av", room=room)
            if rng.random() < 0.5:
                demo.add("conference_phone", room=room)
            demo.many(2 if room.area and room.area > 60 else 1, "ac", room=room)
        elif room.use == Use.HEMICYCLE:
            demo.many(61, "delegate_unit", room=room, order_reference="Marché n° 2019-014")
            demo.many(60, "armchair", room=room, order_reference="Marché n° 2019-015")
            demo.many(6, "camera", room=room)
            demo.many(4, "av_screen", room=room)
            demo.many(3, "ac_large", room=room)
        elif name == "Régie audiovisuelle":
            demo.many(3, "av_control", room=room)
            demo.many(2, "desktop", room=room)
            demo.many(4, "screen", room=room)
        elif room.use == Use.SERVER_ROOM:
            demo.many(10, "server", room=room)
            demo.many(4, "storage", room=room)
            demo.many(4, "core_network", room=room)
            demo.many(2, "ac_large", room=room)
        elif name.startswith("Local technique") and room.floor.building.code != "VAU-A":
            demo.many(2, "switch", room=room)
        elif name == "Local reprographie":
            demo.add("mfp", room=room)
            demo.add("office_machine", room=room)
        elif room.use == Use.KITCHEN:
            for _n in range(3):
                demo.add("appliance", room=room)
        if room.use in (Use.MEETING_ROOM, Use.OPEN_SPACE, Use.RECEPTION) or rng.random() < 0.04:
            demo.add("access_point", room=room)


def equip_institution(demo, rooms, units):
    """Works of art, safes, vehicles, software, and the stock kept at Ducos."""
    by_name = {}
    for room in rooms:
        by_name.setdefault(room.name, room)
    places = ["Hall d'honneur"] * 5 + ["Salon du président"] * 2 + ["Salle du conseil de direction"]
    art = demo.categories["ART"]
    for (label, value), place in zip(ART, places, strict=True):
        demo.assets.append(
            Asset(
                label=label,
                category=art,
                acquisition_date=demo.day(2012, 2022),
                value=value,
                room=by_name[place],
                holder_unit=by_name[place].occupying_unit,
                notes="Œuvre d'un artiste calédonien ; valeur d'acquisition, non amortie.",
            )
        )
    finance = next(r for r in rooms if r.occupying_unit and r.occupying_unit.code == "SFIN")
    demo.add("safe", room=finance)
    demo.add("safe", room=by_name["Salon du président"])
    for index in range(9):
        garage = by_name["Garage des véhicules" if index % 3 else "Parking souterrain P1"]
        demo.add("vehicle", room=garage, unit=units.get("CPA"))
    for _n in range(6):
        demo.add("software", unit=units.get("SIT"))
    it_store, furniture_store = by_name["Magasin informatique"], by_name["Magasin mobilier"]
    for count, kind in ((12, "laptop"), (8, "desktop"), (20, "screen"), (10, "desk_phone")):
        day = demo.day(2025, 2026)  # a recent order, not yet handed out
        demo.many(count, kind, room=it_store, status=Status.IN_STOCK, acquisition_date=day)
    for count, kind in ((25, "chair"), (10, "desk"), (12, "cabinet")):
        demo.many(count, kind, room=furniture_store, status=Status.IN_STOCK)
    return it_store


def dispose(demo, it_store):
    """Old equipment: a dozen decided disposals and one proposed."""
    decided = demo.many(10, "old_desktop", room=it_store, status=Status.DISPOSED)
    decided.append(
        demo.add(
            "vehicle", room=it_store, status=Status.DISPOSED, acquisition_date=date(2015, 6, 12)
        )
    )
    proposed = demo.add(
        "mfp", room=it_store, status=Status.IN_STOCK, acquisition_date=date(2016, 3, 8)
    )
    disposals = []
    reasons = (Disposal.Reason.DONATION, Disposal.Reason.DESTRUCTION)
    beneficiaries = {
        True: "Vente aux enchères publiques",
        False: "Association Informatique Solidaire NC",
    }
    for index, asset in enumerate(decided):
        sale = asset.category.code == "VEH"
        disposals.append(
            Disposal(
                asset=asset,
                reason=Disposal.Reason.SALE if sale else reasons[index % 2],
                state=Disposal.State.DECIDED,
                decision_reference=f"Délibération n° {117 if index < 6 else 204}/2025",
                decision_date=date(2025, 6, 26) if index < 6 else date(2025, 11, 27),
                sale_price=650_000 if sale else 0,
                beneficiary=beneficiaries[sale] if sale or index % 2 == 0 else "",
            )
        )
    for asset, disposal in zip(decided, disposals, strict=True):
        # A decided disposal took the asset out of the store (see services.apply_disposal_state):
        # its history keeps where it was.
        demo.gone[id(asset)] = (asset.room, disposal)
        asset.room = asset.holder_unit = None
    disposals.append(
        Disposal(
            asset=proposed,
            reason=Disposal.Reason.DESTRUCTION,
            notes="Hors d'usage après diagnostic du prestataire.",
        )
    )
    return disposals


def plan_moves(demo, seats, rooms, agent_person):
    """The assets that were elsewhere before: {id(asset): (earlier room, earlier holder)}."""
    rng = demo.rng
    colleagues = {}
    for person in seats:
        colleagues.setdefault(person.unit_id, []).append(person)
    offices = [r for r in rooms if r.use == Use.OFFICE]
    earlier = {}
    for asset in demo.assets:
        if asset.status != Status.IN_SERVICE or asset.room is None:
            continue
        if asset.holder == agent_person and asset.category.code == "INF-PC":
            # The requester's laptop was a colleague's before: his page shows a change of holder.
            others = [p for p in colleagues[agent_person.unit_id] if p != agent_person]
            earlier[id(asset)] = (asset.room, others[0] if others else None)
        elif rng.random() < 0.06:
            holder = asset.holder
            if holder is not None and rng.random() < 0.5:
                holder = rng.choice(colleagues.get(holder.unit_id) or [holder])
            earlier[id(asset)] = (rng.choice(offices), holder)
    return earlier


def record_history(demo, earlier, author):
    """Entry movements for every located asset, and a dated move for those that were elsewhere."""
    rng = demo.rng
    entry_reason = _("Entry into the register")
    rows = []
    for asset in demo.assets:
        if id(asset) in demo.gone:
            rows.extend(disposal_history(asset, *demo.gone[id(asset)], author))
            continue
        if asset.room_id is None and asset.holder_id is None and asset.holder_unit_id is None:
            continue
        room, holder = earlier.get(id(asset), (asset.room, asset.holder))
        rows.append(
            AssetMovement(
                asset=asset,
                to_room=room,
                to_holder=holder,
                to_unit=asset.holder_unit,
                reason=entry_reason,
                moved_at=at_nine(asset.acquisition_date),
            )
        )
        if id(asset) in earlier:
            age = (demo.today - asset.acquisition_date).days
            moved_on = asset.acquisition_date + timedelta(rng.randint(min(30, age), age))
            rows.append(
                AssetMovement(
                    asset=asset,
                    from_room=room,
                    to_room=asset.room,
                    from_holder=holder,
                    to_holder=asset.holder,
                    from_unit=asset.holder_unit,
                    to_unit=asset.holder_unit,
                    reason=rng.choice(MOVE_REASONS),
                    moved_by=author,
                    moved_at=at_nine(moved_on),
                )
            )
    with historical_dates(AssetMovement, "moved_at"):
        return AssetMovement.objects.bulk_create(rows, batch_size=1000)


def disposal_history(asset, room, disposal, author):
    """The entry of a disposed asset into its store, then its leaving on the decision day."""
    return [
        AssetMovement(
            asset=asset,
            to_room=room,
            to_unit=room.occupying_unit,
            reason=_("Entry into the register"),
            moved_at=at_nine(asset.acquisition_date),
        ),
        AssetMovement(
            asset=asset,
            from_room=room,
            from_unit=room.occupying_unit,
            reason=f"{_('Disposal decided')} ({disposal.decision_reference})",
            moved_by=author,
            moved_at=at_nine(disposal.decision_date),
        ),
    ]


def create_campaign(today):
    """A draft inventory campaign over the administration building, to try the journey."""
    campaign = InventoryCampaign.objects.create(
        name=f"Inventaire physique {today.year} — Bâtiment B",
        start_date=today + timedelta(days=14),
        end_date=today + timedelta(days=45),
        notes="Inventaire annuel du bâtiment administratif, étage par étage.",
    )
    campaign.buildings.set(Building.objects.filter(code="VAU-B"))
    return campaign


def finish(*, stdout):
    """Compute the stored register once every app's assets are in (IT adds its own in bulk)."""
    from dpti.assets.register_store import rebuild

    rebuild()


def load(*, stdout):
    """Create the demo assets; called by `manage.py load_demo` after the directory and estate."""
    from dpti.directory.models import OrganisationUnit

    rng = random.Random(SEED)
    today = timezone.localdate()
    rooms = list(Room.objects.select_related("floor__building", "occupying_unit").order_by("code"))
    units = {u.code: u for u in OrganisationUnit.objects.all()}
    agent_person = Person.objects.filter(user__username="agent").select_related("unit").first()
    demo = DemoAssets(rng, today)
    seats = seat_agents(rng, rooms)
    elected = Person.objects.filter(kind=Person.Kind.ELECTED).select_related("unit").order_by("pk")
    equip_people(demo, seats, elected, agent_person)
    equip_rooms(demo, rooms, staffed_units={person.unit_id for person in seats})
    it_store = equip_institution(demo, rooms, units)
    disposals = dispose(demo, it_store)
    computers = [a for a in demo.assets if a.holder_id and a.category.code == "INF-PC"]
    for asset in rng.sample(computers, 15):
        if asset.holder != agent_person:
            asset.status = Status.IN_REPAIR
    earlier = plan_moves(demo, seats, rooms, agent_person)
    # Numbers in order of acquisition, from the configured rule and its counters.
    demo.assets.sort(key=lambda asset: asset.acquisition_date)
    for asset in demo.assets:
        asset.inventory_number = next_inventory_number(asset)
    Asset.objects.bulk_create(demo.assets, batch_size=500)
    movements = record_history(demo, earlier, User.objects.filter(username="patrimoine").first())
    Disposal.objects.bulk_create(disposals)
    deadlines = create_deadlines(demo.assets)
    create_campaign(today)
    stdout.write(
        _(
            "Assets: %(assets)d assets, %(movements)d movements, %(disposals)d disposals, "
            "%(deadlines)d warranty deadlines, 1 inventory campaign."
        )
        % {
            "assets": len(demo.assets),
            "movements": len(movements),
            "disposals": len(disposals),
            "deadlines": deadlines,
        }
    )
