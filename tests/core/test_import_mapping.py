"""The mapping step of imports: headers matched to fields, related records found by name,
dates and amounts as people write them, mappings saved for the next file."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext

from dpti.assets.models import Asset, AssetCategory
from dpti.core import roles
from dpti.core.imports import engine, jobs
from dpti.core.imports.columns import mapping_columns
from dpti.core.imports.lookups import RelatedLookup, fold_name
from dpti.core.imports.matching import (
    CLOSE,
    EXACT,
    NONE,
    SAVED,
    SYNONYM,
    needs_confirmation,
    propose_mapping,
    saved_form,
)
from dpti.core.imports.taxes import ExclTaxConverter, add_tax
from dpti.core.imports.values import CellError, parse_date, parse_integer
from dpti.core.models import ImportJob, ImportMapping
from dpti.core.registry import registry
from dpti.directory.models import Company, Person
from dpti.estate.models import Room
from tests.factories import (
    AssetCategoryFactory,
    BuildingFactory,
    CompanyFactory,
    FloorFactory,
    OrganisationUnitFactory,
    PersonFactory,
    RoomFactory,
)

pytestmark = pytest.mark.django_db

PERSON_IMPORT = "directory:person_import"


def french(message, **values):
    """The French translation of a source string, formatted."""
    with translation.override("fr"):
        text = gettext(message)
    return text % values if values else text


def proposal(object_type_model, header):
    """{header: (column id, how)} of the matcher's proposal for a header."""
    with translation.override("fr"):
        found = propose_mapping(registry.get(object_type_model), header)
    return {p.header: (p.choice, p.how) for p in found}


def csv_bytes(rows):
    text = "\n".join(";".join(str(cell) for cell in row) for row in rows) + "\n"
    return b"\xef\xbb\xbf" + text.encode("utf-8")


# The matcher ------------------------------------------------------------------------------
def test_headers_are_matched_by_name_synonym_and_close_name():
    """Own names (any case, accents, punctuation) come first, then the type's synonyms, then
    close names; a column nothing resembles is proposed as ignored."""
    found = proposal(
        Asset,
        [
            "LIBELLE",  # the field's French name, folded
            "N° inventaire",  # a declared synonym
            "Date d'acquisiton",  # a typo: close to « Date d'acquisition »
            "Valeur HT",  # the excluding-tax twin of the value
            "Couleur préférée",  # nothing like it
            "",
        ],
    )
    assert found["LIBELLE"] == ("label", EXACT)
    assert found["N° inventaire"] == ("inventory_number", SYNONYM)
    assert found["Date d'acquisiton"] == ("acquisition_date", CLOSE)
    assert found["Valeur HT"] == ("value:ht", SYNONYM)
    assert found["Couleur préférée"] == ("", NONE)


def test_a_field_is_proposed_for_one_column_only():
    """Two columns that both look like the value: the exact name wins, the other is ignored
    (two columns filling one field would be refused)."""
    found = proposal(Asset, ["Valeur HT", "Valeur d'acquisition TTC (XPF)"])
    assert found["Valeur d'acquisition TTC (XPF)"] == ("value", EXACT)
    assert found["Valeur HT"] == ("", NONE)


def test_the_template_header_needs_no_confirmation_a_messy_one_does():
    """A file whose headers are the fields' own names skips the mapping step."""
    ot = registry.get(Asset)
    with translation.override("fr"):
        assert not needs_confirmation(
            propose_mapping(ot, ["Libellé", "Catégorie", "Date d'acquisition"])
        )
        assert needs_confirmation(propose_mapping(ot, ["Désignation", "Catégorie"]))


def test_a_saved_mapping_decides_first_and_is_stored_folded():
    """A saved mapping maps the headers it knows (even to « ignore »), by their folded form."""
    ot = registry.get(Asset)
    saved = saved_form(["Désignation", "Prix"], ["notes", ""])
    assert saved == {"designation": "notes", "prix": ""}
    found = {p.header: (p.choice, p.how) for p in propose_mapping(ot, ["DESIGNATION"], saved)}
    assert found == {"DESIGNATION": ("notes", SAVED)}


