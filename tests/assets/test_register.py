"""The register of fixed assets (état de l'actif): figures by account, identities, page, files.

The mixed set below is worked out by hand for 2026 under the default M52 policy of the
reference data (capitalisation threshold 59 666 XPF, no prorata).
"""

import io
import re
import zlib
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dpti.assets.models import Asset, Disposal
from dpti.assets.register import FIGURES, asset_year, build_register
from dpti.core import roles
from dpti.core.registry import registry
from tests.factories import (
    AccountingAccountFactory,
    AccountingPolicyFactory,
    AssetCategoryFactory,
    AssetFactory,
    DisposalFactory,
)

pytestmark = pytest.mark.django_db

REGISTER_URL = reverse("assets:register")


def decide(asset, day, **kwargs):
    return DisposalFactory(
        asset=asset,
        state=Disposal.State.DECIDED,
        decision_reference="Arrêté test",
        decision_date=day,
        **kwargs,
    )


@pytest.fixture
def mixed_set():
    """Twelve assets over three accounts; the comments give each one's 2026 figures."""
    it_account = AccountingAccountFactory(number="92183", label="Informatique (test)")
    furniture_account = AccountingAccountFactory(number="92184", label="Mobilier (test)")
    art_account = AccountingAccountFactory(number="92161", label="Œuvres d'art (test)")
    it = AssetCategoryFactory(account=it_account, duration_years=4)
    software = AssetCategoryFactory(account=it_account, duration_years=2, always_capitalised=True)
    furniture = AssetCategoryFactory(account=furniture_account, duration_years=10)
    art = AssetCategoryFactory(
        account=art_account, is_depreciated=False, duration_years=None, always_capitalised=True
    )

    def asset(category, value, acquired, label):
        return AssetFactory(category=category, value=value, acquisition_date=acquired, label=label)

    # IT1 400 000 / 4 = 100 000 in 2024…2027: cum 1/1 200 000, allowance 100 000.
    asset(it, 400_000, date(2023, 2, 10), "IT1")
    # IT2 bought in 2026: an acquisition, no allowance before 2027 (M52).
    asset(it, 250_000, date(2026, 5, 5), "IT2")
    # IT3 100 000 / 4 = 25 000 in 2022…2025: fully depreciated, still held.
    asset(it, 100_000, date(2021, 6, 1), "IT3")
    # IT4 300 000 / 4 = 75 000 from 2025; sold 30/06/2026 for 50 000: cum 1/1 75 000,
    # no allowance in 2026, exit 300 000, written back 75 000.
    decide(
        asset(it, 300_000, date(2024, 1, 15), "IT4"),
        date(2026, 6, 30),
        reason=Disposal.Reason.SALE,
        sale_price=50_000,
    )
    # IT5 40 000 < 59 666: expensed, never in the register.
    asset(it, 40_000, date(2025, 3, 3), "IT5")
    # LOG1 30 000 software (always capitalised) / 2 = 15 000 in 2026, 2027.
    asset(software, 30_000, date(2025, 3, 20), "LOG1")
    # MOB1 1 000 000 / 10 = 100 000 in 2021…2030: cum 1/1 500 000, allowance 100 000.
    asset(furniture, 1_000_000, date(2020, 9, 1), "MOB1")
    # MOB2 bought in 2027: not in the 2026 register.
    asset(furniture, 500_000, date(2027, 2, 1), "MOB2")
    # MOB3 disposed on 15/11/2025: out of the 2026 register.
    decide(asset(furniture, 700_000, date(2019, 4, 1), "MOB3"), date(2025, 11, 15))
    # MOB4 350 000 / 10 = 35 000 from 2023; only proposed for disposal: cum 1/1 105 000.
    DisposalFactory(
        asset=asset(furniture, 350_000, date(2022, 7, 1), "MOB4"),
        state=Disposal.State.PROPOSED,
        decision_date=date(2026, 3, 1),
    )
    # ART1 and ART2 are not depreciated; ART2 is an acquisition of 2026.
    asset(art, 5_000_000, date(2010, 5, 5), "ART1")
    asset(art, 800_000, date(2026, 3, 3), "ART2")
    return {"it": it_account, "furniture": furniture_account, "art": art_account}


