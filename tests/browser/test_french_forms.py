"""Journey: an English browser (en-US) edits an asset: the page speaks French, dates are
typed and picked jj/mm/aaaa in a French calendar, the amount is grouped by thousands."""

import os
import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dpti.assets.models import Asset
from dpti.core.browser import VIEWPORTS
from tests.browser.conftest import field, fr, sign_in
from tests.factories import AssetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NARROW = "\u202f"


@pytest.fixture
def english_page(browser, viewport_name):
    """A browser set to American English (Accept-Language, Intl, native widgets)."""
    context = browser.new_context(
        viewport=VIEWPORTS[viewport_name], locale="en-US", timezone_id="Pacific/Noumea"
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def test_an_english_browser_edits_an_asset_in_french_with_day_first_dates(
    english_page, live_server, admin_user, viewport_name, tmp_path
):
    """French labels, jj/mm/aaaa dates (typed or picked in a French calendar) and a grouped
    amount, in a browser whose language is English; what was typed is what is saved."""
    page = english_page
    asset = AssetFactory(acquisition_date=date(2025, 1, 15), value=150_000)
    sign_in(page, live_server.url, admin_user.username)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(live_server.url + reverse("assets:asset_edit", args=[asset.pk]))

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name=fr("Save"))).to_be_visible()
    acquired = field(page, Asset, "acquisition_date")
    warranty = field(page, Asset, "warranty_end")
    value = field(page, Asset, "value")
    expect(acquired).to_have_value("15/01/2025")
    expect(warranty).to_have_attribute("placeholder", "jj/mm/aaaa")
    expect(warranty).to_have_attribute("type", "text")
    expect(value).to_have_value(f"150{NARROW}000")

    # The calendar opens on the typed date, in French, and writes the picked day day-first.
    acquired.click()
    calendar = page.locator('[data-vc="calendar"]:not([data-vc-calendar-hidden])')
    expect(calendar.locator('[data-vc="month"]')).to_have_text(re.compile("janv", re.I))
    expect(calendar.locator('[data-vc="year"]')).to_have_text("2025")
    expect(calendar.locator('[data-vc-week-day="1"]').first).to_have_text(re.compile("^lun", re.I))
    screenshots = Path(os.environ.get("DPTI_SCREENSHOTS", tmp_path))
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / f"asset-form-en-US-{viewport_name}.png"))
    calendar.locator('[data-vc-date="2025-01-20"] [data-vc-date-btn]').click()
    expect(acquired).to_have_value("20/01/2025")

    warranty.fill("05/03/2026")
    value.fill("")
    value.press_sequentially("200000")
    expect(value).to_have_value(f"200{NARROW}000")
    page.get_by_role("button", name=fr("Save")).click()
    page.wait_for_url(re.compile(rf"/assets/assets/{asset.pk}/$"))

    asset.refresh_from_db()
    assert asset.acquisition_date == date(2025, 1, 20)
    assert asset.warranty_end == date(2026, 3, 5)
    assert asset.value == 200_000


def test_a_negative_amount_typed_is_refused_not_turned_positive(
    english_page, live_server, admin_user
):
    """Typing « -5 » in an amount that cannot be negative keeps the minus sign: the server
    refuses it in French and nothing is saved (the page once dropped the sign and saved 5)."""
    page = english_page
    asset = AssetFactory(value=150_000)
    sign_in(page, live_server.url, admin_user.username)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(live_server.url + reverse("assets:asset_edit", args=[asset.pk]))
    value = field(page, Asset, "value")
    value.fill("")
    value.press_sequentially("-5")
    expect(value).to_have_value("-5")
    page.get_by_role("button", name=fr("Save")).click()
    expect(page.get_by_text(fr("An amount cannot be negative."))).to_be_visible()
    asset.refresh_from_db()
    assert asset.value == 150_000
