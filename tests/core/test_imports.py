"""CSV/XLSX import of registered object types: checks, dry run, commit, rights, command."""

import io
import unicodedata
from datetime import date, datetime
from html import unescape
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from dpti.core import roles
from dpti.core.imports import jobs
from dpti.core.imports.columns import normalize
from dpti.core.imports.values import (
    CellError,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_integer,
)
from dpti.core.models import ImportJob
from dpti.directory.models import Company, OrganisationUnit, Person, Team
from tests.factories import (
    CompanyFactory,
    OrganisationUnitFactory,
    PersonFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
PERSON_IMPORT = "directory:person_import"
COMPANY_IMPORT = "directory:company_import"
UNIT_IMPORT = "directory:organisationunit_import"


def french(message, **values):
    """The French translation of a source string, formatted."""
    with translation.override("fr"):
        text = gettext(message)
    return text % values if values else text


def label(model, name, language="fr"):
    """A field's verbose name as a column header in the given language."""
    with translation.override(language):
        return str(model._meta.get_field(name).verbose_name).capitalize()


def csv_bytes(rows, separator=";", bom=True):
    """CSV content from a list of rows (the first one is the header)."""
    text = "\n".join(separator.join(str(cell) for cell in row) for row in rows) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def xlsx_bytes(rows):
    """XLSX content from a list of rows; Python dates and numbers become typed cells."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, url_name, name, content):
    """POST a file to an import page."""
    return client.post(reverse(url_name), {"file": SimpleUploadedFile(name, content)})


def last_job():
    return ImportJob.objects.order_by("-pk").first()


def confirm(client, job, url_name="directory:person_import_commit"):
    """Press "Confirm the import" on a job's page."""
    return client.post(reverse(url_name, args=[job.pk]))


def row_errors(job, number):
    """The error messages the report gives for one spreadsheet row."""
    return next(row["errors"] for row in job.report["rows"] if row["row"] == number)


@pytest.fixture
def units():
    """The organisation units the sample files name."""
    return {
        "DPTI": OrganisationUnitFactory(code="DPTI", name="Patrimoine et TI"),
        "SG": OrganisationUnitFactory(code="SG", name="Secrétariat général"),
    }


@pytest.fixture
def admin(client_for):
    return client_for(roles.ADMINISTRATOR)


def test_csv_dry_run_reports_the_bad_row_and_saves_nothing(admin, units):
    """A dry run lists each bad row by its spreadsheet number with "Column: message"."""
    response = upload(admin, PERSON_IMPORT, "people.csv", (DATA / "people.csv").read_bytes())
    job = last_job()
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:person_import_job", args=[job.pk])
    assert job.status == ImportJob.Status.INVALID
    assert job.created_by == admin.user
    assert job.report["counts"] == {"create": 2, "update": 0, "unchanged": 0, "error": 1}
    message = french("No %(type)s has the %(key)s “%(value)s”.") % {
        "type": french("organisation unit"),
        "key": french("code"),
        "value": "INCONNU",
    }
    assert row_errors(job, 4) == [f"Organisation unit\u00a0: {message}"]
    assert not Person.objects.exists()
    page = admin.get(response["Location"]).content.decode()
    assert escape(f"Organisation unit\u00a0: {message}") in page
    assert french("Confirm the import") not in page
    assert confirm(admin, job).status_code == 302
    assert not Person.objects.exists()


def test_invalid_ridet_is_reported_with_the_form_message(admin):
    """Rows are validated by the type's own form: the RIDET validator names row 4."""
    upload(admin, COMPANY_IMPORT, "companies.csv", (DATA / "companies.csv").read_bytes())
    job = last_job()
    expected = french(
        "Enter a RIDET number of 7 digits followed by the 3-digit establishment "
        "number, for example 1234567.001."
    )
    assert row_errors(job, 4) == [f"RIDET number\u00a0: {expected}"]
    assert job.report["counts"]["create"] == 2
    assert not Company.objects.exists()


def test_commit_creates_every_row_in_one_go(admin, units):
    """After a clean dry run, confirming saves every row with its author and parsed values."""
    content = (DATA / "people.csv").read_bytes().replace(b"INCONNU", b"DPTI")
    upload(admin, PERSON_IMPORT, "people.csv", content)
    job = last_job()
    assert job.status == ImportJob.Status.VALIDATED
    page = admin.get(reverse("directory:person_import_job", args=[job.pk])).content.decode()
    assert french("Confirm the import") in page
    assert not Person.objects.exists()
    response = confirm(admin, job)
    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count, job.error_count) == (3, 0, 0)
    assert Person.objects.count() == 3
    dupont = Person.objects.get(email="jean.dupont@congres.nc")
    assert dupont.unit == units["DPTI"]
    assert dupont.phone == "24 37 00"
    assert dupont.access_until == date(2026, 12, 31)
    assert dupont.is_active is True
    assert dupont.created_by == admin.user
    assert Person.objects.get(last_name="Wamytan").kind == Person.Kind.ELECTED
    assert Person.objects.get(last_name="Martin").is_active is False
    summary = admin.get(response["Location"]).content.decode()
    assert reverse("directory:person_list") in summary
    assert 'data-count="create">3<' in summary
    assert confirm(admin, job).status_code == 302
    assert Person.objects.count() == 3