# Hand totals for 2026 (see the fixture):
# IT: gross 1/1 = 400 000 + 100 000 + 300 000 + 30 000 = 830 000; acquisitions 250 000;
#     exits 300 000; gross 31/12 = 830 000 + 250 000 - 300 000 = 780 000;
#     cum 1/1 = 200 000 + 100 000 + 75 000 = 375 000; allowance 100 000 + 15 000 = 115 000;
#     written back 75 000; cum 31/12 = 375 000 + 115 000 - 75 000 = 415 000;
#     NBV = 780 000 - 415 000 = 365 000; held 4 (IT1, IT2, IT3, LOG1); sale 50 000.
# Furniture: gross 1 000 000 + 350 000 = 1 350 000; cum 1/1 500 000 + 105 000 = 605 000;
#     allowance 100 000 + 35 000 = 135 000; cum 31/12 740 000; NBV 610 000; held 2.
# Art: gross 1/1 5 000 000; acquisitions 800 000; gross 31/12 5 800 000; NBV 5 800 000; held 2.
EXPECTED_2026 = {
    "92183": {
        "count": 4,
        "gross_start": 830_000,
        "acquisitions": 250_000,
        "exits": 300_000,
        "gross_end": 780_000,
        "cum_start": 375_000,
        "allowance": 115_000,
        "written_back": 75_000,
        "cum_end": 415_000,
        "nbv_end": 365_000,
        "sale_proceeds": 50_000,
    },
    "92184": {
        "count": 2,
        "gross_start": 1_350_000,
        "acquisitions": 0,
        "exits": 0,
        "gross_end": 1_350_000,
        "cum_start": 605_000,
        "allowance": 135_000,
        "written_back": 0,
        "cum_end": 740_000,
        "nbv_end": 610_000,
        "sale_proceeds": 0,
    },
    "92161": {
        "count": 2,
        "gross_start": 5_000_000,
        "acquisitions": 800_000,
        "exits": 0,
        "gross_end": 5_800_000,
        "cum_start": 0,
        "allowance": 0,
        "written_back": 0,
        "cum_end": 0,
        "nbv_end": 5_800_000,
        "sale_proceeds": 0,
    },
}
EXPECTED_TOTAL_2026 = {
    "count": 8,
    "gross_start": 7_180_000,
    "acquisitions": 1_050_000,
    "exits": 300_000,
    "gross_end": 7_930_000,
    "cum_start": 980_000,
    "allowance": 250_000,
    "written_back": 75_000,
    "cum_end": 1_155_000,
    "nbv_end": 6_775_000,
    "sale_proceeds": 50_000,
}


def test_register_by_account_matches_the_hand_computation(mixed_set):
    """Each account's figures and the total equal the hand-computed ones for 2026."""
    register = build_register(2026)
    figures = {totals.number: totals.figures() for totals in register.accounts}
    assert figures == EXPECTED_2026
    assert register.total.figures() == EXPECTED_TOTAL_2026
    assert [totals.number for totals in register.accounts] == ["92161", "92183", "92184"]


def test_register_excludes_expensed_future_and_earlier_disposals(mixed_set):
    """Expensed goods, assets bought after 31/12 and assets disposed before 1/1 are absent."""
    register = build_register(2026, with_lines=True)
    labels = sorted(line.asset.label for line in register.lines)
    # 12 assets - IT5 (expensed) - MOB2 (2027) - MOB3 (disposed 2025) = 9 lines.
    assert labels == ["ART1", "ART2", "IT1", "IT2", "IT3", "IT4", "LOG1", "MOB1", "MOB4"]
    sold = next(line for line in register.lines if line.asset.label == "IT4")
    assert sold.exit_date == date(2026, 6, 30)
    assert not sold.in_register_at_end


@pytest.mark.parametrize("year", range(2019, 2029))
def test_register_identities_hold_every_year(mixed_set, year):
    """gross_end = gross_start + acq - exits; cum_end = cum_start + allowance - written back;
    nbv = gross_end - cum_end; and each year opens where the previous one closed."""
    register = build_register(year)
    before = {t.number: t for t in build_register(year - 1).accounts}
    for totals in [*register.accounts, register.total]:
        assert totals.gross_end == totals.gross_start + totals.acquisitions - totals.exits
        assert totals.cum_end == totals.cum_start + totals.allowance - totals.written_back
        assert totals.nbv_end == totals.gross_end - totals.cum_end
        assert totals.cum_end <= totals.gross_end
    for totals in register.accounts:
        previous = before.get(totals.number)
        assert totals.gross_start == (previous.gross_end if previous else 0)
        assert totals.cum_start == (previous.cum_end if previous else 0)


def test_m57_asset_in_the_register_follows_its_prorata_schedule():
    """Under M57: 1 000 000 / 5 in service 01/07/2025 charges 100 822 in 2025, 200 000 in 2026."""
    policy = AccountingPolicyFactory.build(depreciation_method="m57")
    asset = AssetFactory.build(
        value=1_000_000,
        acquisition_date=date(2025, 7, 1),
        category=AssetCategoryFactory.build(duration_years=5),
    )
    first = asset_year(asset, policy, 2025)
    second = asset_year(asset, policy, 2026)
    # 200 000 * 184 / 365 = 100 821.92 → 100 822; then a full 200 000.
    assert (first.acquisitions, first.allowance, first.cum_end) == (1_000_000, 100_822, 100_822)
    assert (second.gross_start, second.cum_start, second.allowance) == (1_000_000, 100_822, 200_000)
    assert second.nbv_end == 1_000_000 - 300_822


