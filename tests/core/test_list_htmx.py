"""Issue 12: only the list's refresh controls go through htmx; a row's links change the page.

The list page refreshes its table in place from the filters, the sorting headers and the
pagination. Any other link, and above all the links of the rows, must be an ordinary page
change: a boost on the table's container swapped whole detail pages into the list. These tests
read the rendered HTML (no browser), so a boost put back on the container fails in seconds;
tests/browser/test_list_navigation.py clicks through every list in Chromium.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from dpti.core.htmx import VARY_HEADERS
from dpti.core.tables import TABLE_REFRESH_ATTRS
from tests.factories import SiteFactory
from tests.registry_support import OBJECT_TYPES, make_objects

pytestmark = pytest.mark.django_db

TYPES = [pytest.param(ot, id=ot.label) for ot in OBJECT_TYPES]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
TABLE_FRAGMENT = {"HX-Request": "true", "HX-Target": "object-table"}


class Links(HTMLParser):
    """Every link of a page with where it stands and the htmx attributes it inherits."""

    def __init__(self):
        super().__init__()
        self.open = []  # (tag, attrs) of the elements enclosing the current position
        self.links = []

    def inherited(self, name):
        """The value of an htmx attribute on the nearest enclosing element that sets it."""
        for _tag, attrs in reversed(self.open):
            if name in attrs:
                return attrs[name]
        return None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            inside = {t for t, _a in self.open}
            in_pagination = any(
                "pagination" in (a.get("class") or "").split() for _t, a in self.open
            )
            self.links.append(
                {
                    "href": attrs["href"],
                    "where": "pagination"
                    if in_pagination
                    else "thead"
                    if "thead" in inside
                    else "tbody"
                    if "tbody" in inside
                    else "page",
                    "boosted": self.inherited("hx-boost") == "true",
                    "target": self.inherited("hx-target"),
                    "in_table": any(a.get("id") == "object-table" for _t, a in self.open),
                }
            )
        if tag not in VOID:
            self.open.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return


def links_of(response):
    """The links of a 200 answer, parsed."""
    assert response.status_code == 200
    parser = Links()
    parser.feed(response.content.decode())
    return parser.links


def assert_only_refresh_controls_boosted(links):
    """Sorting and paging links refresh the table; every other link is a page change."""
    for link in links:
        if link["where"] in ("thead", "pagination"):
            assert link["boosted"], link
            assert link["target"] == TABLE_REFRESH_ATTRS["hx-target"], link
        else:
            assert not link["boosted"], link


@pytest.mark.parametrize("object_type", TYPES)
def test_row_links_of_every_list_are_page_changes(object_type, admin_client_dpti):
    """In every list, the rows' links (the record, its related records) are not boosted, on
    the page and in the table fragment htmx swaps in; the sorting headers are."""
    make_objects(object_type, 1)
    url = reverse(object_type.url_name("list"))
    for headers in ({}, TABLE_FRAGMENT):
        links = links_of(admin_client_dpti.get(url, headers=headers))
        rows = [link for link in links if link["where"] == "tbody"]
        assert rows, "the list shows a row with a link"
        assert all(link["in_table"] for link in rows)
        assert_only_refresh_controls_boosted(links)
        if object_type.model._default_manager.exists() and any(
            column.orderable for column in object_type.table.base_columns.values()
        ):
            assert any(link["where"] == "thead" for link in links), "a sorting header"


def test_pagination_refreshes_the_table_and_rows_still_change_the_page(admin_client_dpti):
    """With two pages, the page links refresh the table in place; the row links do not."""
    SiteFactory.create_batch(26)
    url = reverse("estate:site_list")
    for headers in ({}, TABLE_FRAGMENT):
        links = links_of(admin_client_dpti.get(url, {"per_page": 25}, headers=headers))
        pages = [link for link in links if link["where"] == "pagination"]
        assert [link["href"] for link in pages] == ["?per_page=25&page=2"]
        assert len([link for link in links if link["where"] == "tbody"]) >= 25
        assert_only_refresh_controls_boosted(links)


def test_the_table_fragment_is_never_taken_for_the_page(admin_client_dpti):
    """The page and its table fragment share an address: both answers vary on the htmx
    headers, the fragment is never stored, and htmx's history restore gets the whole page."""
    SiteFactory(name="Site de la Baie")
    url = reverse("estate:site_list")
    page = admin_client_dpti.get(url)
    fragment = admin_client_dpti.get(url, headers=TABLE_FRAGMENT)
    restore = admin_client_dpti.get(
        url, headers={**TABLE_FRAGMENT, "HX-History-Restore-Request": "true"}
    )
    for response in (page, fragment, restore):
        assert response.status_code == 200
        assert "Site de la Baie" in response.content.decode()
        varies = {header.strip().lower() for header in response["Vary"].split(",")}
        assert {header.lower() for header in VARY_HEADERS} <= varies
    assert "<html" in page.content.decode()
    assert "<html" in restore.content.decode()
    assert "<html" not in fragment.content.decode()
    assert "no-store" in fragment["Cache-Control"]
    assert "no-store" not in page.get("Cache-Control", "")