def test_update_by_key_changes_the_record_and_history_names_the_importer(admin, units):
    """A row whose key matches an existing record updates it; the history records the actor."""
    person = PersonFactory(email="agent@congres.nc", phone="24 00 00", job_title="Chef")
    version = person.version
    content = csv_bytes([["E-mail", "Phone"], ["agent@congres.nc", "24 11 11"]])
    upload(admin, PERSON_IMPORT, "maj.csv", content)
    job = last_job()
    assert job.report["counts"] == {"create": 0, "update": 1, "unchanged": 0, "error": 0}
    confirm(admin, job)
    person.refresh_from_db()
    assert person.phone == "24 11 11"
    assert person.job_title == "Chef"  # columns left out keep their value
    assert person.version == version + 1
    assert Person.objects.count() == 1
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == admin.user
    assert entry.changes_dict["phone"] == ["24 00 00", "24 11 11"]


def test_unchanged_rows_are_counted_and_not_saved(admin, units):
    """A row that changes nothing is reported as unchanged and does not bump the version."""
    person = PersonFactory(email="agent@congres.nc", phone="24 00 00")
    upload(
        admin,
        PERSON_IMPORT,
        "same.csv",
        csv_bytes([["email", "phone"], [person.email, "24 00 00"]]),
    )
    job = last_job()
    assert job.report["counts"]["unchanged"] == 1
    confirm(admin, job)
    person.refresh_from_db()
    assert person.version == 1
    assert not LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE)


def test_xlsx_file_with_typed_cells(admin):
    """An Excel file is read with its date, number and boolean cells."""
    headers = [label(Company, n) for n in ("name", "ridet", "is_supplier", "is_contractor")]
    headers += [label(Company, "phone"), label(Company, "certificates_valid_until")]
    content = xlsx_bytes(
        [
            headers,
            ["Froid Services", "1234567.002", True, False, 243700, datetime(2026, 3, 31)],
            [None, None, None, None, None, None],
            ["Électricité du Sud", "2345678.001", "non", "x", "24 37 01", "15/01/2027"],
        ]
    )
    upload(admin, COMPANY_IMPORT, "entreprises.xlsx", content)
    job = last_job()
    assert job.status == ImportJob.Status.VALIDATED, job.report
    assert [row["row"] for row in job.report["rows"]] == [2, 4]
    confirm(admin, job, "directory:company_import_commit")
    froid = Company.objects.get(ridet="1234567.002")
    assert (froid.is_supplier, froid.is_contractor) == (True, False)
    assert froid.phone == "243700"
    assert froid.certificates_valid_until == date(2026, 3, 31)
    sud = Company.objects.get(ridet="2345678.001")
    assert (sud.is_supplier, sud.is_contractor) == (False, True)
    assert sud.certificates_valid_until == date(2027, 1, 15)


