"""Importing the inventory a service really keeps: its own French headers, written-out
dates, spaced amounts excluding tax, rooms, categories, suppliers and holders by name.

The file goes through the mapping step (proposal, one correction, saved mapping), the dry
run reports exactly the bad rows in French, and — the import being all or nothing — the
corrected file, read again with the saved mapping, imports every row.
"""

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook

from dpti.assets.models import Asset
from dpti.core.models import ImportJob, ImportMapping
from tests.factories import (
    AssetCategoryFactory,
    BuildingFactory,
    CompanyFactory,
    FloorFactory,
    PersonFactory,
    RoomFactory,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "N° inventaire",
    "Désignation",
    "Famille",
    "Marque",
    "Date d'achat",
    "Valeur HT",
    "Fournisseur",
    "Local",
    "Affecté à",
    "Service",
    "Colonne perso",
]
GOOD_ROWS = [
    [
        "INV-2024-001",
        "Poste de travail",
        "Matériel informatique de test",
        "Dell",
        "5 mars 2024",
        "1 250 000",
        "Pacific Informatique",
        "Siège / Bureau 104",
        "WAMYTAN Jean",
        "DSI",
        "x",
    ],
    [
        "INV-2023-017",
        "Bureau droit 160",
        "T-MOB",
        "Majencia",
        datetime(2023, 11, 2),
        85000,
        "",
        "salle du conseil",
        "",
        "",
        "",
    ],
    [
        "INV-2024-002",
        "Siège ergonomique",
        "Mobilier de test",
        "Sokoa",
        "2024-01-15",
        "60 000 XPF",
        "pacific informatique",
        "Annexe Vauban - Bureau 104",
        "Jean Wamytan",
        "",
        "",
    ],
]
AMBIGUOUS = [
    "INV-2024-003",
    "Écran 24 pouces",
    "Matériel informatique de test",
    "Dell",
    "05/03/2024",
    "45 000",
    "",
    "Bureau 104",
    "",
    "",
    "",
]
UNKNOWN = ["INV-2024-004", "Armoire haute", "Mobilier inconnu", "", "1er février 2024",
           "120 000", "", "SIE-1-110", "", "", ""]  # fmt: skip
EXPECTED_MAPPING = {
    "N° inventaire": "inventory_number",
    "Désignation": "label",
    "Famille": "category",
    "Marque": "brand",
    "Date d'achat": "acquisition_date",
    "Valeur HT": "value:ht",
    "Fournisseur": "supplier",
    "Local": "room",
    "Affecté à": "holder",
    "Service": "holder_unit",
    "Colonne perso": "",
}


def french(message, **values):
    with translation.override("fr"):
        text = gettext(message)
    return text % values if values else text


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def references():
    """Two buildings each with a « Bureau 104 », categories, a supplier and a holder."""
    siege = FloorFactory(building=BuildingFactory(code="SIE", name="Siège"), level=1)
    annexe = FloorFactory(building=BuildingFactory(code="ANX", name="Annexe Vauban"), level=1)
    return {
        "siege_104": RoomFactory(floor=siege, code="SIE-1-104", name="Bureau 104"),
        "annexe_104": RoomFactory(floor=annexe, code="ANX-1-104", name="Bureau 104"),
        "conseil": RoomFactory(floor=siege, code="SIE-1-110", name="Salle du conseil"),
        "it": AssetCategoryFactory(code="T-INF", name="Matériel informatique de test"),
        "furniture": AssetCategoryFactory(code="T-MOB", name="Mobilier de test"),
        "supplier": CompanyFactory(name="Pacific Informatique", ridet="0345678.001"),
        "holder": PersonFactory(last_name="Wamytan", first_name="Jean"),
    }


def upload(client, name, content):
    return client.post(reverse("assets:asset_import"), {"file": SimpleUploadedFile(name, content)})


def row_errors(job):
    return {row["row"]: row["errors"] for row in job.report["rows"] if row["errors"]}