# Values ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["5 mars 2024", "05/03/2024", "2024-03-05", "5-mars-24", "5 Mars 2024", "March 5, 2024", 45356],
)
def test_dates_as_people_write_them(text):
    """Written-out French or English months, dd/mm/yyyy, ISO and Excel serials all read."""
    assert parse_date(text) == date(2024, 3, 5)


def test_a_wrong_written_date_is_refused_in_french():
    """« 31 février 2024 » is no date: the cell's message says how to write one."""
    with translation.override("fr"), pytest.raises(CellError) as error:
        parse_date("31 février 2024")
    assert "31 février 2024" in error.value.message
    assert error.value.message.startswith("«")


@pytest.mark.parametrize("text", ["1 250 000", "1\u202f250\u202f000 XPF", "1 250 000 F CFP"])
def test_spaced_amounts(text):
    """Thousands separated by spaces (any kind), with the currency after."""
    assert parse_integer(text) == 1_250_000


def test_an_amount_excluding_tax_gets_the_tgc_in_force_on_the_row_date():
    """The asset's « value:ht » column adds the TGC taux normal (reference data) in force on
    the acquisition date, rounded to the franc."""
    ot = registry.get(Asset)
    spec = next(s for s in mapping_columns(ot) if s.id == "value:ht")
    converter = ExclTaxConverter(spec)
    assert converter(100_000, date(2024, 3, 5)) == 111_000
    assert add_tax(1_250_001, Decimal("11")) == 1_387_501
    with translation.override("fr"), pytest.raises(CellError) as error:
        converter(100_000, date(1990, 1, 1))
    assert "TN" in error.value.message
    assert "01/01/1990" in error.value.message


# Related records by name --------------------------------------------------------------------
@pytest.fixture
def rooms():
    """Two buildings, each with a « Bureau 104 »; one « Salle du conseil »."""
    siege = FloorFactory(building=BuildingFactory(code="SIE", name="Siège"), level=1)
    annexe = FloorFactory(building=BuildingFactory(code="ANX", name="Annexe Vauban"), level=1)
    return {
        "siege_104": RoomFactory(floor=siege, code="SIE-1-104", name="Bureau 104"),
        "annexe_104": RoomFactory(floor=annexe, code="ANX-1-104", name="Bureau 104"),
        "conseil": RoomFactory(floor=siege, code="SIE-1-110", name="Salle du conseil"),
    }


def test_a_room_is_found_by_code_by_building_and_name_or_by_its_own_name(rooms):
    """Code, « bâtiment + nom du local » with any separator, or a name no other room bears."""
    lookup = RelatedLookup(Room.objects.all())
    cells = ["sie-1-104", "Siège / Bureau 104", "ANNEXE VAUBAN - bureau 104", "SIE Bureau 104"]
    cells += ["salle du conseil"]
    lookup.preload(cells)
    assert lookup("sie-1-104") == rooms["siege_104"]
    assert lookup("Siège / Bureau 104") == rooms["siege_104"]
    assert lookup("ANNEXE VAUBAN - bureau 104") == rooms["annexe_104"]
    assert lookup("SIE Bureau 104") == rooms["siege_104"]
    assert lookup("salle du conseil") == rooms["conseil"]


def test_an_ambiguous_name_names_the_candidates_in_french(rooms):
    """« Bureau 104 » is in two buildings: the message lists both and asks for the code."""
    lookup = RelatedLookup(Room.objects.all())
    lookup.preload(["Bureau 104", "Bureau 999"])
    with translation.override("fr"):
        with pytest.raises(CellError) as ambiguous:
            lookup("Bureau 104")
        with pytest.raises(CellError) as unknown:
            lookup("Bureau 999")
    assert ambiguous.value.message == french(
        "“%(value)s” names several %(types)s: %(candidates)s; write the %(key)s instead.",
        value="Bureau 104",
        types=french("rooms"),
        candidates=", ".join(
            french("“%(name)s”", name=rooms[key]) for key in ("annexe_104", "siege_104")
        ),
        key=french("code"),
    )
    assert unknown.value.message == french(
        "No %(type)s has the %(key)s or the name “%(value)s”.",
        type=french("room"),
        key=french("code"),
        value="Bureau 999",
    )


