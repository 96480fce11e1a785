"""Demo directory of the Congress of New Caledonia: units, people, companies, teams.

Names of units follow the institution's shape (a secrétariat général and four directions);
political groups and people are invented. Deterministic: the same seed gives the same data.
"""

import random
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dpti.core.deadlines import sync_object_deadlines
from dpti.core.models import User
from dpti.directory.models import Company, OrganisationUnit, Person, Team
from dpti.sampledata.demo import DEMO_ACCOUNTS

SEED = 2026
AGENTS = 300
ELECTED = 54
Kind = OrganisationUnit.Kind

# (code, name, kind, parent code)
UNITS = [
    ("CNC", "Congrès de la Nouvelle-Calédonie", Kind.INSTITUTION, None),
    ("SG", "Secrétariat général", Kind.DIRECTORATE, "CNC"),
    ("DALJ", "Direction des affaires législatives et juridiques", Kind.DIRECTORATE, "SG"),
    ("DRHF", "Direction des ressources humaines et des finances", Kind.DIRECTORATE, "SG"),
    ("DCRP", "Direction de la communication et des relations publiques", Kind.DIRECTORATE, "SG"),
    (
        "DPTI",
        "Direction du patrimoine et des technologies de l'information",
        Kind.DIRECTORATE,
        "SG",
    ),
    ("SPI", "Service du patrimoine immobilier", Kind.SERVICE, "DPTI"),
    ("SPML", "Service du patrimoine mobilier et de la logistique", Kind.SERVICE, "DPTI"),
    ("SIT", "Service informatique et télécommunications", Kind.SERVICE, "DPTI"),
    ("SMB", "Service des marchés et du budget", Kind.SERVICE, "DPTI"),
    ("CPA", "Cellule parc automobile", Kind.SERVICE, "DPTI"),
    ("SSEA", "Service des séances et de l'assemblée", Kind.SERVICE, "DALJ"),
    ("SJUR", "Service juridique", Kind.SERVICE, "DALJ"),
    ("SRH", "Service des ressources humaines", Kind.SERVICE, "DRHF"),
    ("SFIN", "Service des finances", Kind.SERVICE, "DRHF"),
    ("SCOM", "Service communication et protocole", Kind.SERVICE, "DCRP"),
    ("GAC", "Groupe Avenir commun", Kind.POLITICAL_GROUP, "CNC"),
    ("GHP", "Groupe Horizon Pacifique", Kind.POLITICAL_GROUP, "CNC"),
    ("GTP", "Groupe Terre de parole", Kind.POLITICAL_GROUP, "CNC"),
    ("GUP", "Groupe Union pour le pays", Kind.POLITICAL_GROUP, "CNC"),
    ("NI", "Élus non inscrits", Kind.POLITICAL_GROUP, "CNC"),
    ("CP", "Commission permanente", Kind.COMMITTEE, "CNC"),
    (
        "CLRG",
        "Commission de la législation et de la réglementation générales",
        Kind.COMMITTEE,
        "CNC",
    ),
    ("CFB", "Commission des finances et du budget", Kind.COMMITTEE, "CNC"),
    (
        "COAFP",
        "Commission de l'organisation administrative et de la fonction publique",
        Kind.COMMITTEE,
        "CNC",
    ),
    ("CIPE", "Commission des infrastructures publiques et de l'énergie", Kind.COMMITTEE, "CNC"),
    ("CSPS", "Commission de la santé et de la protection sociale", Kind.COMMITTEE, "CNC"),
]