def test_a_messy_inventory_is_mapped_checked_then_imported_with_the_saved_mapping(
    manager, references
):
    """Mapping proposed from names and synonyms, the user corrects « Service »; the dry run
    names the ambiguous room and the unknown category on their rows and saves nothing; the
    corrected file reuses the saved mapping and imports every row with converted values."""
    content = xlsx([HEADER, GOOD_ROWS[0], GOOD_ROWS[1], AMBIGUOUS, UNKNOWN, GOOD_ROWS[2]])
    response = upload(manager, "inventaire service.xlsx", content)
    job = ImportJob.objects.get()
    mapping_url = reverse("assets:asset_import_mapping", args=[job.pk])
    assert response["Location"] == mapping_url

    page = manager.get(mapping_url)
    form = page.context["form"]
    proposed = {form[name].label: form[name].initial for _proposal, name in form.columns}
    assert proposed == EXPECTED_MAPPING
    html = page.content.decode()
    assert "5 mars 2024" in html  # the first values help recognise a column
    assert french("Save this mapping template") in html

    # « Service » holds the IT team's own labels, not units: the user ignores it.
    chosen = {name: form[name].initial for _proposal, name in form.columns}
    chosen["column_9"] = ""
    response = manager.post(
        mapping_url, {**chosen, "save_mapping": "on", "mapping_name": "Inventaire DSI"}
    )
    job.refresh_from_db()
    assert response["Location"] == reverse("assets:asset_import_job", args=[job.pk])
    assert job.status == ImportJob.Status.INVALID
    assert job.report["counts"] == {"create": 3, "update": 0, "unchanged": 0, "error": 2}
    rooms = french("rooms")
    candidates = ", ".join(
        french("“%(name)s”", name=references[key]) for key in ("annexe_104", "siege_104")
    )
    assert row_errors(job) == {
        4: [
            "Local\u00a0: "
            + french(
                "“%(value)s” names several %(types)s: %(candidates)s; write the %(key)s instead.",
                value="Bureau 104",
                types=rooms,
                candidates=candidates,
                key=french("code"),
            )
        ],
        5: [
            "Famille\u00a0: "
            + french(
                "No %(type)s has the %(key)s or the name “%(value)s”.",
                type=french("asset category"),
                key=french("code"),
                value="Mobilier inconnu",
            )
        ],
    }
    # All or nothing: a file with bad rows cannot be confirmed, nothing is saved.
    manager.post(reverse("assets:asset_import_commit", args=[job.pk]))
    assert not Asset.objects.exists()
    saved = ImportMapping.objects.get()
    assert saved.columns["service"] == ""
    assert saved.columns["valeurht"] == "value:ht"

    fixed_ambiguous = [*AMBIGUOUS[:7], "SIE-1-104", *AMBIGUOUS[8:]]
    fixed_unknown = [*UNKNOWN[:2], "T-MOB", *UNKNOWN[3:]]
    content = xlsx(
        [HEADER, GOOD_ROWS[0], GOOD_ROWS[1], fixed_ambiguous, fixed_unknown, GOOD_ROWS[2]]
    )
    response = upload(manager, "inventaire corrigé.xlsx", content)
    second = ImportJob.objects.order_by("-pk").first()
    assert response["Location"] == reverse("assets:asset_import_job", args=[second.pk])
    assert second.report["mapping_name"] == "Inventaire DSI"
    assert second.status == ImportJob.Status.VALIDATED, second.report
    manager.post(reverse("assets:asset_import_commit", args=[second.pk]))
    second.refresh_from_db()
    assert second.status == ImportJob.Status.DONE
    assert Asset.objects.count() == 5

    workstation = Asset.objects.get(inventory_number="INV-2024-001")
    assert workstation.acquisition_date == date(2024, 3, 5)
    assert workstation.value == 1_387_500  # 1 250 000 HT + TGC taux normal 11 %
    assert workstation.category == references["it"]
    assert workstation.supplier == references["supplier"]
    assert workstation.room == references["siege_104"]
    assert workstation.holder == references["holder"]
    assert workstation.holder_unit is None  # the ignored « Service » column
    desk = Asset.objects.get(inventory_number="INV-2023-017")
    assert (desk.acquisition_date, desk.value) == (date(2023, 11, 2), 94_350)
    assert (desk.category, desk.room) == (references["furniture"], references["conseil"])
    chair = Asset.objects.get(inventory_number="INV-2024-002")
    assert (chair.room, chair.value) == (references["annexe_104"], 66_600)
    assert Asset.objects.get(inventory_number="INV-2024-003").room == references["siege_104"]
    cabinet = Asset.objects.get(inventory_number="INV-2024-004")
    assert cabinet.acquisition_date == date(2024, 2, 1)