def test_company_person_and_category_by_name():
    """A company by RIDET or name, a person by e-mail or « NOM Prénom », a category by code
    or label; a RIDET-shaped value no company bears says so."""
    company = CompanyFactory(name="Pacific Informatique", ridet="0345678.001")
    person = PersonFactory(last_name="Wamytan", first_name="Jean", email="jean.w@congres.nc")
    category = AssetCategoryFactory(code="TST-PC", name="Ordinateurs de test")
    companies = RelatedLookup(Company.objects.all())
    companies.preload(["pacific informatique", "0345678.001", "9999999.001"])
    people = RelatedLookup(Person.objects.all())
    people.preload(["WAMYTAN Jean", "Jean Wamytan", "jean.w@congres.nc"])
    categories = RelatedLookup(AssetCategory.objects.all())
    categories.preload(["ordinateurs de test", "tst-pc"])
    assert companies("pacific informatique") == companies("0345678.001") == company
    assert people("WAMYTAN Jean") == people("Jean Wamytan") == people("jean.w@congres.nc")
    assert people("WAMYTAN Jean") == person
    assert categories("ordinateurs de test") == categories("tst-pc") == category
    with translation.override("fr"), pytest.raises(CellError) as error:
        companies("9999999.001")
    assert error.value.message == french(
        "No %(type)s has the %(key)s “%(value)s”.",
        type=french("company"),
        key=french("RIDET number"),
        value="9999999.001",
    )


def test_names_are_resolved_in_bulk_not_row_by_row(rooms):
    """Naming rooms costs one query for the names, then one per block for the records,
    whatever the number of cells; a block named only by codes costs the code query alone."""
    lookup = RelatedLookup(Room.objects.all())
    cells = ["Siège / Bureau 104", "Annexe Vauban / Bureau 104", "Salle du conseil"] * 50
    with CaptureQueriesContext(connection) as queries:
        lookup.preload(cells)
    assert len(queries) == 3  # codes, names, records
    with CaptureQueriesContext(connection) as queries:
        lookup.preload(["SIE-1-110", "ANX-1-104"])
    assert len(queries) == 1
    assert fold_name("Siège — Bureau 104") == fold_name("siege/bureau104")


# The mapping step through the screens --------------------------------------------------------
@pytest.fixture
def admin(client_for):
    return client_for(roles.ADMINISTRATOR)


def messy_people():
    """People as a service keeps them: its own headers, a unit by code."""
    OrganisationUnitFactory(code="DPTI", name="Patrimoine et TI")
    return csv_bytes(
        [
            ["NOM", "Prénom", "Courriel", "Service", "Remarque"],
            ["Ito", "Ken", "ken.ito@congres.nc", "DPTI", "à revoir"],
        ]
    )


def test_a_wrong_mapping_is_refused_in_french_and_runs_nothing(admin):
    """Two columns on one field, or an unknown column id, are refused on the mapping page."""
    upload = admin.post(
        reverse(PERSON_IMPORT), {"file": SimpleUploadedFile("agents.csv", messy_people())}
    )
    job = ImportJob.objects.get()
    url = reverse("directory:person_import_mapping", args=[job.pk])
    assert upload["Location"] == url
    response = admin.post(
        url, {"column_0": "last_name", "column_1": "last_name", "column_2": "email"}
    )
    job.refresh_from_db()
    page = response.content.decode()
    assert response.status_code == 422
    with translation.override("fr"):
        field = capfirst(str(Person._meta.get_field("last_name").verbose_name))
    expected = french(
        "The columns “%(first)s” and “%(second)s” both fill “%(field)s”.",
        first="NOM",
        second="Prénom",
        field=field,
    )
    assert escape(expected) in page
    assert job.status == ImportJob.Status.MAPPING
    assert not Person.objects.exists()
    response = admin.post(url, {"column_0": "password", "column_1": "first_name"})
    assert response.status_code == 422
    assert "password" in response.content.decode()  # the choice is refused by name
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING


