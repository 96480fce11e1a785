"""Business rules of the directory, checked through the screens and the database."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

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
    for duplicate in ("1234567.001", "1234567 001", "1234567001"):
        response = admin_client_dpti.post(url, {**data, "name": "Autre", "ridet": duplicate})
        assert response.status_code == 422
        content = response.content.decode()
        assert escape(french("A company with this RIDET number already exists.")) in content
    assert Company.objects.count() == 1


def test_two_people_cannot_share_an_email():
    """An e-mail address identifies one person (empty addresses are allowed many times)."""
    PersonFactory(email="marie.tein@congres.nc")
    with pytest.raises(ValidationError) as error:
        PersonFactory.build(email="marie.tein@congres.nc", unit=None).full_clean()
    assert french("A person with this e-mail address already exists.") in error.value.messages
    PersonFactory(email="")
    PersonFactory.build(email="", unit=None).full_clean()


def test_an_email_differing_only_in_case_is_the_same_address(admin_client_dpti):
    """Mailboxes ignore case: Marie.Tein@ is refused when marie.tein@ exists; stored lowercase."""
    PersonFactory(email="marie.tein@congres.nc")
    response = admin_client_dpti.post(
        reverse("directory:person_add"),
        {
            "last_name": "Tein",
            "first_name": "Marie",
            "kind": "agent",
            "email": "Marie.Tein@Congres.NC",
            "is_active": "on",
        },
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert escape(french("A person with this e-mail address already exists.")) in content
    assert Person.objects.count() == 1
    other = PersonFactory.build(email="Paul.Wea@Congres.nc", unit=None)
    save_object(other, user=None)
    assert Person.objects.get(pk=other.pk).email == "paul.wea@congres.nc"


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


def test_a_unit_cannot_be_placed_under_its_own_descendant(admin_client_dpti):
    """The organisation stays a tree: no unit under itself or its sub-units (form refuses)."""
    top = OrganisationUnitFactory(code="DPTI")
    child = OrganisationUnitFactory(code="SIT", parent=top)
    grandchild = OrganisationUnitFactory(code="SUP", parent=child)
    url = reverse("directory:organisationunit_edit", args=[top.pk])
    for new_parent in (top, grandchild):
        response = admin_client_dpti.post(
            url,
            {
                "code": top.code,
                "name": top.name,
                "kind": top.kind,
                "parent": new_parent.pk,
                "is_active": "on",
                "version": top.version,
            },
        )
        assert response.status_code == 422
        assert escape(french("A unit cannot be placed under itself.")) in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None
    assert top.version == 1


def test_deleting_a_unit_with_people_is_refused_and_nothing_is_deleted(admin_client_dpti):
    """The confirmation page lists the people who depend on the unit; the post deletes nothing."""
    unit = OrganisationUnitFactory(code="SPI")
    person = PersonFactory(unit=unit, last_name="Gomès")
    url = reverse("directory:organisationunit_delete", args=[unit.pk])
    page = admin_client_dpti.get(url).content.decode()
    assert str(person) in page
    response = admin_client_dpti.post(url, follow=True)
    with translation.override("fr"):
        expected = gettext(
            "This record cannot be deleted because other records depend on it: %(names)s."
        ) % {"names": f"{Person._meta.verbose_name} «\u00a0{person}\u00a0»"}
    assert escape(expected) in response.content.decode()
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
    assert escape(french("A contractor's employee must belong to a company.")) in (
        response.content.decode()
    )
    assert set(Person.objects.values_list("kind", flat=True)) == {"agent"}
    assert set(Person.objects.values_list("version", flat=True)) == {1}
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
    response = admin_client_dpti.post(
        reverse("directory:organisationunit_bulk_delete"),
        {"pk": [empty.pk, busy.pk], "confirm": "1"},
        follow=True,
    )
    with translation.override("fr"):
        nothing = gettext("Nothing was deleted. %(reason)s") % {"reason": ""}
    assert escape(nothing.strip()) in response.content.decode()
    assert OrganisationUnit.objects.filter(pk__in=[empty.pk, busy.pk]).count() == 2


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
