"""Procurement journey: a contract with two lots, an order on one, a late invoice paid with its
interest shown — on a desktop and a phone."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from playwright.sync_api import expect

from dpti.core.display import format_xpf
from dpti.procurement.models import (
    Contract,
    ContractLot,
    Invoice,
    LatePaymentRate,
    PurchaseOrder,
    TaxRate,
)
from tests.browser.conftest import field, fr, sign_in
from tests.factories import BudgetLineFactory, CompanyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save(page):
    page.get_by_role("button", name=fr("Save")).click()


def test_contract_lots_order_and_late_invoice(page, live_server):
    """The buyer records a contract and two lots, orders on lot 1 (its holder becomes the
    supplier and the line is committed), then pays an invoice 50 days after receipt: the page
    shows 20 days late and the interest the rule gives."""
    buyer = UserFactory(roles=["procurement_manager"])
    cleaning = CompanyFactory(name="Calédo Propreté", ridet="1234567.001")
    air = CompanyFactory(name="Froid Service NC", ridet="7654321.001")
    line = BudgetLineFactory(label="Entretien des bâtiments", voted_amount=20_000_000)
    rate = TaxRate.objects.get(code="TN")  # 11 %
    today = datetime.date.today()
    sign_in(page, live_server.url, buyer.username)
    page.wait_for_url(f"{live_server.url}/")

    # The contract.
    page.goto(f"{live_server.url}/procurement/contracts/add/")
    field(page, Contract, "reference").fill("2026-M-042")
    field(page, Contract, "object").fill("Entretien des locaux et de la climatisation")
    field(page, Contract, "kind").select_option("maintenance")
    field(page, Contract, "procedure").select_option("consultation")
    field(page, Contract, "is_framework").check()
    field(page, Contract, "status").select_option("in_force")
    field(page, Contract, "notified_on").fill(
        (today - datetime.timedelta(days=90)).strftime("%d/%m/%Y")
    )
    field(page, Contract, "start_date").fill(
        (today - datetime.timedelta(days=80)).strftime("%d/%m/%Y")
    )
    field(page, Contract, "duration_months").fill("24")
    field(page, Contract, "tax_rate").select_option(label=str(rate))
    save(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026-M-042")
    contract = Contract.objects.get(reference="2026-M-042")

    # Two lots, each with its holder.
    for number, title, holder, maximum in (
        (1, "Nettoyage", cleaning, 8_000_000),
        (2, "Climatisation", air, 6_000_000),
    ):
        page.goto(f"{live_server.url}/procurement/lots/add/?contract={contract.pk}")
        field(page, ContractLot, "number").fill(str(number))
        field(page, ContractLot, "title").fill(title)
        field(page, ContractLot, "holder").select_option(label=str(holder))
        field(page, ContractLot, "amount_excl_tax").fill("0")
        field(page, ContractLot, "tax_rate").select_option(label=str(rate))
        field(page, ContractLot, "maximum_excl_tax").fill(str(maximum))
        save(page)
        expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    assert contract.lots.count() == 2
    lot = contract.lots.get(number=1)

    # An order on lot 1: the supplier is left empty and becomes the lot's holder.
    page.goto(f"{live_server.url}/procurement/orders/add/")
    field(page, PurchaseOrder, "issued_on").fill(
        (today - datetime.timedelta(days=60)).strftime("%d/%m/%Y")
    )
    field(page, PurchaseOrder, "object").fill("Nettoyage du bâtiment administratif")
    field(page, PurchaseOrder, "lot").select_option(label=str(lot))
    field(page, PurchaseOrder, "budget_line").select_option(label=str(line))
    field(page, PurchaseOrder, "amount_excl_tax").fill("1000000")
    field(page, PurchaseOrder, "tax_rate").select_option(label=str(rate))
    save(page)
    order = PurchaseOrder.objects.get()
    expect(page.locator("[data-field=supplier]")).to_contain_text("Calédo Propreté")
    # 1 000 000 + 11 % = 1 110 000 incl. tax, committed on the line.
    assert (order.supplier, order.amount_incl_tax) == (cleaning, 1_110_000)
    assert order.commitment.amount == 1_110_000
    assert order.commitment.budget_line == line

    # The invoice, received 50 days ago, service done that day, paid today: 20 days late.
    page.goto(f"{live_server.url}/procurement/invoices/add/?order={order.pk}")
    field(page, Invoice, "supplier_reference").fill("CP-2026-0815")
    received = today - datetime.timedelta(days=50)
    field(page, Invoice, "received_on").fill(received.strftime("%d/%m/%Y"))
    field(page, Invoice, "amount_excl_tax").fill("1000000")
    field(page, Invoice, "tax_rate").select_option(label=str(rate))
    field(page, Invoice, "service_done_on").fill(received.strftime("%d/%m/%Y"))
    field(page, Invoice, "paid_on").fill(today.strftime("%d/%m/%Y"))
    save(page)

    invoice = Invoice.objects.get()
    # Due 30 days after receipt; the interest runs from the next day at the rate then in force.
    first_late_day = received + datetime.timedelta(days=31)
    in_force = LatePaymentRate.objects.in_force(first_late_day)
    # amount * rate * days / 365, rounded half up to the franc
    expected = int((1_110_000 * in_force.rate * 20 / 36500).quantize(Decimal(1), ROUND_HALF_UP))
    assert (invoice.late_days, invoice.late_interest) == (20, expected)
    expect(page.locator("[data-field=late_days]")).to_have_text("20")
    expect(page.locator("[data-field=late_interest]")).to_have_text(format_xpf(expected))
    expect(page.locator("[data-field=recovery_indemnity]")).to_have_text(
        format_xpf(in_force.recovery_indemnity)
    )
    expect(page.locator("[data-field=status]")).to_have_text(fr("Paid"))