def test_saving_a_mapping_needs_a_name_then_applies_it_to_the_next_file(admin):
    """« Enregistrer ce modèle de correspondance » keeps the mapping for its owner; the next
    file with the same headers skips the mapping step."""
    content = messy_people()
    admin.post(reverse(PERSON_IMPORT), {"file": SimpleUploadedFile("a.csv", content)})
    job = ImportJob.objects.get()
    url = reverse("directory:person_import_mapping", args=[job.pk])
    chosen = {
        "column_0": "last_name",
        "column_1": "first_name",
        "column_2": "email",
        "column_3": "unit",
        "column_4": "notes",
        "save_mapping": "on",
    }
    response = admin.post(url, chosen)
    assert response.status_code == 422
    assert french("Give the mapping template a name to save it.") in response.content.decode()
    assert not ImportMapping.objects.exists()
    admin.post(url, {**chosen, "mapping_name": "Fichier RH"})
    job.refresh_from_db()
    saved = ImportMapping.objects.get()
    assert (saved.owner, saved.object_type, saved.name) == (
        admin.user,
        "directory.person",
        "Fichier RH",
    )
    assert saved.columns["courriel"] == "email"
    assert job.status == ImportJob.Status.VALIDATED, job.report

    response = admin.post(reverse(PERSON_IMPORT), {"file": SimpleUploadedFile("b.csv", content)})
    second = ImportJob.objects.order_by("-pk").first()
    assert response["Location"] == reverse("directory:person_import_job", args=[second.pk])
    assert second.report["mapping_name"] == "Fichier RH"
    assert second.status == ImportJob.Status.VALIDATED
    page = admin.get(response["Location"]).content.decode()
    assert "Fichier RH" in page
    admin.post(reverse("directory:person_import_commit", args=[second.pk]))
    person = Person.objects.get()
    assert (person.last_name, person.unit.code, person.notes) == ("Ito", "DPTI", "à revoir")


def test_another_users_mapping_is_not_applied(admin, client_for):
    """A saved mapping belongs to its owner: another user's file goes to the mapping step,
    and the mapping page of a user's file does not exist for another user."""
    content = messy_people()
    other = client_for(roles.ADMINISTRATOR)
    ImportMapping.objects.create(
        owner=other.user,
        object_type="directory.person",
        name="Le sien",
        columns=saved_form(
            ["NOM", "Prénom", "Courriel", "Service", "Remarque"],
            ["last_name", "first_name", "email", "unit", "notes"],
        ),
    )
    response = admin.post(reverse(PERSON_IMPORT), {"file": SimpleUploadedFile("a.csv", content)})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("directory:person_import_mapping", args=[job.pk])
    page = admin.get(response["Location"]).content.decode()
    assert "Le sien" not in page
    assert other.get(response["Location"]).status_code == 404  # his job, not the other's
    assert other.post(response["Location"], {"column_0": "last_name"}).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING


