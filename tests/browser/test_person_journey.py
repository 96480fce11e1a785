"""Journeys 2 and 3: create a person through the menu, then edit it and read its history."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from dpti.directory.models import Person
from tests.browser.conftest import field, fr, fr_label, open_main_menu
from tests.factories import OrganisationUnitFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def people_label():
    """The menu entry and list title of people, as the French UI shows it."""
    with translation.override("fr"):
        return str(Person._meta.verbose_name_plural).capitalize()


def saved_message(person):
    """The success notice shown after saving a person."""
    with translation.override("fr"):
        kind = str(Person._meta.verbose_name).capitalize()
    return fr("%(type)s « %(object)s » saved.", type=kind, object=person)


def test_create_a_person_refuses_a_bad_email_then_saves(
    signed_in, live_server, viewport_name, admin_user
):
    """A bad e-mail is a field error and saves nothing; corrected, the person is created."""
    page = signed_in
    unit = OrganisationUnitFactory(code="SIT", name="Service informatique et télécommunications")
    menu = open_main_menu(page, viewport_name)
    expect(menu).to_contain_text(fr("Directory"))
    menu.get_by_role("link", name=people_label(), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(people_label())
    page.get_by_role("link", name=fr("Add"), exact=True).click()

    field(page, Person, "last_name").fill("Hnawia")
    field(page, Person, "first_name").fill("Kalolaine")
    field(page, Person, "unit").select_option(label=str(unit))
    email = field(page, Person, "email")
    email.fill("pas-une-adresse")
    page.get_by_role("button", name=fr("Save")).click()

    expect(page.get_by_role("alert")).to_contain_text(
        fr("Please correct the errors below. Nothing has been saved.")
    )
    expect(email).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_text(fr("Enter a valid email address."))).to_be_visible()
    expect(field(page, Person, "last_name")).to_have_value("Hnawia")  # the entry is kept
    assert not Person.objects.exists()

    email.fill("kalolaine.hnawia@congres.nc")
    page.get_by_role("button", name=fr("Save")).click()

    person = Person.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text("HNAWIA Kalolaine")
    expect(page.get_by_role("alert")).to_contain_text(saved_message(person))
    expect(page.locator("[data-field=email]")).to_have_text("kalolaine.hnawia@congres.nc")
    assert page.url == f"{live_server.url}{person.get_absolute_url()}"
    assert (person.first_name, person.unit, person.email) == (
        "Kalolaine",
        unit,
        "kalolaine.hnawia@congres.nc",
    )
    assert person.created_by == admin_user


def test_edit_a_person_then_read_the_change_in_its_history(signed_in, live_server, admin_user):
    """After changing the phone, the History tab shows the old and new values and the author."""
    page = signed_in
    person = PersonFactory(last_name="Wakolo", first_name="Thierry", phone="27 31 29")
    page.goto(f"{live_server.url}{person.get_absolute_url()}")
    page.get_by_role("link", name=fr("Edit"), exact=True).click()

    phone = field(page, Person, "phone")
    expect(phone).to_have_value("27 31 29")
    phone.fill("24 37 00")
    page.get_by_role("button", name=fr("Save")).click()

    expect(page.get_by_role("alert")).to_contain_text(saved_message(person))
    expect(page.locator("[data-field=phone]")).to_have_text("24 37 00")
    page.get_by_role("tab", name=re.compile(re.escape(fr("History")))).click()
    history = page.get_by_test_id("history")
    expect(history).to_be_visible()
    change = history.get_by_role("row").filter(has_text=fr_label(Person, "phone"))
    expect(change.get_by_role("cell")).to_have_text(
        [fr_label(Person, "phone"), "27 31 29", "24 37 00"]
    )
    expect(history).to_contain_text(str(admin_user))
    person.refresh_from_db()
    assert (person.phone, person.version, person.updated_by) == ("24 37 00", 2, admin_user)
