"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

import os
import shutil

import pytest

# The live server and the ORM run in threads next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
PASSWORD = "motdepasse-test-2026"


def pytest_collection_modifyitems(config, items):
    """Without Chromium, skip browser tests, unless CI demands them (DPTI_REQUIRE_BROWSER=1)."""
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("DPTI_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"Chromium is required for the browser tests ({CHROMIUM}).")
    skip = pytest.mark.skip(reason="Chromium absent : installez le paquet Debian « chromium ».")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, without the background traffic a closed network refuses."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(params=list(VIEWPORTS))
def viewport_name(request):
    """Every journey runs on a desktop and on a phone screen."""
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
def signed_in(page, live_server, transactional_db):
    """Sign in as an administrator through the real login page; returns (page, user)."""
    from dpti.core import roles
    from tests.factories import UserFactory

    user = UserFactory(roles=[roles.ADMINISTRATOR])
    page.goto(f"{live_server.url}/connexion/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page, user
