"""Journey 6: import people from a CSV file, refused with a bad row, then fixed and confirmed;
a file with its own headers goes through the column mapping step."""

import os
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from dpti.directory.models import OrganisationUnit, Person
from tests.browser.conftest import fr, fr_label, labelled
from tests.factories import OrganisationUnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLUMNS = ("last_name", "first_name", "kind", "unit", "email")


def people_csv(path, rows):
    """Write a semicolon CSV with the French column titles a user of the template would use."""
    with translation.override("fr"):
        agent = str(Person.Kind.AGENT.label)
    header = ";".join(fr_label(Person, name) for name in COLUMNS)
    lines = [header] + [
        ";".join((last, first, agent, unit, email)) for last, first, unit, email in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def check_file(page, path):
    """Upload a file on the import page and ask for the dry run."""
    labelled(page, fr("File (CSV or Excel)")).set_input_files(path)
    page.get_by_role("button", name=fr("Check the file")).click()


def unknown_unit_error(code):
    """The row error of a unit code that matches no unit."""
    with translation.override("fr"):
        opts = OrganisationUnit._meta
        return fr(
            "No %(type)s has the %(key)s “%(value)s”.",
            type=str(opts.verbose_name),
            key=str(opts.get_field("code").verbose_name),
            value=code,
        )


def test_import_refuses_a_file_with_a_bad_row_then_imports_the_fixed_file(
    signed_in, live_server, tmp_path, admin_user
):
    """A bad row is shown on the dry run and nothing is created; the fixed file imports all."""
    page = signed_in
    OrganisationUnitFactory(code="SPI", name="Service du patrimoine immobilier")
    good = ("Gomès", "Hélène", "SPI", "helene.gomes@congres.nc")
    page.goto(f"{live_server.url}/directory/people/")
    page.get_by_role("link", name=fr("Import"), exact=True).click()

    bad_file = people_csv(
        tmp_path / "agents.csv", [good, ("Tein", "Sylvie", "INCONNU", "sylvie.tein@congres.nc")]
    )
    check_file(page, bad_file)

    with translation.override("fr"):
        errors_title = translation.ngettext(
            "%(counter)s row has errors", "%(counter)s rows have errors", 1
        ) % {"counter": 1}
    expect(page.get_by_test_id("import-errors")).to_contain_text(errors_title)
    expect(page.locator("[data-count=error]")).to_have_text("1")
    expect(page.locator("[data-count=create]")).to_have_text("1")
    bad_row = page.get_by_test_id("import-rows").locator("tbody tr.table-danger")
    expect(bad_row).to_have_count(1)
    expect(bad_row).to_contain_text(unknown_unit_error("INCONNU"))
    expect(page.get_by_role("button", name=fr("Confirm the import"))).to_have_count(0)
    assert not Person.objects.exists()

    fixed_file = people_csv(
        tmp_path / "agents-corrige.csv", [good, ("Tein", "Sylvie", "SPI", "sylvie.tein@congres.nc")]
    )
    page.get_by_role("link", name=fr("Import another file")).click()
    check_file(page, fixed_file)
    expect(page.locator("[data-count=create]")).to_have_text("2")
    assert not Person.objects.exists()  # the dry run saves nothing
    page.get_by_role("button", name=fr("Confirm the import")).click()

    expect(page.get_by_test_id("import-done")).to_contain_text(fr("Import finished"))
    expect(page.locator("[data-count=create]")).to_have_text("2")
    people = Person.objects.order_by("last_name")
    assert [(p.last_name, p.first_name, p.unit.code, p.email) for p in people] == [
        good,
        ("Tein", "Sylvie", "SPI", "sylvie.tein@congres.nc"),
    ]
    assert {p.created_by for p in people} == {admin_user}

    with translation.override("fr"):
        see_people = fr("See the %(name)s", name=str(Person._meta.verbose_name_plural))
    page.get_by_role("link", name=see_people).click()
    expect(page.locator("#object-table tbody tr")).to_have_count(2)
    expect(page.locator("#object-table")).to_contain_text("GOMÈS Hélène")  # NOM Prénom


# DPTI_SHOTS=/tmp/shots/imports saves screenshots of the mapping step.
SHOTS = os.environ.get("DPTI_SHOTS", "")
MESSY_HEADER = ("NOM", "Prénom", "Courriel", "Service", "Tél. bureau", "Observations")


def shot(page, name, viewport_name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{viewport_name}.png", full_page=True)


def test_a_file_with_its_own_headers_goes_through_the_mapping_step_then_reuses_it(
    signed_in, live_server, tmp_path, viewport_name
):
    """The mapping page proposes a field for each column; the user picks the one it did not
    recognise, saves the mapping, checks and imports; the same file again skips the step."""
    page = signed_in
    OrganisationUnitFactory(code="SPI", name="Service du patrimoine immobilier")
    path = tmp_path / "annuaire-service.csv"
    rows = [
        ";".join(MESSY_HEADER),
        "Gomès;Hélène;helene.gomes@congres.nc;SPI;24 37 00;Clé du bureau 12",
        "TEIN;Sylvie;sylvie.tein@congres.nc;SPI;24 37 01;",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    page.goto(f"{live_server.url}/directory/people/import/")
    check_file(page, path)

    mapping = page.get_by_test_id("import-mapping")
    expect(mapping).to_be_visible()
    expect(mapping.get_by_label("Courriel", exact=True)).to_have_value("email")
    expect(mapping.get_by_label("Service", exact=True)).to_have_value("unit")
    expect(mapping.get_by_label("Observations", exact=True)).to_have_value("notes")
    phone = mapping.get_by_label("Tél. bureau", exact=True)
    expect(phone).to_have_value("")  # not recognised: « Ignorer »
    expect(mapping.locator("[data-column='Tél. bureau']")).to_contain_text(fr("Not recognised"))
    phone.select_option(label=fr_label(Person, "phone"))
    mapping.get_by_label(fr("Save this mapping template")).check()
    mapping.get_by_label(fr("Template name")).fill("Annuaire du SPI")
    shot(page, "mapping", viewport_name)
    mapping.get_by_role("button", name=fr("Check the file")).click()

    expect(page.locator("[data-count=create]")).to_have_text("2")
    expect(page.get_by_test_id("mapping-applied")).to_contain_text("Annuaire du SPI")
    assert not Person.objects.exists()
    page.get_by_role("button", name=fr("Confirm the import")).click()
    expect(page.get_by_test_id("import-done")).to_contain_text(fr("Import finished"))
    helene = Person.objects.get(email="helene.gomes@congres.nc")
    assert (helene.last_name, helene.unit.code, helene.phone) == ("Gomès", "SPI", "24 37 00")
    assert helene.notes == "Clé du bureau 12"

    page.goto(f"{live_server.url}/directory/people/import/")
    check_file(page, path)
    expect(page.get_by_test_id("mapping-applied")).to_contain_text("Annuaire du SPI")
    expect(page.locator("[data-count=unchanged]")).to_have_text("2")
    shot(page, "reused", viewport_name)
    assert Person.objects.count() == 2
