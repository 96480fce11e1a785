"""Journey: filter the asset list in place, then print the labels of exactly that selection."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.test_search_and_export import quick_search
from tests.factories import AssetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def selected(count):
    """The count line of the label options page, in French."""
    with translation.override("fr"):
        text = translation.ngettext(
            "%(counter)s asset selected", "%(counter)s assets selected", count
        )
    return text % {"counter": count}


def test_labels_follow_the_filter_typed_after_the_list_loaded(signed_in, live_server):
    """After a quick search swaps the table in place, « Print labels » takes that search."""
    page = signed_in
    AssetFactory(label="Fauteuil ergonomique", inventory_number="2026-000101")
    AssetFactory(label="Vidéoprojecteur salle Kanak", inventory_number="2026-000102")

    page.goto(f"{live_server.url}/assets/assets/")
    expect(page.locator("#object-table tbody tr")).to_have_count(2)
    quick_search(page, "Vidéoprojecteur")
    expect(page.locator("#object-table tbody tr")).to_have_count(1)
    page.get_by_test_id("print-labels").click()

    expect(page.get_by_text(selected(1))).to_be_visible()
    expect(page.locator("main")).to_contain_text("2026-000102")
    expect(page.locator("main")).not_to_contain_text("2026-000101")
