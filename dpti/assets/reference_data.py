"""Editable defaults of a new installation: the M52 accounts, a nomenclature, the policy.

An administrator changes them as data; nothing here is a constant of the code.
"""

import datetime

ACCOUNTS = [
    ("2051", "Concessions et droits similaires (logiciels)"),
    ("2161", "Œuvres et objets d'art"),
    ("2182", "Matériel de transport"),
    ("2183", "Matériel de bureau et matériel informatique"),
    ("2184", "Mobilier"),
    ("2188", "Autres immobilisations corporelles"),
]

# (code, name, parent code, account, depreciated, duration, always capitalised)
CATEGORIES = [
    ("LOG", "Logiciels", None, "2051", True, 2, True),
    ("INF", "Matériel informatique", None, "2183", True, 4, False),
    ("INF-PC", "Postes de travail et portables", "INF", "2183", True, 4, False),
    ("INF-ECR", "Écrans", "INF", "2183", True, 5, False),
    ("INF-IMP", "Imprimantes et copieurs", "INF", "2183", True, 5, False),
    ("INF-SRV", "Serveurs et stockage", "INF", "2183", True, 5, False),
    ("INF-RES", "Équipements réseau", "INF", "2183", True, 5, False),
    ("TEL", "Téléphonie et appareils mobiles", None, "2183", True, 3, False),
    ("BUR", "Matériel de bureau", None, "2183", True, 5, False),
    ("AV", "Audiovisuel et sonorisation", None, "2188", True, 6, False),
    ("MOB", "Mobilier", None, "2184", True, 10, False),
    ("MOB-SIE", "Sièges", "MOB", "2184", True, 10, False),
    ("MOB-BUR", "Bureaux et tables", "MOB", "2184", True, 10, False),
    ("MOB-RAN", "Rangements", "MOB", "2184", True, 15, False),
    ("COF", "Coffres-forts", None, "2188", True, 25, True),
    ("CLIM", "Climatisation et électroménager", None, "2188", True, 8, False),
    ("VEH", "Véhicules légers", None, "2182", True, 7, True),
    ("ART", "Œuvres d'art", None, "2161", False, None, True),
]


def install_reference_data(**kwargs):
    """Install the defaults in a register that has no account yet (a new installation).

    Runs after every migrate, also after a test database flush; a register that holds
    accounts is never touched, so an administrator's choices are never overwritten.
    """
    from dpti.assets.models import AccountingAccount as Account
    from dpti.assets.models import AccountingPolicy as Policy
    from dpti.assets.models import AssetCategory as Category

    if Account.objects.exists():
        return
    accounts = {
        number: Account.objects.get_or_create(number=number, defaults={"label": label})[0]
        for number, label in ACCOUNTS
    }
    created = {}
    for code, name, parent, account, depreciated, duration, always in CATEGORIES:
        created[code], _new = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "parent": created.get(parent),
                "account": accounts[account],
                "is_depreciated": depreciated,
                "duration_years": duration,
                "always_capitalised": always,
            },
        )
    if not Policy.objects.exists():
        Policy.objects.create(
            name="Instruction M52 — règles par défaut",
            valid_from=datetime.date(2000, 1, 1),
            depreciation_method="m52",
            capitalisation_threshold=59_666,
            one_year_threshold=0,
            notes="Valeurs par défaut à confirmer par délibération de l'assemblée.",
        )