def test_foreign_keys_by_natural_key_and_not_found(admin, units):
    """Related records are named by their type's key (unit code, company RIDET)."""
    company = CompanyFactory(ridet="1111111.001")
    content = csv_bytes(
        [
            [
                label(Person, "last_name"),
                label(Person, "first_name"),
                "Kind",
                "organisation unit",
                "company",
                "email",
            ],
            ["Kasovi", "Léa", "contractor_staff", "sg", "1111111.001", "lea@ext.nc"],
            ["Gope", "Eric", "contractor_staff", "DPTI", "9999999.001", "eric@ext.nc"],
        ]
    )
    upload(admin, PERSON_IMPORT, "fk.csv", content)
    job = last_job()
    message = french("No %(type)s has the %(key)s “%(value)s”.") % {
        "type": french("company"),
        "key": french("RIDET number"),
        "value": "9999999.001",
    }
    assert row_errors(job, 3) == [f"company\u00a0: {message}"]
    assert row_errors(job, 2) == []
    assert job.report["counts"]["create"] == 1
    content = content.replace(b"9999999.001", b"1111111.001")
    upload(admin, PERSON_IMPORT, "fk.csv", content)
    confirm(admin, last_job())
    lea = Person.objects.get(email="lea@ext.nc")
    assert (lea.unit, lea.company) == (units["SG"], company)


def test_choices_by_french_label_english_label_or_value(admin):
    """A choice column accepts the French label, the English label and the stored value."""
    with translation.override("fr"):
        elected_fr = str(Person.Kind.ELECTED.label)
        header = [label(Person, n) for n in ("last_name", "first_name", "kind", "email")]
    content = csv_bytes(
        [
            header,
            ["A", "Un", elected_fr.upper(), "a@congres.nc"],
            ["B", "Deux", "Elected member", "b@congres.nc"],
            ["C", "Trois", "contractor_staff", "c@congres.nc"],
            ["D", "Quatre", "Président", "d@congres.nc"],
        ]
    )
    upload(admin, PERSON_IMPORT, "kinds.csv", content)
    job = last_job()
    assert [row["action"] for row in job.report["rows"] if row["row"] in (2, 3)] == [
        "create",
        "create",
    ]
    # A contractor's employee needs a company: the model constraint is checked too.
    assert row_errors(job, 4) == [french("A contractor's employee must belong to a company.")]
    [error] = row_errors(job, 5)
    assert error.startswith(f"{header[2]}\u00a0: ")
    assert "Président" in error
    assert elected_fr in error


def test_value_parsers():
    """Booleans, dates and amounts are read in the ways spreadsheets write them."""
    for word in ("oui", "Vrai", "YES", "true", "1", "x", 1, True):
        assert parse_bool(word) is True
    for word in ("non", "faux", "No", "false", "0", 0, False):
        assert parse_bool(word) is False
    with pytest.raises(CellError):
        parse_bool("peut-être")
    for text in ("31/12/2026", "31/12/26", "2026-12-31", "31/12/2026 00:00:00", 46387):
        assert parse_date(text) == date(2026, 12, 31)
    assert parse_date(datetime(2026, 12, 31, 10, 0)) == date(2026, 12, 31)
    with pytest.raises(CellError):
        parse_date("31/02/2026")
    assert parse_datetime("31/12/2026 14:30") == datetime(2026, 12, 31, 14, 30)
    assert parse_integer("1 234 567") == 1234567
    assert parse_integer("1\u00a0234\u202f567 XPF") == 1234567
    assert parse_integer(1234567.0) == 1234567
    assert parse_integer("12,00") == 12
    with pytest.raises(CellError):
        parse_integer("12,5")
    assert normalize(" Unité  Organisationnelle ") == normalize("unite_organisationnelle")


def test_booleans_and_dates_in_a_file(admin):
    """Empty boolean cells mean no; short and ISO dates are accepted; bad ones are named."""
    content = csv_bytes(
        [
            ["name", "ridet", "is_supplier", "is_contractor", "certificates_valid_until"],
            ["Alpha", "3000000.001", "", "OUI", "1/2/27"],
            ["Beta", "3000001.001", "faux", "X", "2027-02-01"],
            ["Gamma", "3000002.001", "peut-être", "non", "32/01/2027"],
        ],
        separator=",",
        bom=False,
    )
    upload(admin, COMPANY_IMPORT, "booleens.csv", content)
    job = last_job()
    errors = row_errors(job, 4)
    assert errors == [
        "is_supplier\u00a0: "
        + french("“%(value)s” is not yes or no; write oui or non (or 1/0, x).")
        % {"value": "peut-être"},
        "certificates_valid_until\u00a0: "
        + french("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": "32/01/2027"},
    ]
    upload(admin, COMPANY_IMPORT, "booleens.csv", content.split(b"Gamma")[0])
    confirm(admin, last_job(), "directory:company_import_commit")
    alpha, beta = Company.objects.order_by("name")
    assert (alpha.is_supplier, alpha.is_contractor) == (False, True)
    assert (beta.is_supplier, beta.is_contractor) == (False, True)
    assert alpha.certificates_valid_until == beta.certificates_valid_until == date(2027, 2, 1)


