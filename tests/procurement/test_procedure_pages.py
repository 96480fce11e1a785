"""The procedure pages: the need's « Required procedure » card, the « Which procedure? » check
(live with htmx, plain GET without JS) and the splitting report with its XLSX export."""

import io
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dpti.core import roles
from dpti.core.registry import registry
from dpti.core.services import save_object
from dpti.procurement.models import PurchaseNeed, PurchaseOrder
from tests.conftest import make_user
from tests.factories import (
    BudgetLineFactory,
    CompanyFactory,
    ContractFactory,
    ContractLotFactory,
    PurchaseCategoryFactory,
    PurchaseNeedFactory,
    PurchaseOrderFactory,
)

pytestmark = pytest.mark.django_db

N = "\u202f"
YEAR = 2026
CHECK = "procurement:procedure_check"
REPORT = "procurement:splitting_report"


def xpf(text):
    return text.replace(" ", N) + f"{N}XPF"


def page(response):
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.fixture
def category(db):
    return PurchaseCategoryFactory(code="SUP-T", label="Support d'essai", kind="services")


def order(category, amount, issued_on=date(YEAR, 3, 2)):
    return PurchaseOrderFactory(
        lot=None,
        supplier=CompanyFactory(),
        category=category,
        amount_excl_tax=amount,
        issued_on=issued_on,
        budget_line=BudgetLineFactory(),
    )


@pytest.fixture
def purchases(category):
    """In 2026: a need of 6 000 000, a contract of 4 000 000 and two orders outside contracts of
    4 000 000 and 7 000 000 (11 000 000: beyond the 10 000 000 without competition)."""
    PurchaseNeedFactory(category=category, estimated_amount=6_000_000, needed_on=date(YEAR, 2, 1))
    contract = ContractFactory(
        category=category, notified_on=date(YEAR, 1, 10), start_date=date(YEAR, 1, 10)
    )
    ContractLotFactory(contract=contract, amount_excl_tax=4_000_000)
    order(category, 4_000_000)
    order(category, 7_000_000)


def test_need_page_shows_the_procedure_card(client, buyer, category, purchases):
    """The need's page shows the procedure, the reason, the yearly total, the splitting alert
    and links to the category's lists."""
    need = PurchaseNeed(
        object="Support de niveau 2",
        category=category,
        estimated_amount=3_000_000,
        needed_on=date(YEAR, 6, 1),
    )
    save_object(need, user=buyer)
    client.force_login(buyer)
    html = page(client.get(reverse(registry.get(PurchaseNeed).url_name("detail"), args=[need.pk])))
    # 3 000 000 + 6 000 000 + 4 000 000 + 4 000 000 + 7 000 000 = 24 000 000: several firms
    assert 'data-testid="procedure-panel"' in html
    assert "Mise en concurrence de plusieurs entreprises" in html
    assert xpf("24 000 000") in html
    assert 'data-testid="splitting-warning"' in html
    assert "Fractionner un achat pour rester sous un seuil est interdit" in html
    assert f"?category={category.pk}&needed_on__gte=2026-01-01&needed_on__lte=2026-12-31" in html
    assert f"?category={category.pk}&issued_on__gte=2026-01-01&issued_on__lte=2026-12-31" in html
    need.refresh_from_db()
    assert need.year_total == 24_000_000
    assert need.splitting_suspected is True


def test_need_without_splitting_has_no_alert(client, buyer, category):
    """A need alone in its category: no alert, its procedure and its own amount as total."""
    need = PurchaseNeed(
        object="Petit achat", category=category, estimated_amount=2_000_000, needed_on=date.today()
    )
    save_object(need, user=buyer)
    client.force_login(buyer)
    html = page(client.get(reverse(registry.get(PurchaseNeed).url_name("detail"), args=[need.pk])))
    assert "Achat sans mise en concurrence obligatoire" in html
    assert 'data-testid="splitting-warning"' not in html
    assert xpf("2 000 000") in html


def test_check_by_kind_plain_get(client, buyer):
    """Without a category, the kind, the amount and the date decide: 50 000 000 of works on
    31/12/2026 need an open call; the full page answers a plain GET."""
    client.force_login(buyer)
    html = page(
        client.get(reverse(CHECK), {"kind": "works", "amount": "50 000 000", "day": "2026-12-31"})
    )
    assert "<form" in html
    assert 'data-testid="answer-procedure">Appel public à la concurrence<' in html
    assert (
        f"tranche «\u00a0plus de {xpf('40 000 000')}, jusqu'à {xpf('100 000 000')} inclus\u00a0»"
        in html
    )


def test_check_by_kind_changes_with_the_date(client, buyer):
    """The same works on 01/01/2027 fall under the base rules: open call for tenders."""
    client.force_login(buyer)
    html = page(
        client.get(reverse(CHECK), {"kind": "works", "amount": "50000000", "day": "2027-01-01"})
    )
    assert 'data-testid="answer-procedure">Appel d\'offres ouvert<' in html
    assert "délibération n° 424 du 20 mars 2019" in html


def test_check_with_a_category_adds_its_year_live(client, buyer, category, purchases):
    """With a category the year's purchases are added (htmx answers the partial only), and
    nothing is saved."""
    client.force_login(buyer)
    response = client.get(
        reverse(CHECK),
        {"category": category.pk, "amount": "3000000", "day": "2026-06-01"},
        headers={"HX-Request": "true", "HX-Target": "procedure-answer"},
    )
    html = page(response)
    assert "<form" not in html
    assert "<html" not in html
    assert 'id="procedure-answer"' in html
    # 3 000 000 + 6 000 000 + 4 000 000 + 11 000 000 = 24 000 000
    assert f'data-figure="total">{xpf("24 000 000")}<' in html
    assert f'data-figure="others">{xpf("21 000 000")}<' in html
    assert "Mise en concurrence de plusieurs entreprises" in html
    assert 'data-testid="splitting-warning"' in html
    assert PurchaseNeed.objects.count() == 1


