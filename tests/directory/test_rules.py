"""Business rules of the directory, checked through the screens and the database."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from dpti.core import roles
from dpti.core.models import UserPreference
from dpti.core.services import save_object
from dpti.directory.models import Company, OrganisationUnit, Person
from tests.factories import CompanyFactory, OrganisationUnitFactory, PersonFactory

pytestmark = pytest.mark.django_db


def french(message):
    with translation.override("fr"):
        return gettext(message)


@pytest.mark.parametrize("value", ["123456.001", "12345678.001", "1234567.01", "ABCDEFG.001", ""])
def test_ridet_must_have_seven_then_three_digits(value):
    """A RIDET is 7 digits for the company and 3 for the establishment."""
    with pytest.raises(ValidationError) as error:
        Company(name="Test", ridet=value).full_clean()
    assert "ridet" in error.value.message_dict


def test_ridet_is_normalised_and_unique(admin_client_dpti):
    """'1234567001' is stored as 1234567.001; a second company with it is refused in French."""
    url = reverse("directory:company_add")
    data = {"name": "Froid Service NC", "ridet": "1234567001", "city": "Nouméa"}
    assert admin_client_dpti.post(url, data).status_code == 302
    assert Company.objects.get().ridet == "1234567.001"
    response = admin_client_dpti.post(url, {**data, "name": "Autre", "ridet": "1234567.001"})
    assert response.status_code == 422
    assert french("A company with this RIDET number already exists.") in response.content.decode()
    assert Company.objects.count() == 1


def test_two_people_cannot_share_an_email():
    """An e-mail address identifies one person (empty addresses are allowed many times)."""
    PersonFactory(email="marie.tein@congres.nc")
    with pytest.raises(ValidationError):
        PersonFactory.build(email="marie.tein@congres.nc", unit=None).full_clean()
    PersonFactory(email="")
    PersonFactory.build(email="", unit=None).full_clean()


def test_a_contractors_employee_needs_a_company(admin_client_dpti):
    """Contractor's staff without a company is refused with the rule's message."""
    response = admin_client_dpti.post(
        reverse("directory:person_add"),
        {
            "last_name": "Martin",
            "first_name": "Paul",
            "kind": "contractor_staff",
            "is_active": "on",
        },
    )
    assert response.status_code == 422
    assert french("A contractor's employee must belong to a company.") in response.content.decode()
    assert not Person.objects.exists()


def test_a_unit_cannot_be_placed_under_its_own_descendant():
    """The organisation stays a tree: no unit under itself or its sub-units."""
    top = OrganisationUnitFactory(code="DPTI")
    child = OrganisationUnitFactory(code="SIT", parent=top)
    top.parent = child
    with pytest.raises(ValidationError) as error:
        top.full_clean()
    assert "parent" in error.value.message_dict


def test_deleting_a_unit_with_people_is_refused_and_nothing_is_deleted(admin_client_dpti):
    """The confirmation page lists the people who depend on the unit; the post deletes nothing."""
    unit = OrganisationUnitFactory(code="SPI")
    person = PersonFactory(unit=unit, last_name="Gomès")
    url = reverse("directory:organisationunit_delete", args=[unit.pk])
    page = admin_client_dpti.get(url).content.decode()
    assert "GOMÈS" in page
    response = admin_client_dpti.post(url, follow=True)
    assert "ne peut pas être supprimé" in response.content.decode()
    assert OrganisationUnit.objects.filter(pk=unit.pk).exists()
    assert Person.objects.filter(pk=person.pk).exists()


def test_bulk_edit_is_all_or_nothing(admin_client_dpti):
    """If one selected person fails a rule, none is changed."""
    company = CompanyFactory()
    ok = PersonFactory(kind="agent", company=company)
    also_ok = PersonFactory(kind="agent")
    url = reverse("directory:person_bulk_edit")
    # "Contractor's staff" is valid for the first person (he has a company), not the second:
    # the first one must not be changed alone.
    response = admin_client_dpti.post(
        url, {"pk": [ok.pk, also_ok.pk], "apply": "1", "kind": "contractor_staff"}
    )
    assert response.status_code == 422
    assert set(Person.objects.values_list("kind", flat=True)) == {"agent"}
    response = admin_client_dpti.post(
        url, {"pk": [ok.pk, also_ok.pk], "apply": "1", "company": company.pk}
    )
    assert response.status_code == 302
    assert set(Person.objects.values_list("company", flat=True)) == {company.pk}
    response = admin_client_dpti.post(
        url, {"pk": [ok.pk, also_ok.pk], "apply": "1", "kind": "contractor_staff"}
    )
    assert set(Person.objects.values_list("kind", flat=True)) == {"contractor_staff"}


def test_bulk_delete_of_a_protected_set_deletes_nothing(admin_client_dpti):
    """One unit still holding people blocks the whole bulk deletion."""
    empty = OrganisationUnitFactory()
    busy = OrganisationUnitFactory()
    PersonFactory(unit=busy)
    admin_client_dpti.post(
        reverse("directory:organisationunit_bulk_delete"),
        {"pk": [empty.pk, busy.pk], "confirm": "1"},
    )
    assert OrganisationUnit.objects.filter(pk__in=[empty.pk, busy.pk]).count() == 2


def test_chosen_columns_are_saved_per_user(client_for):
    """A user's column choice survives and does not change another user's list."""
    first = client_for(roles.ADMINISTRATOR)
    second = client_for(roles.ADMINISTRATOR)
    PersonFactory(job_title="Technicien support", mobile="77 12 34")
    first.post(reverse("directory:person_columns"), {"columns": ["last_name", "mobile"]})
    assert UserPreference.objects.get(user=first.user).value == {"columns": ["last_name", "mobile"]}
    assert "77 12 34" in first.get(reverse("directory:person_list")).content.decode()
    assert "77 12 34" not in second.get(reverse("directory:person_list")).content.decode()


def test_quick_search_needs_every_word(admin_client_dpti):
    """Every word of the quick search must match one of the searched fields."""
    PersonFactory(last_name="Wamytan", first_name="Roch", job_title="Élu")
    PersonFactory(last_name="Wamytan", first_name="Marie", job_title="Rédactrice")
    page = admin_client_dpti.get(reverse("directory:person_list"), {"q": "wamytan marie"})
    content = page.content.decode()
    assert "Marie" in content
    assert "Roch" not in content


def test_global_search_shows_a_contractor_only_his_company(client_for):
    """A contractor finds his own company but not the others, whatever he types."""
    contractor = client_for(roles.CONTRACTOR)
    own = contractor.user.person.company
    other = CompanyFactory(name=f"{own.name} concurrente")
    page = contractor.get(reverse("search"), {"q": own.name}).content.decode()
    assert own.name in page
    assert other.name not in page


def test_history_records_who_changed_which_field(client_for):
    """An edit leaves an audit entry with the author and the old and new values."""
    client = client_for(roles.ADMINISTRATOR)
    person = PersonFactory(phone="27 31 29")
    person.phone = "24 37 00"
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
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == client.user
    assert entry.changes_dict["phone"] == ["27 31 29", "24 37 00"]
    page = client.get(person.get_absolute_url()).content.decode()
    assert "27 31 29" in page
    assert "24 37 00" in page


def test_deadline_follows_the_company_certificates(admin_client_dpti):
    """A company's certificate date appears in the deadlines; clearing it removes it."""
    import datetime

    from dpti.core.models import Deadline

    company = CompanyFactory()
    company.certificates_valid_until = datetime.date(2027, 3, 31)
    save_object(company, user=None)
    deadline = Deadline.objects.get(object_id=company.pk, kind="certificates")
    assert deadline.due_date == datetime.date(2027, 3, 31)
    assert company.name in deadline.title
    company.certificates_valid_until = None
    save_object(company, user=None)
    assert not Deadline.objects.filter(object_id=company.pk, kind="certificates").exists()