def without_accents(text):
    """The text with its accents removed, as people sometimes type headers."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def test_headers_match_whatever_the_case_accents_and_language(admin, units):
    """Headers match a field by name or label, French or English, ignoring case and accents."""
    header = [
        label(Person, "last_name").upper(),
        without_accents(label(Person, "first_name")).lower(),
        "  E-MAIL ",
        without_accents(label(Person, "unit")),
    ]
    english_last_name = label(Person, "last_name", "en").title()
    content = csv_bytes([[*header, english_last_name], ["Dui", "Ana", "ana@x.nc", "DPTI", "Dui"]])
    response = upload(admin, PERSON_IMPORT, "entetes.csv", content)
    assert response.status_code == 422
    expected = french("The columns “%(first)s” and “%(second)s” both fill “%(field)s”.") % {
        "first": header[0],
        "second": english_last_name,
        "field": label(Person, "last_name"),
    }
    assert escape(expected) in response.content.decode()
    upload(
        admin, PERSON_IMPORT, "entetes.csv", csv_bytes([header, ["Dui", "Ana", "ana@x.nc", "DPTI"]])
    )
    confirm(admin, last_job())
    assert Person.objects.get(email="ana@x.nc").unit == units["DPTI"]


def test_unknown_column_goes_to_the_mapping_step_where_it_may_be_ignored(admin):
    """A column no field is named after is not refused: the mapping step proposes to ignore
    it, nothing runs before the user confirms, then the other columns import."""
    content = csv_bytes([["last_name", "first_name", "Pointure"], ["Ito", "Ken", "42"]])
    response = upload(admin, PERSON_IMPORT, "inconnu.csv", content)
    job = last_job()
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:person_import_mapping", args=[job.pk])
    assert job.status == ImportJob.Status.MAPPING
    page = admin.get(response["Location"]).content.decode()
    assert "Pointure" in page
    assert f'<option value="" selected>{french("Ignore")}</option>' in page
    assert not Person.objects.exists()
    response = admin.post(
        reverse("directory:person_import_mapping", args=[job.pk]),
        {"column_0": "last_name", "column_1": "first_name", "column_2": ""},
    )
    job.refresh_from_db()
    assert response["Location"] == reverse("directory:person_import_job", args=[job.pk])
    assert job.status == ImportJob.Status.VALIDATED, job.report
    assert job.report["mapping"] == ["last_name", "first_name", ""]
    confirm(admin, job)
    assert Person.objects.get().last_name == "Ito"


def test_missing_required_column_is_refused(admin):
    """Without a key column every row creates a record, so required columns must be there."""
    response = upload(admin, PERSON_IMPORT, "partiel.csv", csv_bytes([["last_name"], ["Ito"]]))
    expected = french("Required columns are missing: %(missing)s.") % {
        "missing": f"«\u00a0{label(Person, 'first_name')}\u00a0»"
    }
    assert response.status_code == 422
    assert escape(expected) in response.content.decode()


def test_missing_required_column_with_a_key_only_blocks_new_records(admin):
    """With a key column, a partial file may update records but not create them."""
    PersonFactory(email="connu@congres.nc")
    content = csv_bytes(
        [["email", "phone"], ["connu@congres.nc", "24 22 22"], ["neuf@congres.nc", ""]]
    )
    upload(admin, PERSON_IMPORT, "partiel.csv", content)
    job = last_job()
    assert job.report["counts"]["update"] == 1
    assert any(label(Person, "last_name") in error for error in row_errors(job, 3))


def test_wrong_file_type_empty_file_and_too_many_columns_are_refused(admin):
    """Only non-empty .csv and .xlsx files with at most 200 columns are accepted."""
    response = upload(admin, PERSON_IMPORT, "liste.pdf", b"%PDF-1.4 fake")
    assert response.status_code == 422
    assert (
        escape(
            french(
                "Only CSV (.csv) and Excel (.xlsx) files can be imported; “%(name)s” is neither."
            )
            % {"name": "liste.pdf"}
        )
        in response.content.decode()
    )
    response = upload(admin, PERSON_IMPORT, "vide.csv", b"")
    assert response.status_code == 422
    response = upload(admin, PERSON_IMPORT, "faux.xlsx", b"not a zip at all")
    assert (
        escape(french("This file is not a valid Excel (.xlsx) file.")) in response.content.decode()
    )
    wide = csv_bytes([[f"c{i}" for i in range(201)], ["x"] * 201])
    response = upload(admin, PERSON_IMPORT, "large.csv", wide)
    assert (
        escape(
            french("The file has %(count)d columns; at most %(max)d are accepted.")
            % {"count": 201, "max": 200}
        )
        in response.content.decode()
    )
    assert not ImportJob.objects.exists()


def test_file_over_the_size_limit_is_refused(admin, settings):
    """A file larger than IMPORT_MAX_BYTES is refused before being read."""
    settings.DPTI = {**settings.DPTI, "IMPORT_MAX_BYTES": 100}
    content = csv_bytes([["last_name"], ["x" * 200]])
    response = upload(admin, PERSON_IMPORT, "gros.csv", content)
    with translation.override("fr"):
        expected = gettext("The file is too large (%(size)s); the limit is %(limit)s.") % {
            "size": filesizeformat(len(content)),
            "limit": filesizeformat(100),
        }
    assert response.status_code == 422
    assert escape(expected) in response.content.decode()
    assert not ImportJob.objects.exists()


def test_duplicate_key_in_the_file_is_an_error(admin):
    """The same key twice in a file is an error on the second row, naming the first."""
    content = csv_bytes(
        [
            ["last_name", "first_name", "email"],
            ["Un", "A", "double@congres.nc"],
            ["Deux", "B", "autre@congres.nc"],
            ["Trois", "C", "double@congres.nc"],
        ]
    )
    upload(admin, PERSON_IMPORT, "doublon.csv", content)
    job = last_job()
    expected = french("“%(value)s” is already on row %(row)d; a key may appear only once.") % {
        "value": "double@congres.nc",
        "row": 2,
    }
    assert row_errors(job, 4) == [f"email\u00a0: {expected}"]
    assert job.status == ImportJob.Status.INVALID


def test_unique_values_taken_in_database_or_repeated_in_the_file(admin, user_with_role, units):
    """A unique value already stored, or repeated in the file, is an error; nothing is saved."""
    taken, free = user_with_role(None), user_with_role(None)
    PersonFactory(user=taken)
    content = csv_bytes(
        [
            ["last_name", "first_name", "email", "user account"],
            ["A", "Un", "a@congres.nc", taken.username],
            ["B", "Deux", "b@congres.nc", free.username],
            ["C", "Trois", "c@congres.nc", free.username],
        ]
    )
    upload(admin, PERSON_IMPORT, "comptes.csv", content)
    job = last_job()
    with translation.override("fr"):
        stored = " ".join(Person().unique_error_message(Person, ["user"]).messages)
    assert row_errors(job, 2) == [f"user account\u00a0: {stored}"]
    assert row_errors(job, 3) == []
    assert row_errors(job, 4) == [
        "user account\u00a0: "
        + french("The same value is already on row %(row)d of the file.") % {"row": 3}
    ]
    assert Person.objects.count() == 1


def test_unique_constraint_on_several_fields(admin, units):
    """A team name is unique within its unit, in the database and within the file."""
    TeamFactory(name="Support", unit=units["DPTI"])
    content = csv_bytes(
        [
            ["name", "organisation unit"],
            ["Support", "DPTI"],
            ["Support", "SG"],
            ["Réseau", "SG"],
            ["Support", "SG"],
        ]
    )
    upload(admin, "directory:team_import", "equipes.csv", content)
    job = last_job()
    assert row_errors(job, 2) == [french("This unit already has a team with this name.")]
    assert row_errors(job, 3) == row_errors(job, 4) == []
    assert row_errors(job, 5) == [
        french("%(message)s Same values as row %(row)d of the file.")
        % {"message": french("This unit already has a team with this name."), "row": 3}
    ]
    assert job.report["counts"] == {"create": 2, "update": 0, "unchanged": 0, "error": 2}
    assert Team.objects.count() == 1


def test_commit_revalidates_and_saves_nothing_when_a_row_fails(admin, user_with_role, units):
    """A conflict appearing after the dry run stops the commit; earlier rows are not kept."""
    account = user_with_role(None)
    content = csv_bytes(
        [
            ["last_name", "first_name", "email", "user account"],
            ["Premier", "Ok", "ok@congres.nc", ""],
            ["Second", "Conflit", "conflit@congres.nc", account.username],
        ]
    )
    upload(admin, PERSON_IMPORT, "conflit.csv", content)
    job = last_job()
    assert job.status == ImportJob.Status.VALIDATED
    PersonFactory(user=account)
    confirm(admin, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert job.report["phase"] == "commit"
    assert len(row_errors(job, 3)) == 1
    assert not Person.objects.filter(email__in=["ok@congres.nc", "conflit@congres.nc"]).exists()
    page = admin.get(reverse("directory:person_import_job", args=[job.pk])).content.decode()
    assert french("Errors were found while importing; nothing has been saved.") in unescape(page)


def test_updates_need_the_change_permission(client_for):
    """A user who may add but not change records cannot update one through an import."""
    client = client_for(None)
    client.user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_company", "add_company"])
    )
    company = CompanyFactory(ridet="4000000.001", city="Nouméa")
    content = csv_bytes([["name", "ridet", "city"], ["Autre nom", "4000000.001", "Koné"]])
    upload(client, COMPANY_IMPORT, "maj.csv", content)
    job = last_job()
    assert row_errors(job, 2) == [
        "ridet\u00a0: " + french("A record with this key exists but you may not change it.")
    ]
    company.refresh_from_db()
    assert company.city == "Nouméa"


def test_many_to_many_column_by_name_or_label(admin):
    """A many-to-many cell lists records separated by semicolons, by name or displayed label."""
    with translation.override("fr"):
        manager_label = str(roles.role_label(roles.IT_MANAGER))
    content = csv_bytes(
        [
            ["username", "first_name", "last_name", "email", "groups"],
            ["jdoe", "John", "Doe", "jdoe@congres.nc", f"technician; {manager_label}"],
            ["xdoe", "Xavier", "Doe", "xdoe@congres.nc", "ghost_role"],
        ],
        separator=",",
    )
    upload(admin, "core:user_import", "comptes.csv", content)
    job = last_job()
    assert row_errors(job, 2) == []
    assert len(row_errors(job, 3)) == 1
    assert "ghost_role" in row_errors(job, 3)[0]
    upload(admin, "core:user_import", "comptes.csv", content.split(b"xdoe")[0])
    confirm(admin, last_job(), "core:user_import_commit")
    user = get_user_model().objects.get(username="jdoe")
    assert set(user.groups.values_list("name", flat=True)) == {roles.TECHNICIAN, roles.IT_MANAGER}


def test_unit_rows_may_name_a_parent_created_earlier_in_the_file(admin):
    """A unit's parent may be a unit created by an earlier row of the same file."""
    content = csv_bytes(
        [
            ["code", "name", "kind", "parent unit"],
            ["DIR", "Direction", "directorate", ""],
            ["SRV", "Service", "service", "DIR"],
        ]
    )
    upload(admin, UNIT_IMPORT, "arbre.csv", content)
    job = last_job()
    assert job.status == ImportJob.Status.VALIDATED, job.report
    confirm(admin, job, "directory:organisationunit_import_commit")
    assert OrganisationUnit.objects.get(code="SRV").parent == OrganisationUnit.objects.get(
        code="DIR"
    )


