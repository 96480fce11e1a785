"""Journeys 4 and 5: find a person (global and quick search), export the list to XLSX."""

import re

import pytest
from django.utils import translation
from django.utils.text import capfirst
from openpyxl import load_workbook
from playwright.sync_api import expect

from dpti.directory.models import Person
from tests.browser.conftest import fr, fr_label
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def people_label():
    """The people's list title and search group title in French."""
    with translation.override("fr"):
        return str(Person._meta.verbose_name_plural).capitalize()


def records(count):
    """The row counter under a list, in French."""
    with translation.override("fr"):
        text = translation.ngettext("%(counter)s record", "%(counter)s records", count)
    return text % {"counter": count}


def quick_search(page, text):
    """Type in the list's quick search and wait for htmx to swap the table in place."""
    box = page.get_by_label(fr("Search"), exact=True)
    with page.expect_response(
        lambda response: response.request.headers.get("hx-request") == "true"
    ) as partial:
        box.fill(text)
        box.press("Enter")
    assert partial.value.ok
    assert "<html" not in partial.value.text()  # a fragment, not a whole page


def test_global_search_then_quick_search_find_the_person(signed_in, live_server):
    """The top search box finds the person; the list's quick search filters rows in place."""
    page = signed_in
    marie = PersonFactory(last_name="Néaoutyine", first_name="Marie")
    PersonFactory(last_name="Dupont", first_name="Jean")

    box = page.get_by_role("searchbox", name=fr("Search everywhere"))
    box.fill("Néaoutyine")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        fr("Results for « %(search_query)s »", search_query="Néaoutyine")
    )
    group = page.get_by_test_id("search-group").filter(has_text=people_label())
    expect(group.get_by_role("link")).to_contain_text(["NÉAOUTYINE Marie"])
    expect(group).not_to_contain_text("DUPONT")
    group.get_by_role("link", name="NÉAOUTYINE Marie").click()
    page.wait_for_url(f"{live_server.url}{marie.get_absolute_url()}")

    page.goto(f"{live_server.url}/directory/people/")
    table = page.locator("#object-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    page.evaluate("window.samePage = true")  # lost if the browser loads a whole new page
    quick_search(page, "Dupont")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text("DUPONT")
    expect(page.get_by_test_id("row-count")).to_have_text(records(1))
    expect(page).to_have_url(re.compile(r"[?&]q=Dupont"))  # the filtered list can be bookmarked
    assert page.evaluate("window.samePage") is True


def export_xlsx_rows(page, tmp_path):
    """Export the list from its Export menu and read the downloaded workbook's rows."""
    page.get_by_role("button", name=fr("Export")).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=fr("Excel (XLSX)")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))


def name_and_email(rows):
    """(name, e-mail) of each data row of an exported people sheet: the name is the first
    column, « NOM Prénom » as the list shows it."""
    header = list(rows[0])
    with translation.override("fr"):
        assert header[0] == capfirst(str(Person._meta.verbose_name))
    email_column = header.index(fr_label(Person, "email"))
    return [(row[0], row[email_column]) for row in rows[1:]]


def test_export_the_filtered_list_to_xlsx(signed_in, live_server, tmp_path):
    """The XLSX export of a filtered list holds the visible columns and the person's row."""
    page = signed_in
    PersonFactory(last_name="Taputu", first_name="Moana", email="moana.taputu@congres.nc")
    PersonFactory(last_name="Martin", first_name="Paul")
    page.goto(f"{live_server.url}/directory/people/?q=Taputu")
    expect(page.locator("#object-table tbody tr")).to_have_count(1)

    rows = export_xlsx_rows(page, tmp_path)

    assert name_and_email(rows) == [("TAPUTU Moana", "moana.taputu@congres.nc")]


def test_export_right_after_a_quick_search_keeps_the_filter(signed_in, live_server, tmp_path):
    """Exporting just after a quick search (htmx, no reload) exports only the matching rows."""
    page = signed_in
    PersonFactory(last_name="Taputu", first_name="Moana", email="moana.taputu@congres.nc")
    PersonFactory(last_name="Martin", first_name="Paul")
    page.goto(f"{live_server.url}/directory/people/")
    quick_search(page, "Taputu")
    expect(page.locator("#object-table tbody tr")).to_have_count(1)

    rows = export_xlsx_rows(page, tmp_path)

    assert name_and_email(rows) == [("TAPUTU Moana", "moana.taputu@congres.nc")]
