"""Journey 6: import people from a CSV file, refused with a bad row, then fixed and confirmed."""

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