def test_technician_may_not_import(client_for):
    """Importing needs the right to add records: a technician gets 403 and sees no button."""
    technician = client_for(roles.TECHNICIAN)
    assert technician.get(reverse(PERSON_IMPORT)).status_code == 403
    response = upload(technician, PERSON_IMPORT, "people.csv", (DATA / "people.csv").read_bytes())
    assert response.status_code == 403
    assert technician.get(reverse("directory:person_import_template")).status_code == 403
    assert (
        reverse(PERSON_IMPORT)
        not in technician.get(reverse("directory:person_list")).content.decode()
    )
    assert not ImportJob.objects.exists()
    assert not Person.objects.exclude(user=technician.user).exists()


def test_import_button_shows_for_managers(admin):
    """The list page offers the import to users who may add records."""
    assert reverse(PERSON_IMPORT) in admin.get(reverse("directory:person_list")).content.decode()


def test_other_users_jobs_are_not_found(admin, client_for):
    """A job's page belongs to the user who uploaded the file."""
    upload(admin, COMPANY_IMPORT, "companies.csv", (DATA / "companies.csv").read_bytes())
    other = client_for(roles.ADMINISTRATOR)
    job = last_job()
    assert other.get(reverse("directory:company_import_job", args=[job.pk])).status_code == 404
    assert other.post(reverse("directory:company_import_commit", args=[job.pk])).status_code == 404