FIRST_NAMES = [
    "Marie",
    "Jean",
    "Sylvie",
    "Philippe",
    "Isabelle",
    "Christophe",
    "Nathalie",
    "Pierre",
    "Sandrine",
    "Laurent",
    "Valérie",
    "Nicolas",
    "Sophie",
    "Stéphane",
    "Céline",
    "Frédéric",
    "Aurélie",
    "David",
    "Émilie",
    "Sébastien",
    "Julie",
    "Olivier",
    "Caroline",
    "Thierry",
    "Vaimiti",
    "Teva",
    "Hinano",
    "Moana",
    "Manuarii",
    "Tiare",
    "Kalolaine",
    "Sione",
    "Malia",
    "Petelo",
    "Wanakam",
    "Hnadrane",
    "Waka",
    "Josiane",
    "Yvette",
    "Gérard",
    "Mickaël",
    "Kévin",
    "Anthony",
    "Laura",
    "Manon",
    "Lucas",
    "Chloé",
    "Hugo",
    "Léa",
    "Thomas",
    "Camille",
]
FRENCH_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
]
# Family names heard in New Caledonia, mixed with the French ones above.
LOCAL_NAMES = [
    "Wamytan",
    "Hnawia",
    "Wakolo",
    "Taputu",
    "Lauouvea",
    "Néaoutyine",
    "Kasarhérou",
    "Gomès",
    "Tein",
    "Ukeiwé",
    "Wéa",
    "Poigoune",
    "Tjibaou",
    "Naisseline",
    "Goa",
    "Tiaou",
    "Kaloï",
    "Wahetra",
    "Trolue",
    "Sio",
    "Takatai",
    "Falelavaki",
    "Muliakaaka",
    "Tauhiro",
    "Teriierooiterai",
    "Nguyen",
    "Tran",
    "Sanmohamat",
    "Wenceslas",
    "Boewa",
    "Gowé",
    "Ixéco",
    "Xulue",
    "Hmae",
]
JOB_TITLES = {
    "SPI": ["Chargé d'opérations immobilières", "Technicien bâtiment", "Agent de maintenance"],
    "SPML": ["Gestionnaire d'inventaire", "Agent logistique", "Magasinier"],
    "SIT": [
        "Technicien support",
        "Administrateur systèmes et réseaux",
        "Chef de projet applicatif",
    ],
    "SMB": ["Acheteur public", "Gestionnaire budgétaire", "Juriste marchés publics"],
    "CPA": ["Gestionnaire du parc automobile", "Chauffeur"],
}
DEFAULT_TITLES = [
    "Assistant administratif",
    "Rédacteur",
    "Attaché",
    "Secrétaire",
    "Chargé de mission",
]

COMPANIES = [
    ("Calédonienne de Maintenance Technique", "climatisation et maintenance multitechnique"),
    ("Nouméa Propreté Services", "nettoyage des locaux"),
    ("Ascenseurs du Pacifique", "ascenseurs et monte-charges"),
    ("Sécurité Incendie Calédonie", "sécurité incendie"),
    ("Pacific Informatique", "matériel et support informatique"),
    ("Lagon Télécom Services", "télécommunications"),
    ("BTP Grand Nouméa", "travaux de bâtiment"),
    ("Électricité Générale du Sud", "électricité"),
    ("Plomberie Sanitaire Dumbéa", "plomberie"),
    ("Froid Service NC", "climatisation"),
    ("Caledonia Réseaux", "câblage et réseaux"),
    ("Mobilier Bureau Pacifique", "mobilier de bureau"),
    ("Imprimerie du Caillou", "impression et reprographie"),
    ("Jardins de la Baie", "espaces verts"),
    ("Garage Central Païta", "entretien de véhicules"),
    ("Sûreté Gardiennage NC", "gardiennage"),
    ("Bureau d'études Tontouta", "études techniques"),
    ("Océanie Logiciels", "édition de logiciels"),
    ("Menuiserie du Mont-Dore", "menuiserie"),
    ("Peintures et Revêtements Calédoniens", "peinture"),
    ("Contrôle Technique Bâtiment NC", "contrôles réglementaires"),
    ("Énergie Solaire Pacifique", "énergie photovoltaïque"),
    ("Déménagements Nouméa Express", "déménagement"),
    ("Archives et Numérisation NC", "archivage et numérisation"),
    ("Vitrerie Magenta", "vitrerie"),
]
TOWNS = [("Nouméa", "98800"), ("Dumbéa", "98835"), ("Mont-Dore", "98809"), ("Païta", "98890")]
STREETS = [
    "rue de Sébastopol",
    "avenue du Maréchal Foch",
    "route de la Baie des Dames",
    "rue Jules Garnier",
    "avenue James Cook",
    "rue du Général Mangin",
    "route du Vélodrome",
    "rue Eugène Porcheron",
    "Promenade Roger Laroque",
    "rue de l'Alma",
]

