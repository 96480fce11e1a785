"""Taking over an existing inventory spreadsheet, and rooms, through the generic import.

The files under data/ are written by data/make_inventory.py: French headers of the import
template, numbers of the old spreadsheet, rows without a number, codes, RIDET, e-mails.
"""

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from dpti.assets.models import Asset, AssetMovement
from dpti.core import roles
from dpti.core.models import Deadline, ImportJob
from dpti.core.models.numbering import NumberSequence
from dpti.estate.models import Room
from tests.assets.data import make_inventory as sheet
from tests.factories import (
    BuildingFactory,
    CompanyFactory,
    FloorFactory,
    OrganisationUnitFactory,
    PersonFactory,
    RoomFactory,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
VALID = DATA / "inventaire_existant.xlsx"
WITH_ERRORS = DATA / "inventaire_erreurs.xlsx"
RULE = re.compile(r"(\d{4})-\d{6}")


def french(message):
    with translation.override("fr"):
        return gettext(message)


def xlsx(rows):
    """XLSX bytes from rows, the first one being the header."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_rows(path):
    """The data rows of a file, as dicts keyed by the French headers."""
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def references():
    """The rooms, companies, service and people the inventory files name."""
    floor = FloorFactory(building=BuildingFactory(code="VAU-B"), level=1, name="1er étage")
    rooms = {code: RoomFactory(floor=floor, code=code) for code in sheet.ROOMS}
    companies = {
        ridet: CompanyFactory(ridet=ridet, name=name)
        for ridet, name in (
            (sheet.PACIFIC, "Pacific Informatique"),
            (sheet.MOBILIER, "Mobilier Bureau Pacifique"),
            (sheet.FROID, "Froid Service NC"),
        )
    }
    unit = OrganisationUnitFactory(code="SIT", name="Service informatique")
    people = {email: PersonFactory(email=email, unit=unit) for email in sheet.PEOPLE}
    return {"rooms": rooms, "companies": companies, "unit": unit, "people": people}


def import_file(client, name, content, url_name="assets:asset_import"):
    """Upload a file to an import page and confirm it when the check passed; return the job."""
    client.post(reverse(url_name), {"file": SimpleUploadedFile(name, content)})
    job = ImportJob.objects.order_by("-pk").first()
    if job.status == ImportJob.Status.VALIDATED:
        client.post(reverse(f"{url_name}_commit", args=[job.pk]))
        job.refresh_from_db()
    return job


def test_the_fixture_follows_the_import_template(manager):
    """The spreadsheet's headers are columns of the template downloaded from the import page."""
    response = manager.get(reverse("assets:asset_import_template"))
    template = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in template[1]]
    assert response.status_code == 200
    assert set(sheet.HEADER) <= set(headers)
    assert headers[0] == "Numéro d'inventaire"


def check_loaded(rows, references, job, user):
    """Every row became an asset, as the spreadsheet says, with its entry and its history."""
    assert job.status == ImportJob.Status.DONE, job.report
    assert Asset.objects.count() == len(rows)
    for row in rows:
        order = row["Référence de la commande ou du marché"]
        asset = Asset.objects.get(label=row["Libellé"], order_reference=order)
        assert asset.serial_number == (row["Numéro de série"] or "")
        if row["Numéro d'inventaire"]:
            assert asset.inventory_number == row["Numéro d'inventaire"]
        else:
            match = RULE.fullmatch(asset.inventory_number)
            assert match, asset.inventory_number
            assert int(match.group(1)) == asset.acquisition_date.year
        assert asset.category.code == row["Catégorie"]
        assert asset.supplier == references["companies"][row["Fournisseur"]]
        assert asset.holder == references["people"].get(row["Détenteur"])
        assert asset.room == references["rooms"].get(row["Local"])
    kept = [row["Numéro d'inventaire"] for row in rows if row["Numéro d'inventaire"]]
    assert Asset.objects.filter(inventory_number__in=kept).count() == len(kept)
    located = Asset.objects.exclude(room=None, holder=None)
    entries = AssetMovement.objects.filter(reason=french("Entry into the register"))
    assert entries.count() == located.count() > 0
    assert set(entries.values_list("moved_by", flat=True)) == {user.pk}
    created = LogEntry.objects.filter(action=LogEntry.Action.CREATE, actor=user)
    assert created.filter(content_type__model="asset").count() == len(rows)


def test_the_existing_inventory_loads_completely(manager, references):
    """All 50 rows load: old numbers kept, the ten missing ones given by the rule, links made."""
    rows = sheet_rows(VALID)
    assert sum(1 for row in rows if not row["Numéro d'inventaire"]) == 10
    job = import_file(manager, VALID.name, VALID.read_bytes())
    check_loaded(rows, references, job, manager.user)