def test_scoped_user_cannot_import_records_outside_his_scope(client_for):
    """A contractor may only create people of his own company; one stray row saves nothing."""
    contractor = client_for(roles.CONTRACTOR)
    contractor.user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_person", "change_person"])
    )
    own = Person.objects.get(user=contractor.user).company
    other = CompanyFactory()
    before = Person.objects.count()
    content = csv_bytes(
        [
            ["last_name", "first_name", "kind", "company", "email"],
            ["Mine", "Ok", "contractor_staff", own.ridet, "ok@ext.nc"],
            ["Stray", "No", "agent", "", "stray@ext.nc"],
            ["Other", "Firm", "contractor_staff", other.ridet, "other@ext.nc"],
        ]
    )
    upload(contractor, PERSON_IMPORT, "equipe.csv", content)
    job = last_job()
    assert job.status == ImportJob.Status.INVALID
    assert row_errors(job, 2) == []
    assert row_errors(job, 3) == [
        french("This record would be outside what you may manage; it cannot be imported.")
    ]
    # Related records are looked up only among those the user may see.
    assert row_errors(job, 4) == [
        "company\u00a0: "
        + french("No %(type)s has the %(key)s “%(value)s”.")
        % {"type": french("company"), "key": french("RIDET number"), "value": other.ridet}
    ]
    assert Person.objects.count() == before
    upload(contractor, PERSON_IMPORT, "equipe.csv", content.split(b"Stray")[0])
    confirm(contractor, last_job())
    assert Person.objects.get(email="ok@ext.nc").company == own
    assert Person.objects.count() == before + 1