# The demo accounts' people: username → (unit code, job title, company index or None).
ACCOUNT_PEOPLE = {
    "admin": ("SIT", "Administratrice des applications", None),
    "direction": ("DPTI", "Directeur du patrimoine et des technologies de l'information", None),
    "patrimoine": ("SPI", "Cheffe du service du patrimoine immobilier", None),
    "informatique": ("SIT", "Chef du service informatique et télécommunications", None),
    "achats": ("SMB", "Cheffe du service des marchés et du budget", None),
    "flotte": ("CPA", "Responsable du parc automobile", None),
    "technicien": ("SIT", "Technicien support", None),
    "agent": ("SRH", "Gestionnaire des ressources humaines", None),
    "elu": ("GHP", "Membre du Congrès", None),
    "prestataire": (None, "Technicien de maintenance", 0),
}


def phone(rng):
    """A 6-digit New Caledonian number written in pairs (fixed lines start with 2)."""
    return f"2{rng.randint(0, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def mobile(rng):
    """A mobile number (7x, 8x or 9x)."""
    return f"{rng.choice('789')}{rng.randint(0, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def email_for(first, last, taken):
    """A unique firstname.lastname address of the institution."""
    base = f"{slugify(first)}.{slugify(last)}".replace("-", "")
    address, n = f"{base}@congres.nc", 1
    while address in taken:
        n += 1
        address = f"{base}{n}@congres.nc"
    taken.add(address)
    return address


def create_units():
    """The institution's tree: directions, services, political groups and committees."""
    units = {}
    for code, name, kind, parent in UNITS:
        units[code] = OrganisationUnit.objects.create(
            code=code,
            name=name,
            kind=kind,
            parent=units.get(parent),
            email=f"{code.lower()}@congres.nc" if kind != Kind.POLITICAL_GROUP else "",
        )
    return units


def create_companies(rng, today):
    """Companies of Greater Nouméa with valid RIDET numbers and spread certificate dates."""
    companies = []
    for index, (name, activity) in enumerate(COMPANIES):
        town, postal = rng.choice(TOWNS)
        # Certificates spread from two months ago to a year ahead: some overdue, some soon.
        validity = today + timedelta(days=rng.randint(-60, 365))
        companies.append(
            Company(
                name=name,
                ridet=f"{1000000 + 37 * index + rng.randint(1, 30):07d}.001",
                activity=activity,
                is_supplier=True,
                is_contractor=index % 3 != 2,
                address=f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
                postal_code=postal,
                city=town,
                phone=phone(rng),
                email=f"contact@{slugify(name)}.nc",
                certificates_valid_until=validity,
            )
        )
    return Company.objects.bulk_create(companies)


