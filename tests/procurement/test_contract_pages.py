"""A contract's follow-up: consumption panels, the contract sheet (PDF), the framework report."""

import io
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dpti.core import roles
from dpti.core.registry import registry
from dpti.directory.scoping import company_of
from dpti.procurement.models import Contract, ContractLot, PurchaseOrder
from tests.factories import (
    AmendmentFactory,
    ApplicationFactory,
    AssetFactory,
    BudgetLineFactory,
    BuildingFactory,
    CommitmentFactory,
    CompanyFactory,
    ContractFactory,
    ContractLotFactory,
    InvoiceFactory,
    PurchaseOrderFactory,
    ServiceOrderFactory,
)

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"


def xpf(amount):
    """An amount as the pages write it: 1 234 567 XPF with narrow no-break spaces."""
    return f"{amount:,}".replace(",", NNBSP) + f"{NNBSP}XPF"


def flat(text):
    """Text with every kind of space folded into one plain space (PDF text, HTML)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def pdf_text(content):
    """The text of a PDF, read back by poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def detail_url(obj):
    return reverse(registry.get(obj).url_name("detail"), args=[obj.pk])


@pytest.fixture
def framework(normal_rate):
    """A framework contract in force with two lots, orders (one cancelled), amendments and
    invoices (one rejected, one paid), figures chosen to be added up by hand."""
    today = timezone.localdate()
    contract = ContractFactory(
        reference="2026-M-042",
        object="Maintenance des ascenseurs",
        is_framework=True,
        tax_rate=normal_rate,
        start_date=today - timedelta(days=30),
        notified_on=today - timedelta(days=60),
        duration_months=24,
        renewals_allowed=2,
        renewal_months=12,
        renewal_notice_months=3,
        guarantee_retention=5,
        advance_rate=25,
        price_revision=Contract.PriceRevision.REVISABLE,
        price_revision_clause="Indice BT 47, révision annuelle au 1er janvier.",
    )
    holder_a = CompanyFactory(name="Ascenseurs du Pacifique", ridet="1234567.001")
    holder_b = CompanyFactory(name="Calédonie Levage", ridet="7654321.002")
    lot1 = ContractLotFactory(
        contract=contract,
        number=1,
        title="Ascenseurs du bâtiment principal",
        holder=holder_a,
        amount_excl_tax=8_000_000,
        minimum_excl_tax=2_000_000,
        maximum_excl_tax=10_000_000,
        tax_rate=normal_rate,
    )
    lot2 = ContractLotFactory(
        contract=contract,
        number=2,
        title="Monte-charges",
        holder=holder_b,
        amount_excl_tax=4_000_000,
        maximum_excl_tax=5_000_000,
        tax_rate=normal_rate,
    )
    AmendmentFactory(
        contract=contract, lot=lot1, number=1, amount_excl_tax=1_000_000, object="Ajout"
    )
    line = BudgetLineFactory()

    def order(lot, amount, status=PurchaseOrder.Status.ISSUED):
        return PurchaseOrderFactory(
            lot=lot,
            amount_excl_tax=amount,
            tax_rate=normal_rate,
            budget_line=line,
            status=status,
            issued_on=today,
        )

    first = order(lot1, 6_000_000)
    second = order(lot1, 3_000_000, PurchaseOrder.Status.DELIVERED)
    order(lot1, 2_000_000, PurchaseOrder.Status.CANCELLED)
    third = order(lot2, 5_000_000)
    received = today - timedelta(days=10)
    InvoiceFactory(order=first, amount_excl_tax=1_000_000, received_on=received, paid_on=today)
    InvoiceFactory(order=second, amount_excl_tax=500_000, received_on=received)
    InvoiceFactory(order=second, amount_excl_tax=100_000, received_on=received, is_rejected=True)
    InvoiceFactory(order=third, amount_excl_tax=2_000_000, received_on=received)
    return {"contract": contract, "lot1": lot1, "lot2": lot2, "holder_a": holder_a}


def panel(response, panel_id):
    return next(p for p in response.context["panels"] if p.get("id") == panel_id)