def test_template_has_the_import_columns_and_an_explanation_sheet(admin):
    """The template's header is the import columns in French; a second sheet explains them."""
    response = admin.get(reverse("directory:person_import_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    data, help_sheet = workbook.worksheets
    header = [cell.value for cell in data[1]]
    assert header[:3] == [
        label(Person, "civility"),
        label(Person, "last_name"),
        label(Person, "first_name"),
    ]
    explained = {row[0].value: row for row in help_sheet.iter_rows(min_row=2) if row[0].value}
    assert explained[label(Person, "last_name")][1].value == french("Yes")
    assert (
        french("A date written dd/mm/yyyy, or an Excel date.")
        == explained[label(Person, "access_until")][2].value
    )
    unit_help = explained[label(Person, "unit")][2].value
    assert french("code") in unit_help
    # The template, once filled, imports as it is.
    data.append(["", "Kaouma", "Rose", "", "", "", "", "rose@congres.nc"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload(admin, PERSON_IMPORT, "modele.xlsx", buffer.getvalue())
    assert last_job().status == ImportJob.Status.VALIDATED, last_job().report["rows"]


def test_large_files_run_in_the_background_and_the_page_polls(admin, units, settings, monkeypatch):
    """Above IMPORT_BACKGROUND_ROWS the check runs in a thread; the page polls its progress."""
    settings.DPTI = {**settings.DPTI, "IMPORT_BACKGROUND_ROWS": 2}
    started = []

    class FakeThread:
        def __init__(self, target, args, daemon, name):
            started.append((target, args, daemon))

        def start(self):
            pass

    monkeypatch.setattr(jobs.threading, "Thread", FakeThread)
    upload(admin, PERSON_IMPORT, "people.csv", (DATA / "people.csv").read_bytes())
    job = last_job()
    assert job.status == ImportJob.Status.VALIDATING
    assert started == [(jobs._run_in_background, (job.pk, jobs.VALIDATE), True)]
    cache.set(
        jobs.progress_key(job.pk), {"phase": "validate", "done": 2, "total": 3, "percent": 66}
    )
    page = admin.get(reverse("directory:person_import_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "width: 66%" in page
    progress_url = reverse("directory:person_import_progress", args=[job.pk])
    assert 'aria-valuenow="66"' in admin.get(progress_url, HTTP_HX_REQUEST="true").content.decode()
    jobs.execute_safely(job, jobs.VALIDATE)
    done = admin.get(progress_url, HTTP_HX_REQUEST="true")
    assert done.status_code == 204
    assert done["HX-Refresh"] == "true"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert cache.get(jobs.progress_key(job.pk)) is None


def test_command_dry_run_fails_on_errors_and_commit_saves(units, user_with_role, tmp_path, capsys):
    """import_objects exits non-zero on errors, saves nothing without --commit, all with it."""
    user = user_with_role(roles.ADMINISTRATOR)
    bad = tmp_path / "people.csv"
    bad.write_bytes((DATA / "people.csv").read_bytes())
    with pytest.raises(CommandError) as error:
        call_command("import_objects", "directory.person", str(bad), "--user", user.username)
    assert error.value.returncode == 1
    assert "INCONNU" in capsys.readouterr().err
    assert not Person.objects.exists()
    good = tmp_path / "good.csv"
    good.write_bytes(bad.read_bytes().replace(b"INCONNU", b"SG"))
    call_command("import_objects", "directory.person", str(good), "--user", user.username)
    assert not Person.objects.exists()
    call_command(
        "import_objects", "directory.person", str(good), "--user", user.username, "--commit"
    )
    output = capsys.readouterr()
    assert Person.objects.count() == 3
    assert Person.objects.get(last_name="Martin").unit == units["SG"]
    assert "100%" in output.err
    job = last_job()
    assert (job.status, job.created_count, job.created_by) == (ImportJob.Status.DONE, 3, user)


def test_command_refuses_a_user_without_the_right(user_with_role, tmp_path):
    """The command applies the rights of the user it runs as."""
    technician = user_with_role(roles.TECHNICIAN)
    path = tmp_path / "people.csv"
    path.write_bytes((DATA / "people.csv").read_bytes())
    with pytest.raises(CommandError):
        call_command(
            "import_objects",
            "directory.person",
            str(path),
            "--user",
            technician.username,
            "--commit",
        )
    assert not Person.objects.exclude(user=technician).exists()


def people_file(count, units, companies, existing):
    """A people file of `count` rows naming units, companies and updating existing people."""
    rows = [
        ["last_name", "first_name", "kind", "organisation unit", "company", "email", "access until"]
    ]
    for index in range(count):
        email = existing[index].email if index < len(existing) else f"p{index}@congres.nc"
        rows.append(
            [
                f"Nom{index}",
                "Prénom",
                "contractor_staff" if index % 2 else "agent",
                units[index % len(units)].code,
                companies[index % len(companies)].ridet,
                email,
                "31/12/2027",
            ]
        )
    return csv_bytes(rows)


def test_dry_run_queries_do_not_grow_with_rows(admin, django_assert_max_num_queries):
    """Validating 50 rows costs no more queries than validating 10."""
    units = OrganisationUnitFactory.create_batch(3)
    companies = CompanyFactory.create_batch(3)
    existing = PersonFactory.create_batch(5)
    upload(admin, PERSON_IMPORT, "warm.csv", people_file(3, units, companies, existing))
    with CaptureQueriesContext(connection) as small:
        upload(admin, PERSON_IMPORT, "dix.csv", people_file(10, units, companies, existing))
    assert last_job().status == ImportJob.Status.VALIDATED, last_job().report["rows"]
    with django_assert_max_num_queries(len(small.captured_queries)):
        upload(admin, PERSON_IMPORT, "cinquante.csv", people_file(50, units, companies, existing))
    job = last_job()
    assert job.status == ImportJob.Status.VALIDATED, job.report
    assert job.report["counts"] == {"create": 45, "update": 5, "unchanged": 0, "error": 0}
