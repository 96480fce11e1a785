"""Write the "existing inventory" spreadsheets the import tests read (run it to rebuild them).

    .venv/bin/python tests/assets/data/make_inventory.py

`inventaire_existant.xlsx`: 50 rows of an inventory kept in a spreadsheet before the system,
as a service would fill the import template: French headers, numbers of the old spreadsheet
(INV-2015-0042), some rows without a number, category and room codes, suppliers by RIDET,
holders by e-mail, dates written dd/mm/yyyy (a few as date cells), values with spaces
between thousands. `inventaire_erreurs.xlsx`: twelve rows, six of them wrong in one cell each.
The rooms, companies and people they name are created by the tests (`test_import.py`).
"""

import random
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
HEADER = [
    "Numéro d'inventaire",
    "Libellé",
    "Catégorie",
    "Marque",
    "Modèle",
    "Numéro de série",
    "Date d'acquisition",
    "Valeur d'acquisition TTC (XPF)",
    "Fournisseur",
    "Référence de la commande ou du marché",
    "Local",
    "Détenteur",
    "Service détenteur",
    "État",
    "Statut",
    "Fin de garantie",
    "Notes",
]
ROOMS = [f"VAU-B-1{n:02d}" for n in range(1, 9)]
PEOPLE = [
    "marie.neaoutyine@congres.nc",
    "jean.wamytan@congres.nc",
    "sylvie.tein@congres.nc",
    "kevin.hnawia@congres.nc",
]
PACIFIC, MOBILIER, FROID = "0345678.001", "0412233.001", "0587766.001"
# label, category, brand, model, value range, supplier, personal (holder instead of room only)
ITEMS = [
    ("Poste de travail", "INF-PC", "Dell", "OptiPlex 7010", (110_000, 160_000), PACIFIC, True),
    ("Ordinateur portable", "INF-PC", "Lenovo", "ThinkPad T14", (150_000, 240_000), PACIFIC, True),
    ("Écran 24 pouces", "INF-ECR", "Dell", "P2422H", (28_000, 45_000), PACIFIC, True),
    ("Siège de bureau", "MOB-SIE", "Sokoa", "Ergo", (45_000, 95_000), MOBILIER, False),
    ("Bureau droit 160 x 80", "MOB-BUR", "Majencia", "Arko", (60_000, 130_000), MOBILIER, False),
    ("Armoire haute", "MOB-RAN", "Majencia", "Optimum", (55_000, 120_000), MOBILIER, False),
    ("Climatiseur split", "CLIM", "Daikin", "FTXM35R", (120_000, 240_000), FROID, False),
    ("Smartphone", "TEL", "Samsung", "Galaxy A54", (55_000, 90_000), PACIFIC, True),
]


def thousands(value, rng):
    """A value as people type it: '1 250 000', '185 000 XPF', or a plain number cell."""
    choice = rng.random()
    if choice < 0.5:
        return f"{value:,}".replace(",", " ")
    if choice < 0.75:
        return f"{value:,} XPF".replace(",", "\u202f")
    return value


def inventory_rows():
    """The 50 rows of the valid file; every fifth row has no inventory number."""
    rng = random.Random(42)
    rows = []
    for index in range(50):
        label, category, brand, model, (low, high), supplier, personal = ITEMS[index % len(ITEMS)]
        year = 2013 + index % 12
        day = datetime(year, rng.randint(1, 12), rng.randint(1, 28))
        number = "" if index % 5 == 4 else f"INV-{year}-{index + 1:04d}"
        holder = PEOPLE[index % len(PEOPLE)] if personal else ""
        room = "" if category == "TEL" else ROOMS[index % len(ROOMS)]
        rows.append(
            [
                number,
                label,
                category,
                brand,
                model,
                f"SN{rng.randint(10**7, 10**8 - 1)}" if personal else "",
                day if index % 7 == 0 else day.strftime("%d/%m/%Y"),
                thousands(rng.randint(low, high) // 100 * 100, rng),
                supplier,
                f"BC-{year}-{rng.randint(1, 400):04d}",
                room,
                holder,
                "SIT" if personal else "",
                "Moyen" if year < 2018 else "Bon",
                "En stock" if index % 11 == 10 else "En service",
                f"{day.day:02d}/{day.month:02d}/{year + 3}" if category.startswith("INF") else "",
                "Repris de l'inventaire 2024 du service" if index % 9 == 0 else "",
            ]
        )
    return rows


def error_rows():
    """Twelve rows; rows 3, 5, 6, 8, 9 and 11 of the sheet are wrong in one cell each."""
    good = inventory_rows()[:12]
    rows = [list(row) for row in good]
    rows[1][2] = "INF-XYZ"  # sheet row 3: unknown category
    rows[3][10] = "VAU-Z-999"  # row 5: unknown room
    rows[4][6] = "31/02/2024"  # row 6: no such day
    rows[6][7] = "-15 000"  # row 8: negative value
    rows[7][0] = rows[5][0]  # row 9: same number as row 7
    rows[9][1] = ""  # row 11: no label
    return rows


def write(path, rows, title="Inventaire 2024"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


if __name__ == "__main__":
    write(HERE / "inventaire_existant.xlsx", inventory_rows())
    write(HERE / "inventaire_erreurs.xlsx", error_rows())
    print("Written:", HERE / "inventaire_existant.xlsx", HERE / "inventaire_erreurs.xlsx")  # noqa: T201