def test_the_financial_card_adds_up_each_lot_by_hand(client_for, framework):
    """Each lot: maximum + its amendments is the ceiling, live orders consume it (cancelled ones
    do not), invoices count incl. tax unless rejected, paid when paid; totals add the lots."""
    client = client_for(roles.PROCUREMENT_MANAGER)
    response = client.get(detail_url(framework["contract"]))
    assert response.status_code == 200
    card = panel(response, "consumption")["context"]
    first, second = card["rows"]
    # Lot 1: ceiling 10 000 000 + 1 000 000 = 11 000 000; ordered 6 000 000 + 3 000 000
    # (the cancelled 2 000 000 left out) = 9 000 000; remaining 2 000 000; 9/11 = 81.8 %.
    assert (first.initial, first.minimum, first.amendments) == (10_000_000, 2_000_000, 1_000_000)
    assert (first.ceiling, first.ordered, first.remaining) == (11_000_000, 9_000_000, 2_000_000)
    assert str(first.percent) == "81.8"
    assert first.level == "warning"
    # Invoices incl. tax at 11 %: 1 000 000 → 1 110 000 (paid) and 500 000 → 555 000;
    # the rejected 100 000 does not count.
    assert (first.invoiced, first.paid) == (1_110_000 + 555_000, 1_110_000)
    # Lot 2: 5 000 000 ordered of a 5 000 000 maximum: 100 %, red; 2 000 000 → 2 220 000.
    assert (second.ceiling, second.ordered, second.remaining) == (5_000_000, 5_000_000, 0)
    assert (second.level, second.invoiced, second.paid) == ("danger", 2_220_000, 0)
    total = card["total"]
    # 11 000 000 + 5 000 000 = 16 000 000; 9 000 000 + 5 000 000 = 14 000 000 → 87.5 %.
    assert (total.ceiling, total.ordered, total.remaining) == (16_000_000, 14_000_000, 2_000_000)
    assert str(total.percent) == "87.5"
    assert (total.invoiced, total.paid) == (1_665_000 + 2_220_000, 1_110_000)
    body = flat(response.content.decode())
    assert "Exécution financière" in body
    assert flat(xpf(16_000_000)) in body
    assert "87,5 %" in body
    assert 'data-level="danger"' in body
    assert 'data-level="warning"' in body
    assert PurchaseOrder.objects.filter(lot=framework["lot1"]).count() == 3


def test_a_contract_amendment_and_direct_invoices_count_in_the_totals(client_for, normal_rate):
    """An amendment to the whole contract raises the total ceiling; an invoice on a direct
    commitment of the contract counts as invoiced outside the lots."""
    contract = ContractFactory(tax_rate=normal_rate)
    ContractLotFactory(contract=contract, amount_excl_tax=3_000_000, tax_rate=normal_rate)
    AmendmentFactory(contract=contract, number=1, amount_excl_tax=300_000)
    commitment = CommitmentFactory(contract=contract, amount=1_110_000)
    InvoiceFactory(
        order=None,
        commitment=commitment,
        supplier=CompanyFactory(),
        amount_excl_tax=1_000_000,
        tax_rate=normal_rate,
        paid_on=timezone.localdate(),
    )
    response = client_for(roles.PROCUREMENT_MANAGER).get(detail_url(contract))
    card = panel(response, "consumption")["context"]
    # 3 000 000 (price of the lot) + 300 000 (whole-contract amendment) = 3 300 000.
    assert card["total"].ceiling == 3_300_000
    assert (card["outside"].invoiced, card["outside"].paid) == (1_110_000, 1_110_000)
    assert card["total"].invoiced == 1_110_000
    assert 'data-testid="outside-row"' in response.content.decode()


def test_the_schedule_card_tells_when_to_decide_the_renewal(client_for, framework):
    """Start + 24 months - 1 day is the end; the renewal is decided 3 months before it."""
    contract = framework["contract"]
    today = timezone.localdate()
    response = client_for(roles.PROCUREMENT_MANAGER).get(detail_url(contract))
    card = panel(response, "schedule")["context"]
    end = contract.start_date + relativedelta(months=24) - timedelta(days=1)
    decision = end - relativedelta(months=3)
    assert (card["end"], card["decision"]) == (end, decision)
    assert card["decision_days"] == (decision - today).days
    assert (card["renewals_done"], card["renewals_allowed"]) == (0, 2)
    body = flat(response.content.decode())
    assert decision.strftime("%d/%m/%Y") in body
    assert "0 sur 2" in body


