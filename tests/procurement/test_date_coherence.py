"""Coherence of procurement records: invoices after their order, orders in their commitment's
year, an amendment's lots from its contract, and the contract page's « add » shortcuts."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from dpti.core import roles
from dpti.procurement.models import (
    Amendment,
    Commitment,
    ContractLot,
    FiscalYear,
    Invoice,
    PurchaseOrder,
)
from tests.factories import (
    ContractFactory,
    ContractLotFactory,
    PurchaseOrderFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def buyer_client(client_for):
    return client_for(roles.PROCUREMENT_MANAGER)


@pytest.fixture
def order(normal_rate, today):
    """An order issued today on a lot of a contract in force, with its commitment."""
    order = PurchaseOrderFactory(
        issued_on=today, tax_rate=normal_rate, lot__tax_rate=normal_rate, amount_excl_tax=500_000
    )
    Commitment.objects.create(
        number="ENG-ESSAI-1",
        order=order,
        budget_line=order.budget_line,
        committed_on=order.issued_on,
        object=order.object,
        supplier=order.supplier,
        amount=order.amount_incl_tax or 555_000,
    )
    return order


def invoice_form(order, **values):
    """The invoice form's fields for an invoice of the order."""
    data = {
        "supplier_reference": "F-COHERENCE-1",
        "order": order.pk,
        "received_on": order.issued_on.isoformat(),
        "amount_excl_tax": 100_000,
        "tax_rate": order.tax_rate_id,
    }
    data.update(values)
    return data


def test_an_invoice_received_before_its_order_is_refused(buyer_client, order):
    """An invoice received before the day its order was issued is refused, in French, on the
    receipt date; nothing is saved."""
    day = order.issued_on - timedelta(days=1)
    response = buyer_client.post(
        reverse("procurement:invoice_add"), invoice_form(order, received_on=day.isoformat())
    )
    assert response.status_code == 422
    assert (
        f"La facture ne peut pas être reçue avant sa commande {order.number} du "
        f"{order.issued_on:%d/%m/%Y}." in response.content.decode()
    )
    assert not Invoice.objects.exists()


def test_an_invoice_certified_before_its_order_is_refused(buyer_client, order):
    """The service done cannot be certified before the order either (the invoice itself is
    received the day of the order)."""
    day = order.issued_on - timedelta(days=3)
    response = buyer_client.post(
        reverse("procurement:invoice_add"),
        invoice_form(order, service_done_on=day.isoformat()),
    )
    assert response.status_code == 422
    assert "Le service fait ne peut pas être certifié avant la commande" in (
        response.content.decode()
    )
    assert not Invoice.objects.exists()


def test_an_invoice_received_the_day_of_its_order_is_saved(buyer_client, order):
    """The order's own day is allowed for receipt and service done."""
    day = order.issued_on.isoformat()
    response = buyer_client.post(
        reverse("procurement:invoice_add"), invoice_form(order, service_done_on=day)
    )
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.order == order
    assert invoice.received_on == order.issued_on


