"""Issue 12: opening a record from any list is a normal page change, and Back returns to the list.

Registry-wide: for every type with a list page, one row is made, the list opened, the first
row's link clicked with the mouse. The detail must be a page of its own (one sidebar, one top
bar, one page header, one main region, one h1), never the detail page nested in the list's
table as the boosted table once did. Back must bring the whole list page again, also after a
column was sorted through htmx (the browser must not replay the table fragment from its cache).

One browser page is reused across the types of a viewport: a new context per type would cost
more than the checks themselves.
"""

import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from dpti.core.registry import registry
from tests.browser.conftest import sign_in
from tests.registry_support import OBJECT_TYPES, make_objects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A check that fails waits this long, not the context's 15 s: a regression fails every type.
CHECK_TIMEOUT = 5000
# The row click and Back run every type on both viewports (about a second a type). The Back
# journeys after a sort load six pages a type and exercise the same table machinery for every
# type: they run on one type of each domain.
SORT_SAMPLE_LABELS = (
    "directory.person",
    "estate.room",
    "assets.asset",
    "assets.inventorycampaign",
    "itpark.device",
    "procurement.invoice",
)

# Elements the base layout has exactly once; a page nested in another has two of each.
LAYOUT_LANDMARKS = {
    "sidebar": "aside.navbar-vertical",
    "top bar": "header.navbar",
    "page header": ".page-header",
    "main region": "main",
    "page title": "h1",
    "footer": "footer",
}


def list_url(object_type):
    """The list page's path, or None for a type without one."""
    try:
        return reverse(object_type.url_name("list"))
    except NoReverseMatch:
        return None


LISTED_TYPES = [ot for ot in OBJECT_TYPES if list_url(ot)]
SORT_SAMPLE = [registry.get(label) for label in SORT_SAMPLE_LABELS]


def detail_urls(object_type):
    """{detail path: object} of every row of the type."""
    try:
        return {
            reverse(object_type.url_name("detail"), args=[obj.pk]): obj
            for obj in object_type.model._default_manager.all()
        }
    except NoReverseMatch:
        return {}


def french_str(obj):
    """The object's name as the French pages write it."""
    with translation.override("fr"):
        return str(obj)


def make_rows():
    """One row of every listed type (the factories add the rows they depend on)."""
    for object_type in LISTED_TYPES:
        if not object_type.model._default_manager.exists():
            make_objects(object_type, 1)


def layout_counts(page):
    """How many times each landmark of the layout is in the document (hidden ones included)."""
    return page.evaluate(
        "landmarks => Object.fromEntries(Object.entries(landmarks).map("
        "([name, selector]) => [name, document.querySelectorAll(selector).length]))",
        LAYOUT_LANDMARKS,
    )


def assert_one_layout(page, where):
    """Each landmark of the layout is in the document exactly once."""
    counts = layout_counts(page)
    doubled = {name: count for name, count in counts.items() if count != 1}
    assert not doubled, f"{where}: layout landmarks not present exactly once: {doubled}"


def first_row_detail_link(page, object_type):
    """The first row's link to a detail of the type, and the object it opens."""
    rows = page.locator("#object-table tbody tr")
    expect(rows.first).to_be_visible(timeout=CHECK_TIMEOUT)
    hrefs = rows.first.locator("a[href]").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    details = detail_urls(object_type)
    for index, href in enumerate(hrefs):
        path = href.split("?")[0].split("#")[0]
        if path in details:
            return rows.first.locator("a[href]").nth(index), path, details[path]
    raise AssertionError(f"the first row links to no detail of the type: {hrefs}")


def open_first_row(page, base_url, object_type):
    """Click the first row's detail link; check the detail is a page of its own."""
    link, path, obj = first_row_detail_link(page, object_type)
    link.click()
    page.wait_for_url(f"{base_url}{path}", timeout=CHECK_TIMEOUT)
    title = french_str(obj)
    expect(page.locator("h1").first).to_have_text(title, timeout=CHECK_TIMEOUT)
    expect(page).to_have_title(re.compile(rf"^{re.escape(title)}\s+·"), timeout=CHECK_TIMEOUT)
    assert_one_layout(page, f"detail {path}")
    return path