def test_a_late_renewal_decision_shows_the_days_late(client_for, normal_rate):
    """Past the decision date, the card counts the days late."""
    today = timezone.localdate()
    contract = ContractFactory(
        tax_rate=normal_rate,
        notified_on=today - relativedelta(months=12, days=20),
        start_date=today - relativedelta(months=12, days=10),
        duration_months=12,
        renewals_allowed=1,
        renewal_notice_months=1,
    )
    response = client_for(roles.PROCUREMENT_MANAGER).get(detail_url(contract))
    card = panel(response, "schedule")["context"]
    contract.refresh_from_db()
    late = (today - (contract.end_date - relativedelta(months=1))).days
    assert late > 0
    assert card["decision_late"] == late
    assert 'class="badge bg-danger-lt" data-testid="decision-days"' in response.content.decode()


def test_the_scope_card_counts_and_links_what_is_covered(client_for, framework):
    """Buildings, assets and applications covered are counted, the first ones linked."""
    contract = framework["contract"]
    buildings = BuildingFactory.create_batch(2)
    assets = AssetFactory.create_batch(10)
    application = ApplicationFactory()
    contract.buildings.set(buildings)
    contract.assets.set(assets)
    contract.applications.set([application])
    response = client_for(roles.PROCUREMENT_MANAGER).get(detail_url(contract))
    groups = {g["relation"]: g for g in panel(response, "coverage")["context"]["groups"]}
    assert (groups["buildings"]["count"], len(groups["buildings"]["items"])) == (2, 2)
    # Ten assets: all counted, the first eight named.
    assert (groups["assets"]["count"], len(groups["assets"]["items"])) == (10, 8)
    assert groups["applications"]["count"] == 1
    body = response.content.decode()
    assert f'href="{detail_url(application)}"' in body
    assert f'href="{detail_url(buildings[0])}"' in body
    assert contract.assets.count() == 10


def test_the_lot_page_shows_its_consumption(client_for, framework):
    """A lot's page shows its ceiling, what was ordered and whether the minimum is reached."""
    response = client_for(roles.PROCUREMENT_MANAGER).get(detail_url(framework["lot1"]))
    row = panel(response, "consumption")["context"]["row"]
    assert (row.ceiling, row.ordered, row.order_count, row.cancelled_count) == (
        11_000_000,
        9_000_000,
        2,
        1,
    )
    assert row.minimum_reached  # 9 000 000 ≥ 2 000 000
    body = flat(response.content.decode())
    assert flat(xpf(11_000_000)) in body
    assert "81,8 %" in body
    assert ContractLot.objects.get(pk=framework["lot1"].pk).maximum_excl_tax == 10_000_000


def test_a_technician_sees_the_contract_without_the_orders_and_invoices(client_for, framework):
    """A technician reads contracts, not orders or invoices: those columns are left out."""
    response = client_for(roles.TECHNICIAN).get(detail_url(framework["contract"]))
    assert response.status_code == 200
    card = panel(response, "consumption")["context"]
    assert not card["show_orders"]
    assert not card["show_invoices"]
    assert 'data-figure="ordered"' not in response.content.decode()


def _contract_with(count, rate):
    """A contract of `count` lots, each with `count` orders and an invoice, and covered
    buildings."""
    contract = ContractFactory(tax_rate=rate, is_framework=True)
    line = BudgetLineFactory()
    for number in range(1, count + 1):
        lot = ContractLotFactory(
            contract=contract, number=number, maximum_excl_tax=50_000_000, tax_rate=rate
        )
        AmendmentFactory(contract=contract, lot=lot, number=number, amount_excl_tax=1_000)
        ServiceOrderFactory(contract=contract, lot=lot, number=number)
        for _index in range(count):
            order = PurchaseOrderFactory(lot=lot, budget_line=line, tax_rate=rate)
        InvoiceFactory(order=order)
    contract.buildings.set(BuildingFactory.create_batch(count))
    return contract


