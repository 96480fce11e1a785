"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every journey runs on a desktop and a phone viewport. Locators go through roles and labels
whose text is the French translation computed at run time (`fr()`), so the tests follow the
catalogue instead of hard-coding it.
"""

import os
import re
from pathlib import Path

import pytest
from django.utils import translation

from dpti.core.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS

# The live server and the ORM run next to Playwright's event loop in the same process.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PASSWORD = "motdepasse-test-2026"
BROWSER_DIR = Path(__file__).resolve().parent


def fr(message, **params):
    """The French text the UI shows for an English source string (with %-parameters)."""
    with translation.override("fr"):
        text = translation.gettext(message)
    return text % params if params else text


def fr_label(model, field_name):
    """The French, capitalised label of a model field, as forms and exports show it."""
    with translation.override("fr"):
        label = str(model._meta.get_field(field_name).verbose_name)
    return label[:1].upper() + label[1:]


def labelled(page, label):
    """The form control whose label is exactly `label`, '*' of required fields aside."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def field(page, model, field_name):
    """The form control labelled with a model field's French label."""
    return labelled(page, fr_label(model, field_name))


def _is_browser_item(item):
    return BROWSER_DIR in Path(str(item.fspath)).resolve().parents


def pytest_collection_modifyitems(config, items):
    """Without Chromium, skip the browser tests, or fail when DPTI_REQUIRE_BROWSER=1 (CI)."""
    browser_items = [item for item in items if _is_browser_item(item)]
    if not browser_items or os.path.exists(CHROMIUM):
        return
    if os.environ.get("DPTI_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(
            f"DPTI_REQUIRE_BROWSER=1 but {CHROMIUM} is missing: apt-get install -y chromium"
        )
    skip = pytest.mark.skip(
        reason=f"browser tests skipped: {CHROMIUM} is missing (apt-get install -y chromium)"
    )
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, without the background traffic a closed network refuses."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(params=list(VIEWPORTS))
def viewport_name(request):
    """The journey's screen: 'desktop' (1366x900) or 'phone' (390x844)."""
    return request.param


@pytest.fixture
def page(browser, viewport_name):
    """A fresh French browser context in Nouméa's time zone, at the chosen viewport."""
    context = browser.new_context(
        viewport=VIEWPORTS[viewport_name],
        locale="fr-FR",
        timezone_id="Pacific/Noumea",
        accept_downloads=True,
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def admin_user(transactional_db):
    """An administrator account with the factories' known password."""
    from tests.factories import UserFactory

    return UserFactory(roles=["administrator"])


def submit_login(page, username, password=PASSWORD):
    """Fill and submit the sign-in form of the current page."""
    page.get_by_label(fr("Username")).fill(username)
    page.get_by_label(fr("Password")).fill(password)
    page.get_by_role("button", name=fr("Sign in")).click()


def sign_in(page, base_url, username, password=PASSWORD):
    """Open the real sign-in page and submit it."""
    page.goto(f"{base_url}/connexion/")
    submit_login(page, username, password)


@pytest.fixture
def signed_in(page, live_server, admin_user):
    """The page of an administrator signed in through /connexion/, on the home page."""
    sign_in(page, live_server.url, admin_user.username)
    page.wait_for_url(f"{live_server.url}/")
    return page


def open_main_menu(page, viewport_name):
    """The sidebar menu; on a phone it first has to be opened with the navbar toggler."""
    menu = page.get_by_role("complementary", name=fr("Main menu"))
    if viewport_name == "phone":
        toggler = menu.get_by_role("button", name=fr("Open the menu"))
        toggler.click()
        page.locator("#sidebar-menu.show").wait_for()
    return menu