def test_register_query_count_does_not_grow_with_assets(django_assert_max_num_queries):
    """Three queries (policies, categories, assets) whatever the number of assets."""
    category = AssetCategoryFactory(duration_years=5)
    AssetFactory.create_batch(3, category=category, acquisition_date=date(2024, 1, 1))
    with django_assert_max_num_queries(3):
        small = build_register(2026, with_lines=True)
    AssetFactory.create_batch(40, category=category, acquisition_date=date(2024, 1, 1))
    with django_assert_max_num_queries(3):
        large = build_register(2026, with_lines=True)
    assert len(large.lines) == len(small.lines) + 40


def test_register_page_queries_do_not_grow_with_assets(client_for, mixed_set):
    """The page costs the same number of queries with 12 or 52 assets."""
    client = client_for(roles.PROPERTY_MANAGER)
    client.get(REGISTER_URL + "?year=2026")  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        client.get(REGISTER_URL + "?year=2026")
    AssetFactory.create_batch(40, acquisition_date=date(2024, 1, 1), value=100_000)
    with CaptureQueriesContext(connection) as many:
        response = client.get(REGISTER_URL + "?year=2026")
    assert response.status_code == 200
    assert len(many) == len(few)


def page_register(response):
    return response.context["register"]


def test_register_page_for_a_property_manager(client_for, mixed_set):
    """The page lists each account with its totals, links to the filtered asset list."""
    client = client_for(roles.PROPERTY_MANAGER)
    response = client.get(REGISTER_URL + "?year=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-account="92183"' in html
    assert "365\u202f000\u202fXPF" in html  # NBV of the IT account
    assert "6\u202f775\u202f000\u202fXPF" in html  # total NBV
    list_url = reverse(registry.get(Asset).url_name("list"))
    link = f"{list_url}?category__account={mixed_set['it'].pk}"
    assert link in html
    listed = client.get(link).content.decode()
    assert "IT1" in listed
    assert "MOB1" not in listed
    assert '<option value="2026" selected>' in html
    assert page_register(response).total.nbv_end == 6_775_000


def test_register_page_defaults_to_last_year(client_for):
    """Without a year (or with a wrong one) the page shows last year, the one being closed."""
    client = client_for(roles.PROPERTY_MANAGER)
    last_year = timezone.localdate().year - 1
    assert client.get(REGISTER_URL).context["year"] == last_year
    assert client.get(REGISTER_URL + "?year=abc").context["year"] == last_year
    assert client.get(REGISTER_URL + "?year=99999").context["year"] == last_year


def test_register_page_is_refused_to_a_requester(client_for):
    """A requester sees his own equipment, not the register: 403."""
    assert client_for(roles.REQUESTER).get(REGISTER_URL).status_code == 403
    assert client_for(roles.CONTRACTOR).get(REGISTER_URL).status_code == 403
    assert client_for(roles.REQUESTER).get(reverse("assets:register_xlsx")).status_code == 403


def test_register_page_redirects_anonymous_users(client):
    """An anonymous visitor is sent to the sign-in page."""
    response = client.get(REGISTER_URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_register_xlsx_totals_equal_the_page_totals(client_for, mixed_set):
    """Sheet 1 (by account) and the sum of sheet 2 (assets) give the page's totals."""
    client = client_for(roles.PROPERTY_MANAGER)
    page = page_register(client.get(REGISTER_URL + "?year=2026"))
    response = client.get(reverse("assets:register_xlsx") + "?year=2026")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "etat-de-l-actif-2026.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    summary, detail = workbook.worksheets
    rows = list(summary.iter_rows(values_only=True))
    names = ["count", *FIGURES]
    total_row = rows[-1]
    assert dict(zip(names, total_row[2:], strict=True)) == page.total.figures()
    by_account = {row[0]: dict(zip(names, row[2:], strict=True)) for row in rows[1:-1]}
    for totals in page.accounts:
        assert by_account[totals.number] == totals.figures()
    assets = list(detail.iter_rows(values_only=True))
    header, lines = assets[0], assets[1:]
    assert len(lines) == 9  # the 12 assets less the expensed, the future and the disposed one
    # Columns 10… of the detail are the figures, in the order of the summary's columns 4…
    assert header[9:19] == rows[0][3:]
    for offset, name in enumerate(FIGURES):
        assert sum(line[9 + offset] for line in lines) == getattr(page.total, name), name


def test_register_pdf_is_a_landscape_pdf(client_for, mixed_set):
    """The PDF download is a PDF document (A4 landscape) named after the year."""
    response = client_for(roles.PROPERTY_MANAGER).get(reverse("assets:register_pdf") + "?year=2026")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "etat-de-l-actif-2026.pdf" in response["Content-Disposition"]
    width, height = page_sizes(response.content)[0]
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points


def page_sizes(pdf):
    """(width, height) of each page, read from the PDF's compressed object streams."""
    sizes = []
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(stream.group(1))
        except zlib.error:
            continue
        for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data):
            _x, _y, width, height = (float(n) for n in box.split())
            sizes.append((width, height))
    return sizes
