"""The directory's generic screens: exports, chosen columns, searches and history."""

import csv
import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from openpyxl import load_workbook

from dpti.core import roles
from dpti.core.models import UserPreference
from dpti.directory.models import Company, Person
from tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db
COMPANY_COLUMNS = ["name", "ridet", "is_contractor", "certificates_valid_until"]


def french(message):
    with translation.override("fr"):
        return gettext(message)


def headers(model, names):
    """The export headers of these fields, as a French user reads them."""
    with translation.override("fr"):
        return [capfirst(str(model._meta.get_field(name).verbose_name)) for name in names]


def as_date(value):
    """A date cell read back: a real date, or text written dd/mm/yyyy."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return datetime.datetime.strptime(value, "%d/%m/%Y").date()


@pytest.fixture
def companies():
    """Two contractors (one with certificates) and a supplier that is not one."""
    return [
        CompanyFactory(
            name="Froid Service NC",
            is_contractor=True,
            certificates_valid_until=datetime.date(2027, 3, 31),
        ),
        CompanyFactory(name="Ascenseurs du Pacifique", is_contractor=True),
        CompanyFactory(name="Imprimerie du Caillou", is_contractor=False),
    ]


def export(client, fmt, **params):
    """The bytes of an export of the company list with these filters."""
    response = client.get(reverse("directory:company_list"), {**params, "export": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_export_is_excel_ready_with_visible_columns_and_filtered_rows(
    admin_client_dpti, companies
):
    """CSV: UTF-8 with BOM, ';' separator, the user's columns, only the filtered rows."""
    admin_client_dpti.post(reverse("directory:company_columns"), {"columns": COMPANY_COLUMNS})
    content = export(admin_client_dpti, "csv", is_contractor="true").decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == headers(Company, COMPANY_COLUMNS)
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Froid Service NC", "Ascenseurs du Pacifique"}
    froid = by_name["Froid Service NC"]
    assert froid[1] == companies[0].ridet
    assert froid[2] == french("Yes")
    assert as_date(froid[3]) == datetime.date(2027, 3, 31)
    assert by_name["Ascenseurs du Pacifique"][3] in ("", "—")