def assert_list_page(page, object_type, url_pattern, row_path, where):
    """The whole list page is shown: its address, one layout, its title, the row's link."""
    expect(page).to_have_url(url_pattern, timeout=CHECK_TIMEOUT)
    page.locator("#object-table").wait_for(timeout=CHECK_TIMEOUT)
    assert_one_layout(page, where)
    with translation.override("fr"):
        title = str(object_type.verbose_name_plural)
    expect(page.locator("h1").first).to_have_text(
        re.compile(rf"^{re.escape(title)}$", re.IGNORECASE), timeout=CHECK_TIMEOUT
    )
    row_link = page.locator(f'#object-table tbody tr a[href="{row_path}"]')
    expect(row_link.first).to_be_visible(timeout=CHECK_TIMEOUT)


# Empty htmx's history cache and note when htmx has swapped in the page it asked the server for.
RESTORE_FROM_SERVER = """
sessionStorage.removeItem("htmx-history-cache");
window.restoredFromServer = false;
document.body.addEventListener("htmx:historyRestore", event => {
  window.restoredFromServer = event.detail.cacheMiss === true;
}, {once: true});
"""


def sort_first_column(page):
    """Sort by the first sortable header through htmx; False when no column sorts."""
    header = page.locator("#object-table thead a[href]")
    if not header.count():
        return False
    with page.expect_response(
        lambda response: response.request.headers.get("hx-request") == "true",
        timeout=CHECK_TIMEOUT,
    ) as partial:
        header.first.click()
    assert partial.value.ok
    assert "<html" not in partial.value.text()  # the table alone: sorting stays on the page
    expect(page).to_have_url(re.compile(r"[?&]sort="), timeout=CHECK_TIMEOUT)
    return True


def over_types(page, base_url, types, journey):
    """Run the journey for each type on the same page; fail once, listing every failed type."""
    failures = []
    for object_type in types:
        try:
            journey(page, base_url, object_type)
        except (AssertionError, PlaywrightError) as error:  # expect raises AssertionError
            failures.append(f"{object_type.label}: {str(error).splitlines()[0]}")
    assert not failures, "\n".join(failures)


def click_to_detail_and_back(page, base_url, object_type):
    """Open the list, click its first row: the detail is a page of its own; Back: the list."""
    list_path = list_url(object_type)
    whole_list = f"{base_url}{list_path}"
    page.goto(whole_list)
    assert_one_layout(page, f"list {list_path}")
    row_path = open_first_row(page, base_url, object_type)
    page.go_back()
    assert_list_page(page, object_type, whole_list, row_path, "Back from a detail")


def back_after_sorting(page, base_url, object_type):
    """Back after an htmx sort, and after a sorted list's detail: the whole list."""
    list_path = list_url(object_type)
    whole_list = f"{base_url}{list_path}"
    page.goto(whole_list)
    row_path = first_row_detail_link(page, object_type)[1]
    assert sort_first_column(page), f"{object_type.label}: no sortable column"
    # Back from a sort made in place: htmx restores the page it saved, or, when its history
    # cache misses (emptied here), asks the server for it: the whole page, not the table.
    page.evaluate(RESTORE_FROM_SERVER)
    page.go_back()
    page.wait_for_function("window.restoredFromServer === true", timeout=CHECK_TIMEOUT)
    assert_list_page(page, object_type, whole_list, row_path, "Back from a sort (htmx restore)")
    # Back from a detail to the sorted list's address: the browser must not replay the
    # table fragment that htmx fetched at that address.
    sort_first_column(page)
    row_path = open_first_row(page, base_url, object_type)
    page.go_back()
    sorted_url = re.compile(rf"^{re.escape(whole_list)}\?(.*&)?sort=")
    assert_list_page(page, object_type, sorted_url, row_path, "Back to a sorted list")


def signed_in_with_rows(page, live_server, admin_user):
    """A row of every type, and the administrator signed in on the page."""
    make_rows()
    sign_in(page, live_server.url, admin_user.username)
    page.wait_for_url(f"{live_server.url}/")


def test_a_row_click_opens_the_detail_as_a_page_and_back_returns_to_the_list(
    page, live_server, admin_user, viewport_name
):
    """Every list: clicking the first row opens its detail with one layout and its title, and
    Back shows the whole list page again."""
    signed_in_with_rows(page, live_server, admin_user)
    over_types(page, live_server.url, LISTED_TYPES, click_to_detail_and_back)


def test_back_after_sorting_shows_the_whole_list_again(
    page, live_server, admin_user, viewport_name
):
    """Back from an htmx sort, and from a detail opened from the sorted list, shows the whole
    list page (the sorting machinery is the same for every type: one type of each domain)."""
    signed_in_with_rows(page, live_server, admin_user)
    over_types(page, live_server.url, SORT_SAMPLE, back_after_sorting)