def test_an_invoice_on_the_commitment_of_an_order_follows_the_order_rules(buyer_client, order):
    """Charged to an order's commitment without naming the order, the invoice still answers
    that order: received before it, it is refused through the API as through the form."""
    commitment = order.commitment
    day = order.issued_on - timedelta(days=1)
    response = buyer_client.post(
        "/api/procurement/invoices/",
        {
            "supplier": order.supplier_id,
            "supplier_reference": "F-API-1",
            "commitment": commitment.pk,
            "received_on": day.isoformat(),
            "amount_excl_tax": 100_000,
            "tax_rate": order.tax_rate_id,
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400, response.content
    assert "received_on" in response.json()
    assert not Invoice.objects.exists()


def test_an_order_outside_its_commitment_year_is_refused(buyer_client, order):
    """An order's commitment is charged to its budget line's fiscal year: moving the order to
    another year is refused in French, and the order and its commitment keep their date."""
    other_year = order.issued_on.replace(year=order.issued_on.year + 1, month=1, day=15)
    FiscalYear.objects.get_or_create(year=other_year.year)
    url = reverse("procurement:purchaseorder_edit", args=[order.pk])
    data = {
        "number": order.number,
        "issued_on": other_year.isoformat(),
        "object": order.object,
        "lot": order.lot_id,
        "supplier": order.supplier_id,
        "budget_line": order.budget_line_id,
        "amount_excl_tax": order.amount_excl_tax,
        "tax_rate": order.tax_rate_id,
        "status": order.status,
        "version": order.version,
    }
    response = buyer_client.post(url, data)
    assert response.status_code == 422
    assert (
        f"Cette date n&#x27;appartient pas à l&#x27;exercice {order.issued_on.year}"
        in response.content.decode()
    )
    order.refresh_from_db()
    assert order.issued_on != other_year
    assert order.commitment.committed_on == order.issued_on


def test_the_amendment_form_offers_only_the_lots_of_its_contract(buyer_client, normal_rate):
    """Opened for a contract, the amendment form lists that contract's lots only; posted with
    another contract's lot, it is refused and nothing is saved."""
    contract = ContractFactory(tax_rate=normal_rate)
    own = ContractLotFactory(contract=contract, title="Lot du marché", tax_rate=normal_rate)
    foreign = ContractLotFactory(title="Lot d'un autre marché", tax_rate=normal_rate)
    url = reverse("procurement:amendment_add")
    page = buyer_client.get(url, {"contract": contract.pk}).content.decode()
    lot_select = page.split('name="lot"', 1)[1].split("</select>", 1)[0]
    assert "Lot du marché" in lot_select
    assert "Lot d&#x27;un autre marché" not in lot_select
    # Changing the contract reloads the lot select from the same page (htmx).
    assert 'hx-get="/procurement/amendments/add/"' in page
    assert 'hx-select="#div_id_lot"' in page
    response = buyer_client.post(
        url,
        {
            "contract": contract.pk,
            "lot": foreign.pk,
            "number": 1,
            "signed_on": timezone.localdate().isoformat(),
            "object": "Travaux supplémentaires",
            "amount_excl_tax": 0,
            "extension_months": 0,
        },
    )
    assert response.status_code == 422
    assert not Amendment.objects.exists()
    response = buyer_client.post(
        url,
        {
            "contract": contract.pk,
            "lot": own.pk,
            "number": 1,
            "signed_on": timezone.localdate().isoformat(),
            "object": "Travaux supplémentaires",
            "amount_excl_tax": 0,
            "extension_months": 0,
        },
    )
    assert response.status_code == 302
    assert Amendment.objects.get().lot == own


def test_the_contract_page_offers_to_add_a_lot_an_amendment_and_an_order(buyer_client, normal_rate):
    """The contract page links to the lot, amendment and order forms with the contract
    filled in (the order's lot when the contract has one), coming back to the contract."""
    contract = ContractFactory(tax_rate=normal_rate)
    lot = ContractLotFactory(contract=contract, tax_rate=normal_rate)
    ContractLotFactory(tax_rate=normal_rate)  # another contract's lot, never offered
    detail = reverse("procurement:contract_detail", args=[contract.pk])
    page = buyer_client.get(detail).content.decode()
    links = {}
    for label in ("Ajouter un lot", "Ajouter un avenant", "Ajouter un bon de commande"):
        before = page.split(label, 1)[0]
        links[label] = before.rsplit('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    lot_link = urlparse(links["Ajouter un lot"])
    assert lot_link.path == reverse("procurement:contractlot_add")
    assert parse_qs(lot_link.query) == {"contract": [str(contract.pk)], "next": [detail]}
    form = buyer_client.get(links["Ajouter un lot"]).content.decode()
    assert f'<option value="{contract.pk}" selected>' in form
    amendment_link = urlparse(links["Ajouter un avenant"])
    assert amendment_link.path == reverse("procurement:amendment_add")
    form = buyer_client.get(links["Ajouter un bon de commande"]).content.decode()
    lot_select = form.split('name="lot"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{lot.pk}" selected>' in lot_select
    assert lot_select.count("<option") == 2  # the empty choice and the contract's lot
    # Saved from the shortcut, the lot belongs to the contract and the page comes back.
    response = buyer_client.post(
        lot_link.path,
        {
            "contract": contract.pk,
            "number": 7,
            "title": "Lot ajouté",
            "amount_excl_tax": 1_000_000,
            "tax_rate": normal_rate.pk,
            "next": detail,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail
    assert ContractLot.objects.get(title="Lot ajouté").contract == contract


def test_a_reader_gets_no_add_shortcut(client_for, normal_rate):
    """The shortcuts follow the rights: a role that may not add lots, amendments or orders
    sees none of them."""
    contract = ContractFactory(tax_rate=normal_rate)
    page = (
        client_for(roles.TECHNICIAN)
        .get(reverse("procurement:contract_detail", args=[contract.pk]))
        .content.decode()
    )
    assert "Ajouter un lot" not in page
    assert "Ajouter un bon de commande" not in page
    assert PurchaseOrder.objects.count() == 0


def test_a_query_string_cannot_narrow_on_undeclared_relations(buyer_client, normal_rate):
    """Only the declared « create from parent » lookups narrow a form: another lookup in the
    query string is ignored (no probing of other relations)."""
    lot = ContractLotFactory(tax_rate=normal_rate, title="Lot visible")
    response = buyer_client.get(
        reverse("procurement:purchaseorder_add"), {"lot__holder__name__startswith": "zzz"}
    )
    assert response.status_code == 200
    lot_select = response.content.decode().split('name="lot"', 1)[1].split("</select>", 1)[0]
    assert "Lot visible" in lot_select
    assert f'<option value="{lot.pk}" selected>' not in lot_select
    assert not PurchaseOrder.objects.exists()