def test_xlsx_export_reads_back_with_the_visible_columns_and_filtered_rows(
    admin_client_dpti, companies
):
    """XLSX: a bold header of the chosen columns, the rows of the quick search, typed values."""
    admin_client_dpti.post(reverse("directory:company_columns"), {"columns": COMPANY_COLUMNS})
    content = export(admin_client_dpti, "xlsx", q="froid")
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == headers(Company, COMPANY_COLUMNS)
    assert all(cell.font.bold for cell in sheet[1])
    assert len(rows) == 2  # the header and the only company matching "froid"
    name, ridet, contractor, certificates = rows[1]
    assert (name, ridet) == ("Froid Service NC", companies[0].ridet)
    assert contractor == french("Yes")
    assert as_date(certificates) == datetime.date(2027, 3, 31)
    imprimerie = export(admin_client_dpti, "xlsx", is_contractor="false")
    rows = list(load_workbook(io.BytesIO(imprimerie)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Imprimerie du Caillou"]
    assert rows[1][2] == french("No")


def test_export_of_a_scoped_user_holds_only_his_rows(client_for):
    """A contractor's export of people lists his company's staff only."""
    contractor = client_for(roles.CONTRACTOR)
    company = contractor.user.person.company
    colleague = PersonFactory(kind="contractor_staff", company=company, unit=None)
    stranger = PersonFactory(kind="contractor_staff", company=CompanyFactory(), unit=None)
    response = contractor.get(reverse("directory:person_list"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8")
    assert colleague.email in content
    assert contractor.user.person.email in content
    assert stranger.email not in content


def test_chosen_columns_are_saved_per_user(client_for):
    """A user's column choice survives a new session and does not change another user's list."""
    first = client_for(roles.ADMINISTRATOR)
    second = client_for(roles.ADMINISTRATOR)
    PersonFactory(job_title="Technicien support", mobile="77 12 34")
    first.post(
        reverse("directory:person_columns"), {"columns": ["last_name", "mobile", "no_such_column"]}
    )
    assert UserPreference.objects.get(user=first.user).value == {"columns": ["last_name", "mobile"]}
    again = Client()
    again.force_login(first.user)  # a later session of the same user
    assert "77 12 34" in again.get(reverse("directory:person_list")).content.decode()
    assert "77 12 34" not in second.get(reverse("directory:person_list")).content.decode()
    first.post(reverse("directory:person_columns"), {"reset": "1"})
    assert not UserPreference.objects.filter(user=first.user).exists()
    assert "77 12 34" not in first.get(reverse("directory:person_list")).content.decode()


def test_quick_search_matches_every_word_across_fields(admin_client_dpti):
    """Each word of `q` must match one searched field; words may hit different fields."""
    roch = PersonFactory(last_name="Wamytan", first_name="Roch", job_title="Chargé de mission")
    marie = PersonFactory(last_name="Wamytan", first_name="Marie", job_title="Rédactrice")
    hnawia = PersonFactory(
        last_name="Hnawia", first_name="Marie", job_title="Rédactrice", phone="27 31 29"
    )
    people = {"roch": roch, "marie": marie, "hnawia": hnawia}
    url = reverse("directory:person_list")

    def found(query):
        content = admin_client_dpti.get(url, {"q": query}).content.decode()
        return {key for key, person in people.items() if person.get_absolute_url() in content}

    assert found("wamytan marie") == {"marie"}  # last name + first name
    assert found("WAMYTAN rédactrice") == {"marie"}  # last name + job title, any case
    assert found("rédactrice") == {"marie", "hnawia"}
    assert found("27 31 29") == {"hnawia"}  # a phone number typed with its spaces
    assert found("wamytan inconnu") == set()
    assert found("") == set(people)


def test_quick_search_refreshes_the_table_alone_with_htmx(admin_client_dpti):
    """An htmx quick search answers only the table, already filtered."""
    taputu = PersonFactory(last_name="Taputu")
    lauouvea = PersonFactory(last_name="Lauouvea")
    response = admin_client_dpti.get(
        reverse("directory:person_list"),
        {"q": "taputu"},
        headers={"HX-Request": "true", "HX-Target": "object-table"},
    )
    content = response.content.decode()
    assert "<html" not in content
    assert taputu.get_absolute_url() in content
    assert lauouvea.get_absolute_url() not in content


def test_global_search_shows_a_contractor_only_his_company(client_for):
    """A contractor finds his own company but not the others, nor their staff."""
    contractor = client_for(roles.CONTRACTOR)
    own = contractor.user.person.company
    other = CompanyFactory(name=f"{own.name} concurrente")
    rival = PersonFactory(last_name="Concurrent", kind="contractor_staff", company=other, unit=None)
    page = contractor.get(reverse("search"), {"q": own.name}).content.decode()
    assert own.name in page
    assert other.name not in page
    assert str(rival) not in contractor.get(reverse("search"), {"q": "Concurrent"}).content.decode()
    admin = client_for(roles.ADMINISTRATOR)
    assert other.name in admin.get(reverse("search"), {"q": own.name}).content.decode()


def test_global_search_hides_types_a_role_may_not_view(client_for):
    """A requester, who may not view companies, finds people but no company."""
    CompanyFactory(name="Wakolo Climatisation")
    PersonFactory(last_name="Wakolo", first_name="Thierry")
    requester = client_for(roles.REQUESTER)
    page = requester.get(reverse("search"), {"q": "wakolo"}).content.decode()
    assert "WAKOLO Thierry" in page
    assert "Wakolo Climatisation" not in page


def test_history_shows_who_changed_which_field(client_for):
    """After an edit, the history names the author and the field with its old and new values."""
    client = client_for(roles.ADMINISTRATOR)
    person = PersonFactory(phone="27 31 29")
    data = {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "kind": "agent",
        "email": person.email,
        "phone": "24 37 00",
        "is_active": "on",
        "version": person.version,
        "unit": person.unit_id,
    }
    assert client.post(reverse("directory:person_edit", args=[person.pk]), data).status_code == 302
    assert Person.objects.get(pk=person.pk).phone == "24 37 00"
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == client.user
    assert entry.changes_dict["phone"] == ["27 31 29", "24 37 00"]
    assert set(entry.changes_dict) <= {"phone", "version", "updated_by", "updated_at"}
    page = client.get(person.get_absolute_url()).content.decode()
    history = page[page.index('data-testid="history"') :]
    with translation.override("fr"):
        phone_label = capfirst(str(Person._meta.get_field("phone").verbose_name))
    assert str(client.user) in history
    assert phone_label in history
    assert history.index("27 31 29") < history.index("24 37 00")  # before, then after