def test_an_inventory_with_one_row_without_number_loads_completely(manager, references):
    """Old numbers are kept, the missing one comes from the rule, every link and value is read."""
    rows = [
        row
        for index, row in enumerate(sheet_rows(VALID))
        if row["Numéro d'inventaire"] or index == 4
    ]
    content = xlsx([sheet.HEADER, *([row[h] for h in sheet.HEADER] for row in rows)])
    job = import_file(manager, "inventaire.xlsx", content)
    check_loaded(rows, references, job, manager.user)
    laptop = Asset.objects.get(inventory_number="INV-2014-0002")
    assert laptop.value == 238_600  # written "238 600 XPF" with narrow no-break spaces
    assert laptop.acquisition_date == date(2014, 3, 24)
    assert laptop.warranty_end == date(2017, 3, 24)
    assert laptop.holder_unit == references["unit"]
    assert laptop.status == Asset.Status.IN_SERVICE
    assert Asset.objects.get(inventory_number="INV-2013-0001").value == 158_500
    generated = Asset.objects.exclude(inventory_number__startswith="INV-").get()
    assert generated.inventory_number == "2017-000001"
    assert NumberSequence.objects.get(scope="asset:year=2017").last_value == 1
    assert Asset.objects.filter(status=Asset.Status.IN_STOCK).exists()
    with_warranty = Asset.objects.exclude(warranty_end=None).count()
    assert Deadline.objects.filter(domain="assets", kind="warranty_end").count() == with_warranty


def test_a_file_with_bad_rows_is_refused_with_one_message_per_row(manager, references):
    """Each bad row gets one French message naming its column; nothing at all is saved."""
    job = import_file(manager, WITH_ERRORS.name, WITH_ERRORS.read_bytes())
    assert job.status == ImportJob.Status.INVALID
    assert job.report["counts"]["error"] == 6
    errors = {row["row"]: row["errors"] for row in job.report["rows"] if row["errors"]}
    expected_columns = {
        3: "Catégorie",
        5: "Local",
        6: "Date d'acquisition",
        8: "Valeur d'acquisition TTC (XPF)",
        9: "Numéro d'inventaire",
        11: "Libellé",
    }
    assert set(errors) == set(expected_columns)
    for number, column in expected_columns.items():
        assert len(errors[number]) == 1, errors[number]
        assert errors[number][0].startswith(f"{column}\u00a0:"), errors[number]
    assert "INF-XYZ" in errors[3][0]
    assert "VAU-Z-999" in errors[5][0]
    assert "31/02/2024" in errors[6][0]
    assert french("An amount cannot be negative.") in errors[8][0]
    assert "7" in errors[9][0]  # the row that has the number first
    assert errors[11][0] == f"Libellé\u00a0: {french('This field is required.')}"
    assert not Asset.objects.exists()
    assert not AssetMovement.objects.exists()
    assert not NumberSequence.objects.filter(scope__startswith="asset").exists()


def test_the_command_refuses_the_bad_file_and_saves_nothing(references, user_with_role, capsys):
    """import_objects --commit names each bad row and its column, and rolls everything back."""
    user = user_with_role(roles.PROPERTY_MANAGER)
    with pytest.raises(CommandError) as error:
        call_command(
            "import_objects", "assets.asset", str(WITH_ERRORS), "--user", user.username, "--commit"
        )
    assert error.value.returncode == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Ligne")]
    assert [line.split(":")[0] for line in lines] == [
        f"Ligne {n}\u202f" for n in (3, 5, 6, 8, 9, 11)
    ]
    assert not Asset.objects.exists()
    assert not LogEntry.objects.filter(content_type__model="asset").exists()


def test_rooms_are_taken_over_from_a_spreadsheet(manager, client_for):
    """Rooms load by floor name, code, French use label and comma decimals; codes update."""
    floor = FloorFactory(building=BuildingFactory(code="FOC-A", name="Immeuble Foch"), level=2)
    unit = OrganisationUnitFactory(code="SCOM")
    existing = RoomFactory(floor=floor, code="FOC-A-201", name="Bureau", area=10)
    content = xlsx(
        [
            ["Niveau", "Code", "Nom", "Usage", "Surface (m²)", "Capacité", "Service occupant"],
            [str(floor), "FOC-A-201", "Bureau du chef de service", "Bureau", "18,5", 1, "SCOM"],
            [str(floor), "FOC-A-202", "Salle Maré", "Salle de réunion", "42", 14, "SCOM"],
            [str(floor), "FOC-A-203", "Archives", "Archives", "1 025,75", "", ""],
        ]
    )
    job = import_file(
        client_for(roles.PROPERTY_MANAGER), "locaux.xlsx", content, "estate:room_import"
    )
    assert job.status == ImportJob.Status.DONE, job.report
    assert (job.created_count, job.updated_count) == (2, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.area, existing.occupying_unit) == (
        "Bureau du chef de service",
        Decimal("18.5"),
        unit,
    )
    meeting = Room.objects.get(code="FOC-A-202")
    assert (meeting.use, meeting.capacity, meeting.floor) == (Room.Use.MEETING_ROOM, 14, floor)
    assert Room.objects.get(code="FOC-A-203").area == Decimal("1025.75")