def test_the_contract_page_costs_the_same_queries_for_2_or_10_lots(client_for, normal_rate):
    """The detail page's queries do not grow with the lots and orders of the contract."""
    client = client_for(roles.PROCUREMENT_MANAGER)
    small, large = _contract_with(2, normal_rate), _contract_with(10, normal_rate)
    client.get(detail_url(small))  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(detail_url(small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(detail_url(large)).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert PurchaseOrder.objects.filter(lot__contract=large).count() == 100


def test_the_contract_sheet_prints_the_contract_and_its_figures(client_for, framework):
    """The PDF sheet names the lots' holders with their RIDET, amounts excl. tax, TGC and incl.
    tax, the amendments' cumulative percent, the consumption and the clauses."""
    contract = framework["contract"]
    AmendmentFactory(
        contract=contract,
        number=2,
        object="Prolongation",
        amount_excl_tax=0,
        extension_months=6,
        cumulative_percent="6.67",
    )
    ServiceOrderFactory(contract=contract, number=1, object="Démarrage des prestations")
    response = client_for(roles.PROCUREMENT_MANAGER).get(
        reverse("procurement:contract_sheet", args=[contract.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "fiche-marche-2026-M-042.pdf" in response["Content-Disposition"]
    text = flat(pdf_text(response.content))
    assert "Fiche marché 2026-M-042" in text
    assert "Ascenseurs du Pacifique" in text
    assert "RIDET 1234567.001" in text
    assert "RIDET 7654321.002" in text
    # Lot 1: 8 000 000 excl. tax, TGC 11 % = 880 000, 8 880 000 incl. tax; lot 2: 4 000 000,
    # 440 000, 4 440 000; together 12 000 000, 1 320 000 and 13 320 000.
    for amount in (8_000_000, 880_000, 8_880_000, 440_000, 4_440_000, 1_320_000, 13_320_000):
        assert flat(xpf(amount)) in text, amount
    # Minimums and maximums: 2 000 000 and 10 000 000; together 15 000 000 of maximum.
    assert flat(xpf(2_000_000)) in text
    assert flat(xpf(15_000_000)) in text
    assert "6,67 %" in text
    assert "6 mois" in text
    assert "Démarrage des prestations" in text
    # Consumption: 14 000 000 ordered of a 16 000 000 ceiling, 87,5 %; ordered incl. tax
    # 9 000 000 * 1.11 = 9 990 000 and 5 000 000 * 1.11 = 5 550 000.
    assert flat(xpf(14_000_000)) in text
    assert "87,5 %" in text
    assert flat(xpf(9_990_000)) in text
    assert flat(xpf(5_550_000)) in text
    assert "Indice BT 47" in text
    assert re.search(r"Retenue de garantie.{0,40}?\b5 ?%", text)
    assert "25 %" in text
    contract.refresh_from_db()
    assert contract.end_date is not None


def test_a_contractor_gets_his_own_contract_sheet_only(client_for, framework, normal_rate):
    """A contractor holding a lot gets the sheet (his lot only), and a 404 for another
    contract."""
    client = client_for(roles.CONTRACTOR)
    company = company_of(client.user)
    ContractLot.objects.filter(pk=framework["lot2"].pk).update(holder=company)
    own = client.get(reverse("procurement:contract_sheet", args=[framework["contract"].pk]))
    assert own.status_code == 200
    text = flat(pdf_text(own.content))
    assert "Monte-charges" in text
    assert "Ascenseurs du bâtiment principal" not in text
    other = ContractLotFactory(tax_rate=normal_rate).contract
    response = client.get(reverse("procurement:contract_sheet", args=[other.pk]))
    assert response.status_code == 404
    assert ContractLot.objects.filter(holder=company).count() == 1


def test_a_requester_gets_no_contract_sheet(client_for, framework):
    """A requester may not read contracts: the sheet is not found."""
    response = client_for(roles.REQUESTER).get(
        reverse("procurement:contract_sheet", args=[framework["contract"].pk])
    )
    assert response.status_code == 404
    assert Contract.objects.filter(pk=framework["contract"].pk).exists()


def test_the_contract_page_offers_the_sheet(client_for, framework):
    """The contract's page has a « Fiche marché (PDF) » button."""
    response = client_for(roles.PROCUREMENT_MANAGER).get(detail_url(framework["contract"]))
    url = reverse("procurement:contract_sheet", args=[framework["contract"].pk])
    body = response.content.decode()
    assert f'href="{url}"' in body
    assert "Fiche marché (PDF)" in body


def test_the_framework_report_lists_lots_from_the_threshold_fullest_first(client_for, framework):
    """Lots of framework contracts in force at 80 % or more of their ceiling, fullest first;
    a lower threshold brings more; a contract not in force is left out."""
    today = timezone.localdate()
    quiet = ContractLotFactory(
        contract=ContractFactory(is_framework=True), maximum_excl_tax=10_000_000
    )
    PurchaseOrderFactory(lot=quiet, amount_excl_tax=5_000_000, issued_on=today)
    ended = ContractLotFactory(
        contract=ContractFactory(is_framework=True, status=Contract.Status.COMPLETED),
        maximum_excl_tax=1_000_000,
    )
    PurchaseOrderFactory(lot=ended, amount_excl_tax=1_000_000, issued_on=today)
    client = client_for(roles.PROCUREMENT_MANAGER)
    response = client.get(reverse("procurement:framework_consumption"))
    lots = [row.lot.pk for row in response.context["rows"]]
    # Lot 2 at 100 %, lot 1 at 81.8 %; the quiet lot at 50 % and the ended contract are not.
    assert lots == [framework["lot2"].pk, framework["lot1"].pk]
    lower = client.get(reverse("procurement:framework_consumption"), {"threshold": "50"})
    assert [row.lot.pk for row in lower.context["rows"]][-1] == quiet.pk
    body = flat(response.content.decode())
    assert "100 %" in body
    assert "81,8 %" in body
    assert ContractLot.objects.filter(contract__is_framework=True).count() == 4


def test_the_framework_export_holds_the_figures(client_for, framework):
    """The XLSX export has one row per lot with the ceiling, ordered and percent."""
    response = client_for(roles.PROCUREMENT_MANAGER).get(
        reverse("procurement:framework_consumption_xlsx")
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Marché"
    assert rows[1][0] == "2026-M-042"
    assert rows[1][6:10] == (5_000_000, 5_000_000, 0, 100.0)
    assert rows[2][6:10] == (11_000_000, 9_000_000, 2_000_000, 81.8)
    assert len(rows) == 3


def test_the_framework_report_queries_do_not_grow_with_the_lots(client_for, normal_rate):
    """One query for the lots whatever their number."""
    client = client_for(roles.PROCUREMENT_MANAGER)
    url = reverse("procurement:framework_consumption")
    for contract in (_contract_with(2, normal_rate),):
        contract.lots.update(maximum_excl_tax=1_000_000)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    for contract in (_contract_with(6, normal_rate),):
        contract.lots.update(maximum_excl_tax=1_000_000)
    with CaptureQueriesContext(connection) as many:
        second = client.get(url)
    assert len(first.context["rows"]) == 2
    assert len(second.context["rows"]) == 8
    assert len(many) == len(few)


@pytest.mark.parametrize("role", [roles.CONTRACTOR, roles.REQUESTER])
def test_scoped_users_may_not_see_the_reports(client_for, role):
    """Contractors and requesters are refused the spending and framework reports."""
    client = client_for(role)
    for name in (
        "spending",
        "spending_xlsx",
        "framework_consumption",
        "framework_consumption_xlsx",
    ):
        assert client.get(reverse(f"procurement:{name}")).status_code == 403
    home = client.get("/").content.decode()
    assert reverse("procurement:spending") not in home


def test_the_reports_are_in_the_menu_of_internal_roles(client_for):
    """The procurement manager finds both reports in the menu."""
    home = client_for(roles.PROCUREMENT_MANAGER).get("/").content.decode()
    assert f'href="{reverse("procurement:spending")}"' in home
    assert f'href="{reverse("procurement:framework_consumption")}"' in home


def test_a_contractor_sees_his_own_lots_on_the_contract_page(client_for, framework):
    """On a contract where he holds lot 2, a contractor's financial card shows that lot only,
    and no scope card (he reads no building, asset or application)."""
    client = client_for(roles.CONTRACTOR)
    company = company_of(client.user)
    ContractLot.objects.filter(pk=framework["lot2"].pk).update(holder=company)
    framework["contract"].buildings.set([BuildingFactory()])
    response = client.get(detail_url(framework["contract"]))
    assert response.status_code == 200
    card = panel(response, "consumption")["context"]
    assert [row.lot.pk for row in card["rows"]] == [framework["lot2"].pk]
    assert card["outside"] is None
    assert "coverage" not in [p.get("id") for p in response.context["panels"]]
    assert "Ascenseurs du bâtiment principal" not in response.content.decode()
    assert framework["contract"].lots.count() == 2
