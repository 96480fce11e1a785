"""The foundation's main journey in a real browser, on desktop and phone screens."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from dpti.directory.models import Person
from tests.browser.conftest import PASSWORD
from tests.factories import OrganisationUnitFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_refuses_a_wrong_password_then_opens_the_home_page(page, live_server):
    """A wrong password shows the French error; the right one opens the home page."""
    user = UserFactory(roles=["technician"])
    page.goto(f"{live_server.url}/connexion/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pas-le-bon")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("Identifiant ou mot de passe incorrect")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def test_create_a_person_with_an_error_then_correctly(signed_in, live_server, viewport_name):
    """A bad e-mail is refused with a field error and nothing saved; the fix creates the person."""
    page, _user = signed_in
    OrganisationUnitFactory(code="SIT", name="Service informatique et télécommunications")
    page.goto(f"{live_server.url}/directory/people/")
    if viewport_name == "phone":
        # On a phone the menu hides behind the toggler; the list is reached from it too.
        page.get_by_role("button", name="Ouvrir le menu").click()
        expect(page.get_by_role("link", name="Personnes")).to_be_visible()
    page.get_by_role("link", name="Ajouter").click()
    page.fill("#id_last_name", "Hnawia")
    page.fill("#id_first_name", "Kalolaine")
    page.select_option("#id_unit", label="Service informatique et télécommunications (SIT)")
    page.fill("#id_email", "pas-une-adresse")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".invalid-feedback, .text-danger").first).to_be_visible()
    expect(page.get_by_text("Corrigez les erreurs ci-dessous")).to_be_visible()
    assert not Person.objects.filter(last_name="Hnawia").exists()
    page.fill("#id_email", "kalolaine.hnawia@congres.nc")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("HNAWIA Kalolaine")
    person = Person.objects.get(last_name="Hnawia")
    assert person.unit.code == "SIT"
    page.screenshot(path=f"screenshots/journey-person-detail-{viewport_name}.png", full_page=True)


def test_edit_a_person_and_read_the_change_in_its_history(signed_in, live_server):
    """After an edit, the History tab shows the field, the old and new values and the author."""
    page, user = signed_in
    person = PersonFactory(last_name="Wakolo", first_name="Thierry", phone="27 31 29")
    page.goto(f"{live_server.url}{person.get_absolute_url()}")
    page.get_by_role("link", name="Modifier").first.click()
    page.fill("#id_phone", "24 37 00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("enregistré")).to_be_visible()
    page.get_by_role("tab", name=re.compile("Historique")).click()
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("27 31 29")
    expect(history).to_contain_text("24 37 00")
    expect(history).to_contain_text(user.get_full_name())
    person.refresh_from_db()
    assert person.phone == "24 37 00"
    assert person.version == 2


def test_global_search_and_quick_search_find_a_person(signed_in, live_server):
    """The top search finds a person across types; the list's quick search filters in place."""
    page, _user = signed_in
    PersonFactory(last_name="Néaoutyine", first_name="Marie")
    PersonFactory(last_name="Dupont", first_name="Jean")
    page.goto(f"{live_server.url}/")
    box = page.locator("form[role=search] input[name=q]:visible")
    box.fill("Néaoutyine")
    box.press("Enter")
    group = page.get_by_test_id("search-group")
    expect(group).to_contain_text("NÉAOUTYINE Marie")
    expect(group).not_to_contain_text("Dupont")
    page.goto(f"{live_server.url}/directory/people/")
    expect(page.locator("#object-table")).to_contain_text("Dupont")
    page.fill("#id_q", "Dupont")
    page.press("#id_q", "Enter")
    expect(page.locator("#object-table")).not_to_contain_text("Néaoutyine")
    expect(page.locator("#object-table")).to_contain_text("Dupont")
    assert "q=Dupont" in page.url  # the filtered list can be bookmarked


def test_export_the_filtered_list_to_xlsx(signed_in, live_server, tmp_path):
    """The XLSX export holds the visible columns and the filtered rows."""
    page, _user = signed_in
    PersonFactory(last_name="Taputu", first_name="Moana", email="moana.taputu@congres.nc")
    PersonFactory(last_name="Martin", first_name="Paul")
    page.goto(f"{live_server.url}/directory/people/?q=Taputu")
    page.get_by_role("button", name="Exporter").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    path = tmp_path / "export.xlsx"
    download_info.value.save_as(path)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Nom", "Prénom")
    assert [row[:2] for row in rows[1:]] == [("Taputu", "Moana")]
    assert "moana.taputu@congres.nc" in rows[1]


def test_import_people_with_a_bad_row_then_fixed(signed_in, live_server, tmp_path, viewport_name):
    """A bad row is reported in French and nothing is created; the fixed file imports."""
    page, _user = signed_in
    OrganisationUnitFactory(code="SPI", name="Service du patrimoine immobilier")
    header = "Nom;Prénom;Type;Unité organisationnelle;E-mail\n"
    good = "Gomès;Hélène;Agent;SPI;helene.gomes@congres.nc\n"
    bad = header + good + "Tein;Sylvie;Agent;INCONNU;sylvie.tein@congres.nc\n"
    (tmp_path / "agents.csv").write_text(bad, encoding="utf-8")
    page.goto(f"{live_server.url}/directory/people/")
    page.get_by_role("link", name="Importer").click()
    page.set_input_files("input[type=file]", str(tmp_path / "agents.csv"))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_text("1 ligne en erreur").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("INCONNU")
    assert not Person.objects.filter(last_name__in=["Gomès", "Tein"]).exists()
    page.screenshot(path=f"screenshots/journey-import-errors-{viewport_name}.png", full_page=True)

    (tmp_path / "agents.csv").write_text(
        header + good.replace("SPI", "SPI") + "Tein;Sylvie;Agent;SPI;sylvie.tein@congres.nc\n",
        encoding="utf-8",
    )
    page.get_by_role("link", name="Importer un autre fichier").click()
    page.set_input_files("input[type=file]", str(tmp_path / "agents.csv"))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("Import terminé").first).to_be_visible()
    assert set(Person.objects.filter(unit__code="SPI").values_list("last_name", flat=True)) == {
        "Gomès",
        "Tein",
    }
