"""IT park journeys: record a server, give it an address, put an application on it and read
the impact; read the licence compliance and filter it."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from dpti.itpark.models import Application, Device, IpAddress, Licence
from tests.browser.conftest import field, fr, sign_in
from tests.factories import (
    ApplicationFactory,
    LicenceAssignmentFactory,
    LicenceFactory,
    PrefixFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/impact")


def choice(label):
    """A choice label as the French form shows it."""
    with translation.override("fr"):
        return str(label)


def shot(page, name, viewport_name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{viewport_name}.png"), full_page=True)


@pytest.fixture
def it_manager(page, live_server, transactional_db):
    """A signed-in IT manager."""
    user = UserFactory(roles=["it_manager"])
    sign_in(page, live_server.url, user.username)
    page.wait_for_url(f"{live_server.url}/")
    return user


def test_a_new_server_shows_the_applications_that_depend_on_it(
    page, live_server, viewport_name, it_manager
):
    """Server recorded, addressed and given an application: its impact lists the application
    and the one depending on it, with the path."""
    PrefixFactory(prefix="10.20.1.0/24", description="Serveurs")
    ged = ApplicationFactory(name="GED Alfresco", criticality=3)
    portal = ApplicationFactory(name="Portail élus", criticality=4)
    portal.depends_on.add(ged)

    page.goto(live_server.url + reverse("itpark:device_add"))
    field(page, Device, "name").fill("SRV-GED-01")
    field(page, Device, "kind").select_option(label=choice(Device.Kind.SERVER.label))
    page.get_by_role("button", name=fr("Save")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SRV-GED-01")
    server = Device.objects.get(name="SRV-GED-01")
    assert server.kind == Device.Kind.SERVER

    page.goto(live_server.url + reverse("itpark:ipaddress_add"))
    field(page, IpAddress, "address").fill("10.20.1.15")
    field(page, IpAddress, "device").select_option(label="SRV-GED-01")
    page.get_by_role("button", name=fr("Save")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("10.20.1.15")
    assert IpAddress.objects.get(address="10.20.1.15").device == server

    page.goto(live_server.url + reverse("itpark:application_edit", args=[ged.pk]))
    field(page, Application, "servers").select_option(label=["SRV-GED-01"])
    page.get_by_role("button", name=fr("Save")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("GED Alfresco")
    assert list(ged.servers.all()) == [server]

    page.goto(live_server.url + server.get_absolute_url())
    panel = page.locator("#impact")
    expect(panel.get_by_role("heading", name=fr("Impact: what depends on it"))).to_be_visible()
    items = panel.get_by_test_id("impact-item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("GED Alfresco")
    expect(items.nth(1)).to_contain_text("Portail élus")
    expect(items.nth(1).get_by_test_id("impact-path")).to_have_text("GED Alfresco → Portail élus")
    expect(panel.get_by_test_id("impact-applications")).to_have_text("2")
    expect(panel.get_by_test_id("impact-criticality")).to_contain_text(
        choice(Application.Criticality.VITAL.label)
    )
    panel.scroll_into_view_if_needed()
    shot(page, "server-impact", viewport_name)

    items.nth(1).get_by_role("link", name="Portail élus").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portail élus")
    requirements = page.get_by_test_id("impact-requirements")
    expect(requirements).to_contain_text("GED Alfresco")
    expect(requirements).to_contain_text("SRV-GED-01")
    shot(page, "application-impact", viewport_name)


def test_the_it_manager_filters_the_over_used_licences(
    page, live_server, viewport_name, it_manager
):
    """The compliance page shows a red badge for the over-used product and filters to it."""
    office = LicenceFactory(product="Microsoft 365 E3", quantity=2, annual_cost=1_200_000)
    for _ in range(3):
        LicenceAssignmentFactory(licence=office)
    LicenceFactory(product="Acrobat Pro", quantity=10)
    LicenceFactory(product="Firefox ESR", licence_model=Licence.Model.SITE)

    page.goto(live_server.url + reverse("itpark:licence_compliance"))
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Licence compliance"))
    rows = page.get_by_test_id("compliance-row")
    expect(rows).to_have_count(3)
    shot(page, "compliance", viewport_name)

    page.get_by_test_id("compliance-filter").get_by_role(
        "link", name=fr("Over-used products")
    ).click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Microsoft 365 E3")
    expect(rows.first).to_contain_text(fr("Over-used"))
    with page.expect_download() as download:
        page.get_by_test_id("compliance-xlsx").click()
    assert download.value.suggested_filename.startswith("conformite-licences-")