def create_people(rng, units, companies, today):
    """Agents in services, elected members in groups, a few employees per company."""
    taken, people = set(), []
    services = [u for u in units.values() if u.kind in (Kind.SERVICE, Kind.DIRECTORATE)]
    groups = [u for u in units.values() if u.kind == Kind.POLITICAL_GROUP]

    def name():
        last = rng.choice(LOCAL_NAMES) if rng.random() < 0.4 else rng.choice(FRENCH_NAMES)
        return rng.choice(FIRST_NAMES), last

    agent_accounts = [u for u, (_unit, _title, c) in ACCOUNT_PEOPLE.items() if c is None]
    agent_accounts.remove("elu")
    for _index in range(AGENTS - len(agent_accounts)):  # the accounts' people make the rest
        first, last = name()
        unit = rng.choice(services)
        people.append(
            Person(
                civility=rng.choice(["mr", "mrs"]),
                first_name=first,
                last_name=last,
                kind=Person.Kind.AGENT,
                unit=unit,
                job_title=rng.choice(JOB_TITLES.get(unit.code, DEFAULT_TITLES)),
                email=email_for(first, last, taken),
                phone=phone(rng),
                mobile=mobile(rng) if rng.random() < 0.4 else "",
                office=f"Bureau {rng.randint(1, 3)}{rng.randint(0, 4)}{rng.randint(0, 9)}",
            )
        )
    for _index in range(ELECTED - 1):  # plus the `elu` demo account
        first, last = name()
        people.append(
            Person(
                civility=rng.choice(["mr", "mrs"]),
                first_name=first,
                last_name=last,
                kind=Person.Kind.ELECTED,
                unit=rng.choice(groups),
                job_title="Membre du Congrès",
                email=email_for(first, last, taken),
                mobile=mobile(rng),
            )
        )
    for company in companies:
        for _n in range(rng.randint(1, 3)):
            first, last = name()
            people.append(
                Person(
                    first_name=first,
                    last_name=last,
                    kind=Person.Kind.CONTRACTOR_STAFF,
                    company=company,
                    job_title="Technicien d'intervention",
                    mobile=mobile(rng),
                    email=email_for(first, last, taken).replace("@congres.nc", "@prestataire.nc"),
                    access_until=today + timedelta(days=rng.randint(-20, 300))
                    if rng.random() < 0.5
                    else None,
                )
            )
    return Person.objects.bulk_create(people), taken


def link_accounts(units, companies, taken, rng):
    """Give each demo account its person in the directory."""
    users = {u.username: u for u in User.objects.filter(username__in=ACCOUNT_PEOPLE)}
    people = []
    for account in DEMO_ACCOUNTS:
        user = users.get(account.username)
        if user is None:
            continue
        unit_code, title, company_index = ACCOUNT_PEOPLE[account.username]
        company = companies[company_index] if company_index is not None else None
        kind = Person.Kind.AGENT
        if account.username == "elu":
            kind = Person.Kind.ELECTED
        elif company is not None:
            kind = Person.Kind.CONTRACTOR_STAFF
        people.append(
            Person(
                first_name=account.first_name,
                last_name=account.last_name,
                kind=kind,
                unit=units.get(unit_code),
                company=company,
                job_title=title,
                user=user,
                email=email_for(account.first_name, account.last_name, taken),
                phone=phone(rng),
            )
        )
    return Person.objects.bulk_create(people)


def load(*, stdout):
    """Create the demo directory; called by `manage.py load_demo`."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    units = create_units()
    companies = create_companies(rng, today)
    people, taken = create_people(rng, units, companies, today)
    account_people = link_accounts(units, companies, taken, rng)
    heads = {
        "DPTI": "direction",
        "SPI": "patrimoine",
        "SIT": "informatique",
        "SMB": "achats",
        "CPA": "flotte",
    }
    by_username = {p.user.username: p for p in account_people}
    for code, username in heads.items():
        units[code].manager = by_username[username]
        units[code].save(update_fields=["manager"])
    everyone = people + account_people
    teams = [
        ("Support informatique", "SIT"),
        ("Maintenance des bâtiments", "SPI"),
        ("Courrier et logistique", "SPML"),
        ("Conduite et entretien des véhicules", "CPA"),
    ]
    for team_name, code in teams:
        members = [p for p in everyone if p.unit_id == units[code].pk]
        team = Team.objects.create(name=team_name, unit=units[code], leader=members[0])
        team.members.set(members[:8])
    for obj in [*companies, *(p for p in everyone if p.access_until)]:
        sync_object_deadlines(obj)
    stdout.write(
        _(
            "Directory: %(units)d units, %(people)d people, %(companies)d companies, "
            "%(teams)d teams."
        )
        % {
            "units": len(units),
            "people": len(everyone),
            "companies": len(companies),
            "teams": len(teams),
        }
    )
