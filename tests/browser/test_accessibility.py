"""Accessibility: axe-core's WCAG 2.0/2.1 A and AA rules find nothing on DPTI's pages.

One browser page per viewport visits the sign-in page, the home page, every registered type's
list and detail (one row each, made by the registry matrices' `make_objects`), a few add forms,
an import page, the deadlines, the search, every app's report pages, and an inventory
campaign's counting and reconciliation pages. Every page's violations are collected, then the
test fails once, listing each rule id with the CSS selectors of the failing elements and the
pages they are on, so one run shows all there is to fix.

126 pages a viewport, 0.8 to 1.6 s each on two busy cores (2 to 3.5 min a viewport).
DPTI_AXE_BEST_PRACTICE=1 adds axe's other best practices, for a wider look by hand.

axe-core comes bundled with the `axe-playwright-python` package (dev dependency).
"""

import os
import time
from collections import defaultdict

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse

from dpti.assets.campaigns.services import start_counting, stop_counting
from dpti.core.registry import registry
from tests.browser.conftest import sign_in
from tests.factories import FACTORY_FOR_MODEL, AssetFactory, InventoryCampaignFactory
from tests.registry_support import OBJECT_TYPES, make_objects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
if os.environ.get("DPTI_AXE_BEST_PRACTICE") == "1":  # every best practice, for a wider look
    AXE_TAGS.append("best-practice")
# Rules outside those tags, switched on by name:
# - WCAG 2.5.3 (label in name, level A), which axe still files as experimental: a control
#   whose visible text is not part of its accessible name cannot be activated by speech;
# - the structure screen-reader users navigate by (best practices in axe): every piece of
#   content inside a landmark, one main, one level-1 heading, no empty heading, no skipped
#   heading level.
EXTRA_RULES = (
    "label-content-name-mismatch",
    "region",
    "landmark-one-main",
    "page-has-heading-one",
    "empty-heading",
    "heading-order",
)
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "rules": {rule: {"enabled": True} for rule in EXTRA_RULES},
    "resultTypes": ["violations"],
}
# Types whose add form is checked: a plain one, one with dates and amounts, one with many
# relations, one with choices and a network address.
ADD_FORMS = ("directory.person", "assets.asset", "procurement.contract", "itpark.ipaddress")
IMPORT_TYPE = "directory.person"
# Every app's own report pages (reads that are not a registry list).
REPORT_PAGES = (
    "assets:register",
    "assets:labels",
    "itpark:licence_compliance",
    "itpark:telecom_costs",
    "procurement:procedure_check",
    "procurement:splitting_report",
    "procurement:payment_delays",
    "procurement:budget_execution",
    "procurement:programmes",
    "procurement:spending",
    "procurement:framework_consumption",
)
# Pages listed per failing element in the report; the count says how many there are.
PAGES_SHOWN = 3

AXE = Axe()


class Audit:
    """Opens pages one after the other in one browser page and keeps what axe reports."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.pages = 0
        # (rule id, impact, element selector) -> pages where the element fails the rule
        self.failures = defaultdict(list)

    def check(self, path):
        """Open the path and record axe's violations on it (an HTTP error is one too)."""
        response = self.page.goto(f"{self.base_url}{path}")
        self.pages += 1
        if response is None or not response.ok:
            status = response.status if response else "no response"
            self.failures[("http-error", "critical", str(status))].append(path)
            return
        results = AXE.run(self.page, options=AXE_OPTIONS).response
        for violation in results["violations"]:
            for node in violation["nodes"]:
                target = " ".join(node["target"])
                self.failures[(violation["id"], violation["impact"], target)].append(path)

    def report(self):
        """One line per failing element: rule id, impact, selector, then where it fails."""
        lines = []
        for (rule, impact, target), paths in sorted(self.failures.items()):
            shown = ", ".join(paths[:PAGES_SHOWN]) + (" …" if len(paths) > PAGES_SHOWN else "")
            lines.append(f"  {rule} ({impact}): {target}  — {len(paths)} page(s): {shown}")
        return "\n".join(lines)


def counting_campaign(user):
    """A campaign counting one building, its one asset marked missing: the pages of the
    inventory (counting on a phone, reconciliation) have something to show."""
    asset = AssetFactory()
    campaign = InventoryCampaignFactory()
    campaign.buildings.set([asset.room.floor.building])
    start_counting(campaign, user)
    stop_counting(campaign, user)
    return campaign, asset.room


def make_one_row_of_every_type():
    """One row of every registered type (with its relations), then the deadlines they set."""
    rows = {}
    for object_type in OBJECT_TYPES:
        if object_type.model in FACTORY_FOR_MODEL:
            rows[object_type.label] = make_objects(object_type, 1)[0]
    call_command("refresh_deadlines", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return rows


def test_every_page_passes_axe(page, live_server, admin_user, viewport_name):
    """No page breaks a WCAG 2.0/2.1 A or AA rule that axe-core checks, on desktop and phone."""
    started = time.monotonic()
    rows = make_one_row_of_every_type()
    audit = Audit(page, live_server.url)

    audit.check(reverse("login"))
    sign_in(page, live_server.url, admin_user.username)
    page.wait_for_url(f"{live_server.url}/")

    audit.check(reverse("home"))
    audit.check(reverse("deadlines"))
    audit.check(reverse("search") + "?q=a")
    audit.check(reverse("roles"))
    audit.check(reverse("password_change"))
    for name in REPORT_PAGES:
        audit.check(reverse(name))
    for object_type in OBJECT_TYPES:
        audit.check(reverse(object_type.url_name("list")))
        row = rows.get(object_type.label)
        if row is not None:
            audit.check(reverse(object_type.url_name("detail"), args=[row.pk]))
    for label in ADD_FORMS:
        audit.check(reverse(registry.get(label).url_name("add")))
    audit.check(reverse(registry.get(IMPORT_TYPE).url_name("import")))
    campaign, room = counting_campaign(admin_user)
    audit.check(reverse("assets:campaign_count", args=[campaign.pk]) + f"?room={room.pk}")
    audit.check(reverse("assets:campaign_reconcile", args=[campaign.pk]))

    elapsed = time.monotonic() - started
    print(f"axe: {audit.pages} pages on {viewport_name} in {elapsed:.1f} s")  # noqa: T201
    assert not audit.failures, (
        f"axe found {len(audit.failures)} failing element(s) over {audit.pages} pages "
        f"({viewport_name}):\n{audit.report()}"
    )