def test_names_cost_queries_per_block_not_per_row(user_with_role, monkeypatch):
    """A dry run whose rows name their companies by name (each row another one) costs the
    names once, then a fixed number of queries per block, whatever the rows in a block."""
    monkeypatch.setattr(engine, "BLOCK_ROWS", 3)
    admin = user_with_role(roles.ADMINISTRATOR)
    companies = CompanyFactory.create_batch(18)

    def queries_for(count):
        rows = [["last_name", "first_name", "company", "email"]]
        rows += [
            [f"Nom{i}", "Marie", companies[i].name.upper(), f"q{i}@congres.nc"]
            for i in range(count)
        ]
        content = csv_bytes(rows)
        job = jobs.create_job(registry.get(Person), admin, "noms.csv", content)
        with CaptureQueriesContext(connection) as queries:
            jobs.execute(job, jobs.VALIDATE)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.VALIDATED, job.report
        return len(queries.captured_queries)

    queries_for(1)  # warm caches (content types, permissions)
    one_block = queries_for(3)
    per_block = queries_for(6) - one_block
    # Per block: the people's keys, their unique e-mails, the companies' RIDET (the cells
    # are not RIDETs), then the records the names designate.
    assert per_block == 4
    assert queries_for(18) == one_block + 5 * per_block


def test_the_command_reads_a_file_with_the_users_saved_mapping(user_with_role, tmp_path):
    """import_objects applies the user's mapping named by --mapping (or the one that knows
    the headers); an unknown name is refused in French and nothing is saved."""
    user = user_with_role(roles.ADMINISTRATOR)
    path = tmp_path / "agents.csv"
    path.write_bytes(messy_people())
    header = ["NOM", "Prénom", "Courriel", "Service", "Remarque"]
    ImportMapping.objects.create(
        owner=user,
        object_type="directory.person",
        name="RH",
        columns=saved_form(header, ["last_name", "first_name", "email", "unit", ""]),
    )
    with translation.override("fr"), pytest.raises(CommandError) as error:
        call_command(
            "import_objects", "directory.person", str(path), "--user", user.username,
            "--mapping", "Paie", "--commit",
        )  # fmt: skip
    assert str(error.value) == french(
        "%(user)s has no column mapping named “%(name)s” for %(types)s.",
        user=user,
        name="Paie",
        types=french("people"),
    )
    assert not Person.objects.exists()
    call_command(
        "import_objects", "directory.person", str(path), "--user", user.username, "--commit"
    )
    person = Person.objects.get()
    assert (person.email, person.unit.code, person.notes) == ("ken.ito@congres.nc", "DPTI", "")
    assert ImportJob.objects.order_by("-pk").first().report["mapping_name"] == "RH"


def test_a_saved_mapping_is_listed_and_deleted_by_its_owner_only(admin, client_for):
    """The upload page lists the user's mapping templates; only their owner deletes one."""
    mine = ImportMapping.objects.create(
        owner=admin.user, object_type="directory.person", name="Annuaire RH", columns={}
    )
    other = client_for(roles.ADMINISTRATOR)
    page = admin.get(reverse(PERSON_IMPORT)).content.decode()
    assert "Annuaire RH" in page
    assert "Annuaire RH" not in other.get(reverse(PERSON_IMPORT)).content.decode()
    url = reverse("directory:person_import_mapping_delete", args=[mine.pk])
    assert other.post(url).status_code == 404
    assert ImportMapping.objects.filter(pk=mine.pk).exists()
    response = admin.post(url)
    assert response["Location"] == reverse(PERSON_IMPORT)
    assert not ImportMapping.objects.exists()


def test_every_declared_synonym_lookup_and_excl_tax_names_a_real_column():
    """Declarations are checked for every registered type: a synonym names an importable
    column, a name lookup a readable path, an excluding-tax amount an amount column."""
    for ot in registry:
        if not ot.allow_import:
            continue
        ids = {spec.id for spec in mapping_columns(ot)}
        assert set(ot.import_synonyms) <= ids, ot.label
        for entry in ot.import_name_lookups:
            paths = (entry,) if isinstance(entry, str) else entry
            ot.model._default_manager.values_list(*paths).first()  # raises on a wrong path
        assert {f"{name}:ht" for name in ot.import_excl_tax} <= ids, ot.label