def test_check_refuses_bad_input_in_french(client, buyer):
    """No kind nor category and an amount that is not a number: French messages, no answer."""
    client.force_login(buyer)
    html = page(client.get(reverse(CHECK), {"kind": "", "amount": "douze"}))
    assert "Choisissez la nature de l'achat ou une catégorie d'achat." in html
    assert "Saisissez un montant en XPF, en francs entiers" in html
    assert 'data-testid="answer-procedure"' not in html


def test_check_defaults_to_today(client, buyer):
    """Without a date the rules in force today answer; the empty form proposes today."""
    client.force_login(buyer)
    today = timezone.localdate()
    html = page(client.get(reverse(CHECK)))
    assert f'value="{today:%d/%m/%Y}"' in html
    html = page(client.get(reverse(CHECK), {"kind": "services", "amount": "1000"}))
    assert f"au {today:%d/%m/%Y}" in html


@pytest.mark.parametrize("role", [roles.CONTRACTOR, roles.REQUESTER])
@pytest.mark.parametrize("name", [CHECK, REPORT, "procurement:splitting_report_xlsx"])
def test_pages_are_internal(client, role, name):
    """A contractor or a requester gets 403 on the procedure pages."""
    client.force_login(make_user(role))
    assert client.get(reverse(name)).status_code == 403


def test_menu_shows_the_links_to_internal_users_only(client, buyer):
    """The procurement menu links to both pages for the buyer, not for a requester."""
    client.force_login(buyer)
    html = page(client.get("/"))
    assert reverse(CHECK) in html
    assert reverse(REPORT) in html
    client.force_login(make_user(roles.REQUESTER))
    html = client.get("/").content.decode()
    assert reverse(CHECK) not in html


def test_splitting_report_rows_and_flag(client, buyer, category, purchases):
    """One row per category with its needs, contracts, orders outside contracts and total;
    orders outside contracts above 10 000 000 are flagged."""
    quiet = PurchaseCategoryFactory(code="FOU-T", label="Fournitures d'essai", kind="supplies")
    order(quiet, 900_000)
    order(quiet, 5_000_000, issued_on=date(2025, 5, 1))  # another year
    client.force_login(buyer)
    html = page(client.get(reverse(REPORT), {"year": YEAR}))
    assert html.count('data-testid="splitting-row"') == 2
    # Support: 6 000 000 + 4 000 000 + (4 000 000 + 7 000 000) = 21 000 000
    assert f'data-figure="total">{xpf("21 000 000")}<' in html
    assert f'data-figure="total">{xpf("900 000")}<' in html
    # 21 000 000 + 900 000 = 21 900 000
    assert f'data-testid="grand-total">{xpf("21 900 000")}<' in html
    assert 'data-testid="flagged-count">1<' in html
    assert html.count('data-testid="orders-beyond"') == 1
    assert f"Commandes hors marché au-delà de {xpf('10 000 000')}" in html


def test_splitting_report_queries_do_not_grow(client, buyer, django_assert_num_queries):
    """The report costs the same queries for 1 or 6 categories."""
    client.force_login(buyer)
    order(PurchaseCategoryFactory(), 100_000)
    client.get(reverse(REPORT), {"year": YEAR})  # warm the session and caches
    with django_assert_num_queries(13) as first:
        client.get(reverse(REPORT), {"year": YEAR})
    for _ in range(5):
        category = PurchaseCategoryFactory()
        order(category, 200_000)
        PurchaseNeedFactory(category=category, needed_on=date(YEAR, 4, 1))
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(reverse(REPORT), {"year": YEAR})
    assert page(response).count('data-testid="splitting-row"') == 6


def test_splitting_xlsx_holds_the_rows(client, buyer, category, purchases):
    """The XLSX opens with openpyxl and holds a row per category and the total."""
    client.force_login(buyer)
    response = client.get(reverse("procurement:splitting_report_xlsx"), {"year": YEAR})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Code"
    assert rows[1][:10] == (
        "SUP-T",
        "Support d'essai",
        "Services",
        1,
        6_000_000,
        1,
        4_000_000,
        2,
        11_000_000,
        21_000_000,  # 6 000 000 + 4 000 000 + 11 000 000
    )
    assert rows[1][10] == "Mise en concurrence de plusieurs entreprises"
    assert rows[-1][0] == "Total"
    assert rows[-1][9] == 21_000_000
    assert PurchaseOrder.objects.filter(category=category).count() == 2


def test_check_answer_is_never_taken_for_the_page(client, buyer):
    """The live answer and its page share an address (htmx pushes it): both vary on the htmx
    headers, the answer alone is never stored, and htmx's history restore gets the page."""
    client.force_login(buyer)
    query = {"kind": "works", "amount": "50000000", "day": "2026-12-31"}
    live = {"HX-Request": "true", "HX-Target": "procedure-answer"}
    answer = client.get(reverse(CHECK), query, headers=live)
    restore = client.get(
        reverse(CHECK), query, headers={**live, "HX-History-Restore-Request": "true"}
    )
    assert "<html" not in page(answer)
    assert "no-store" in answer["Cache-Control"]
    assert "<form" in page(restore)
    assert "<html" in page(restore)
    for response in (answer, restore):
        assert 'data-testid="answer-procedure">Appel public à la concurrence<' in page(response)
        assert "hx-request" in response["Vary"].lower()
    assert PurchaseNeed.objects.count() == 0