def test_contract_lists_and_address_plans_are_recognised():
    """The headers of a contract list and of an address plan map to their fields."""
    from dpti.itpark.models import IpAddress
    from dpti.procurement.models import ContractLot

    lots = proposal(ContractLot, ["N° marché", "N° lot", "Titulaire", "Montant HT", "TGC"])
    assert {header: found[0] for header, found in lots.items()} == {
        "N° marché": "contract",
        "N° lot": "number",
        "Titulaire": "holder",
        "Montant HT": "amount_excl_tax",
        "TGC": "tax_rate",
    }
    plan = proposal(IpAddress, ["Adresse IP", "Nom DNS", "Équipement", "Usage"])
    assert {header: found[0] for header, found in plan.items()} == {
        "Adresse IP": "address",
        "Nom DNS": "dns_name",
        "Équipement": "device",
        "Usage": "description",
    }


def test_back_from_the_dry_run_to_change_the_mapping_until_the_import(admin):
    """A wrong choice shows in the dry run; « Modifier la correspondance des colonnes »
    reopens the mapping step with the choices made, and the corrected run validates. An
    imported file cannot go back."""
    admin.post(reverse(PERSON_IMPORT), {"file": SimpleUploadedFile("a.csv", messy_people())})
    job = ImportJob.objects.get()
    mapping_url = reverse("directory:person_import_mapping", args=[job.pk])
    wrong = {"column_0": "last_name", "column_1": "first_name", "column_2": "email"}
    admin.post(mapping_url, {**wrong, "column_3": "", "column_4": "unit"})  # « à revoir »
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    page = admin.get(reverse("directory:person_import_job", args=[job.pk])).content.decode()
    assert french("Change the column mapping") in page

    response = admin.post(reverse("directory:person_import_remap", args=[job.pk]))
    job.refresh_from_db()
    assert response["Location"] == mapping_url
    assert job.status == ImportJob.Status.MAPPING
    form = admin.get(mapping_url).context["form"]
    assert form["column_4"].initial == "unit"  # the choice made before
    assert form["column_3"].initial == ""
    admin.post(mapping_url, {**wrong, "column_3": "unit", "column_4": "notes"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED, job.report
    admin.post(reverse("directory:person_import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    admin.post(reverse("directory:person_import_remap", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Person.objects.get().notes == "à revoir"


def test_namesakes_are_told_apart_by_their_key_in_the_message():
    """Two « DUPONT Jean »: the message names each with its e-mail, so the user can choose."""
    first = PersonFactory(last_name="Dupont", first_name="Jean", email="jean.dupont@congres.nc")
    second = PersonFactory(last_name="Dupont", first_name="Jean", email="j.dupont@congres.nc")
    people = RelatedLookup(Person.objects.all())
    people.preload(["DUPONT Jean"])
    with translation.override("fr"), pytest.raises(CellError) as error:
        people("DUPONT Jean")
    assert f"{first} ({first.email})" in error.value.message
    assert f"{second} ({second.email})" in error.value.message


def test_a_saved_mapping_that_misses_a_header_is_offered_not_applied(admin):
    """A template that does not know every header of the file is offered on the mapping
    page; choosing it pre-selects its fields, the other columns keep the proposal."""
    saved = ImportMapping.objects.create(
        owner=admin.user,
        object_type="directory.person",
        name="Ancien fichier",
        columns={"nom": "last_name", "prenom": "first_name", "remarque": "job_title"},
    )
    admin.post(reverse(PERSON_IMPORT), {"file": SimpleUploadedFile("a.csv", messy_people())})
    job = ImportJob.objects.get()
    url = reverse("directory:person_import_mapping", args=[job.pk])
    assert job.status == ImportJob.Status.MAPPING
    page = admin.get(url)
    assert f"?saved={saved.pk}" in page.content.decode()
    assert page.context["form"]["column_4"].initial == "notes"  # « Remarque », a close name
    form = admin.get(url, {"saved": saved.pk}).context["form"]
    assert form["column_4"].initial == "job_title"
    assert form["column_2"].initial == "email"
    assert form["mapping_name"].initial == "Ancien fichier"
