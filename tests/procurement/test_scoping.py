"""What a contractor sees of procurement: his company's contracts, lots, orders and invoices.

A contractor account is a person of kind « contractor's staff » linked to his company
(tests.conftest.make_user). Everything else of procurement (budget, commitments, needs, other
companies' business) stays hidden in the lists, the detail pages, the exports, the global
search and the API; a requester sees none of it.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dpti.core import roles
from dpti.core.services import save_object
from dpti.directory.scoping import company_of
from dpti.procurement.models import (
    Amendment,
    Contract,
    ContractLot,
    Invoice,
    LatePaymentRate,
    PaymentSuspension,
    PurchaseOrder,
    ServiceOrder,
)
from tests.conftest import make_user
from tests.factories import (
    AmendmentFactory,
    BudgetLineFactory,
    CommitmentFactory,
    CompanyFactory,
    ContractFactory,
    ContractLotFactory,
    InvoiceFactory,
    PaymentSuspensionFactory,
    PurchaseNeedFactory,
    PurchaseOrderFactory,
    ServiceOrderFactory,
)

pytestmark = pytest.mark.django_db

# (model name in URLs and the API, url slug of the API) of what a contractor may read.
VISIBLE_TYPES = (
    ("contract", "contracts"),
    ("contractlot", "lots"),
    ("amendment", "amendments"),
    ("serviceorder", "service-orders"),
    ("purchaseorder", "orders"),
    ("invoice", "invoices"),
    ("paymentsuspension", "payment-suspensions"),
)
HIDDEN_TYPES = (
    ("budgetline", "budget-lines"),
    ("commitment", "commitments"),
    ("purchaseneed", "needs"),
    ("fiscalyear", "fiscal-years"),
)


@pytest.fixture
def world(buyer):
    """Two contracts: A shared by the contractor's company (lot 1) and a rival (lot 2), B held
    by the rival alone; amendments, service orders, orders, invoices and suspensions on each
    side, and budget records no contractor may see."""
    contractor = make_user(roles.CONTRACTOR)
    company_id = company_of(contractor)
    rival = CompanyFactory(name="Concurrent Froid SARL")
    shared = ContractFactory(reference="ESSAI-M-A", object="Maintenance climatisation")
    alone = ContractFactory(reference="ESSAI-M-B", object="Nettoyage des locaux")
    mine = ContractLotFactory(
        contract=shared, number=1, title="Climatisation Vauban", holder_id=company_id
    )
    theirs = ContractLotFactory(contract=shared, number=2, title="Climatisation Sud", holder=rival)
    rival_lot = ContractLotFactory(contract=alone, number=1, title="Nettoyage", holder=rival)
    data = {
        "contractor": contractor,
        "company_id": company_id,
        "shared": shared,
        "alone": alone,
        "mine": mine,
        "theirs": theirs,
        "rival_lot": rival_lot,
        "amendment_whole": AmendmentFactory(contract=shared, number=1, object="Avenant global"),
        "amendment_mine": AmendmentFactory(
            contract=shared, lot=mine, number=2, object="Avenant lot Vauban"
        ),
        "amendment_theirs": AmendmentFactory(
            contract=shared, lot=theirs, number=3, object="Avenant lot Sud"
        ),
        "amendment_alone": AmendmentFactory(contract=alone, number=1, object="Avenant nettoyage"),
        "os_whole": ServiceOrderFactory(contract=shared, number=1, object="OS démarrage global"),
        "os_mine": ServiceOrderFactory(contract=shared, lot=mine, number=2, object="OS lot Vauban"),
        "os_theirs": ServiceOrderFactory(
            contract=shared, lot=theirs, number=3, object="OS lot Sud"
        ),
        "os_alone": ServiceOrderFactory(contract=alone, number=1, object="OS nettoyage"),
        "order_mine": PurchaseOrderFactory(
            number="BC-MIEN-1",
            lot=mine,
            object="Filtres",
            issued_on=timezone.localdate() - timedelta(days=75),  # before its invoice
        ),
        "order_free": PurchaseOrderFactory(
            number="BC-MIEN-2", lot=None, supplier=mine.holder, object="Dépannage hors marché"
        ),
        "order_theirs": PurchaseOrderFactory(number="BC-SUD-1", lot=theirs, object="Gaz"),
        "order_alone": PurchaseOrderFactory(number="BC-NET-1", lot=rival_lot, object="Vitres"),
        "budget_line": BudgetLineFactory(label="Ligne secrète climatisation"),
        "commitment": CommitmentFactory(object="Engagement secret climatisation"),
        "need": PurchaseNeedFactory(object="Besoin secret climatisation"),
    }
    today = timezone.localdate()
    # The contractor's invoice: received and certified 60 days ago, paid 15 days ago, so paid
    # 45 days after the start of the delay, 30 days allowed: 15 days late.
    late = InvoiceFactory.build(
        number="FAC-MIEN-1",
        order=data["order_mine"],
        supplier=None,
        supplier_reference="VAU-001",
        received_on=today - timedelta(days=60),
        service_done_on=today - timedelta(days=60),
        paid_on=today - timedelta(days=15),
        amount_excl_tax=100_000,
        tax_rate=data["order_mine"].tax_rate,
    )
    data["invoice_mine"] = save_object(late, user=buyer)
    data["invoice_theirs"] = InvoiceFactory(
        number="FAC-SUD-1", order=data["order_theirs"], supplier_reference="SUD-001"
    )
    data["suspension_mine"] = PaymentSuspensionFactory(
        invoice=data["invoice_mine"],
        suspended_on=today - timedelta(days=50),
        resumed_on=today - timedelta(days=50),
        reason="Relevé manquant Vauban",
    )
    data["suspension_theirs"] = PaymentSuspensionFactory(
        invoice=data["invoice_theirs"], reason="Relevé manquant Sud"
    )
    return data


def visible(world):
    """{model name: the records of that type the contractor must see}."""
    return {
        "contract": {world["shared"]},
        "contractlot": {world["mine"]},
        "amendment": {world["amendment_whole"], world["amendment_mine"]},
        "serviceorder": {world["os_whole"], world["os_mine"]},
        "purchaseorder": {world["order_mine"], world["order_free"]},
        "invoice": {world["invoice_mine"]},
        "paymentsuspension": {world["suspension_mine"]},
    }


def hidden(world):
    """{model name: records of that type the contractor must not see}."""
    return {
        "contract": {world["alone"]},
        "contractlot": {world["theirs"], world["rival_lot"]},
        "amendment": {world["amendment_theirs"], world["amendment_alone"]},
        "serviceorder": {world["os_theirs"], world["os_alone"]},
        "purchaseorder": {world["order_theirs"], world["order_alone"]},
        "invoice": {world["invoice_theirs"]},
        "paymentsuspension": {world["suspension_theirs"]},
    }


def body(response):
    """The text of a (streamed) export."""
    return raw(response).decode("utf-8-sig")


def raw(response):
    """The bytes of a response, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def contractor_client(client, world):
    client.force_login(world["contractor"])
    return client


def test_the_scope_rules_give_exactly_the_companys_records(world):
    """Each type's scope keeps the company's records and drops the rival's."""
    from dpti.core.permissions import restrict
    from dpti.procurement.models import PaymentSuspension as Suspension

    models = {
        "contract": Contract,
        "contractlot": ContractLot,
        "amendment": Amendment,
        "serviceorder": ServiceOrder,
        "purchaseorder": PurchaseOrder,
        "invoice": Invoice,
        "paymentsuspension": Suspension,
    }
    for name, model in models.items():
        found = set(restrict(model.objects.all(), world["contractor"], "view"))
        assert found == visible(world)[name], name
    # The rival's records exist: the scope, not an empty table, hides them.
    assert Invoice.objects.count() == 2
    assert PaymentSuspension.objects.count() == 2


def test_the_lists_show_only_the_companys_records(client, world):
    """Every list page shows the company's records and none of the rival's."""
    client = contractor_client(client, world)
    for name, _slug in VISIBLE_TYPES:
        response = client.get(reverse(f"procurement:{name}_list"))
        html = response.content.decode()
        assert response.status_code == 200, name
        for record in visible(world)[name]:
            assert reverse(f"procurement:{name}_detail", args=[record.pk]) in html, (name, record)
        for record in hidden(world)[name]:
            assert reverse(f"procurement:{name}_detail", args=[record.pk]) not in html, (
                name,
                record,
            )


def test_the_detail_pages_of_others_answer_404(client, world):
    """A rival's record answers 404 (its existence is not revealed); his own answer 200."""
    client = contractor_client(client, world)
    for name, _slug in VISIBLE_TYPES:
        for record in visible(world)[name]:
            url = reverse(f"procurement:{name}_detail", args=[record.pk])
            assert client.get(url).status_code == 200, (name, record)
        for record in hidden(world)[name]:
            url = reverse(f"procurement:{name}_detail", args=[record.pk])
            assert client.get(url).status_code == 404, (name, record)


def test_the_invoice_page_tells_the_contractor_his_delay_and_interest(client, world):
    """His paid invoice shows its status, days late and the interest owed to him."""
    invoice = world["invoice_mine"]
    # Delay starts at receipt (service done the same day), day -60; paid day -15: 45 days
    # elapsed, one suspension of 0 days (resumed the day it started); 30 allowed → 15 late.
    assert invoice.late_days == 15
    rate = LatePaymentRate.objects.in_force(invoice.due_on + timedelta(days=1))
    # 100 000 XPF + TGC 11 % = 111 000 XPF; interest = 111 000 * rate * 15 / 36 500.
    assert rate is not None  # installed with the reference data, half-year by half-year
    expected = (Decimal(111_000) * rate.rate * 15 / Decimal(36_500)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    assert invoice.amount_incl_tax == 111_000
    assert invoice.late_interest == expected
    page = contractor_client(client, world).get(
        reverse("procurement:invoice_detail", args=[invoice.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Payée" in html
    assert "VAU-001" in html
    assert str(invoice.late_days) in html
    # The order's budget line and commitment are not the contractor's business.
    assert "Ligne secrète" not in html
    assert "Engagement secret" not in html


def test_budget_commitments_needs_and_years_are_closed(client, world):
    """No list, detail or API endpoint of the budget opens to a contractor."""
    client = contractor_client(client, world)
    records = {
        "budgetline": world["budget_line"],
        "commitment": world["commitment"],
        "purchaseneed": world["need"],
        "fiscalyear": world["budget_line"].fiscal_year,
    }
    for name, _slug in HIDDEN_TYPES:
        assert client.get(reverse(f"procurement:{name}_list")).status_code == 403, name
        detail = client.get(reverse(f"procurement:{name}_detail", args=[records[name].pk]))
        assert detail.status_code in (403, 404), name
        api = client.get(reverse(f"api:procurement-{name}-list"))
        assert api.status_code == 403, name
    menu = client.get(reverse("procurement:invoice_list")).content.decode()
    assert reverse("procurement:budgetline_list") not in menu
    assert reverse("procurement:purchaseneed_list") not in menu


def test_exports_hold_only_the_companys_rows(client, world):
    """The CSV export of a list carries the same scope as the page."""
    client = contractor_client(client, world)
    orders = client.get(reverse("procurement:purchaseorder_list"), {"export": "csv"})
    text = body(orders)
    assert orders.status_code == 200
    assert "BC-MIEN-1" in text
    assert "BC-MIEN-2" in text
    assert "BC-SUD-1" not in text
    assert "BC-NET-1" not in text
    invoices = client.get(reverse("procurement:invoice_list"), {"export": "csv"})
    text = body(invoices)
    assert "VAU-001" in text
    assert "SUD-001" not in text
    contracts = client.get(reverse("procurement:contract_list"), {"export": "xlsx"})
    assert contracts.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(raw(contracts))).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "ESSAI-M-A" in cells
    assert "ESSAI-M-B" not in cells


def test_the_global_search_finds_only_the_companys_records(client, world):
    """Searching a word common to both sides finds only the contractor's records."""
    client = contractor_client(client, world)
    html = client.get(reverse("search"), {"q": "climatisation"}).content.decode()
    assert reverse("procurement:contract_detail", args=[world["shared"].pk]) in html
    assert "Ligne secrète" not in html
    assert "Engagement secret" not in html
    assert "Besoin secret" not in html
    html = client.get(reverse("search"), {"q": "nettoyage"}).content.decode()
    assert reverse("procurement:contract_detail", args=[world["alone"].pk]) not in html
    assert "Nettoyage des locaux" not in html
    html = client.get(reverse("search"), {"q": "SUD-001"}).content.decode()
    assert reverse("procurement:invoice_detail", args=[world["invoice_theirs"].pk]) not in html
    html = client.get(reverse("search"), {"q": "VAU-001"}).content.decode()
    assert reverse("procurement:invoice_detail", args=[world["invoice_mine"].pk]) in html


def test_the_api_lists_and_details_follow_the_scope(client, world):
    """The API lists the company's records and answers 404 for a rival's."""
    client = contractor_client(client, world)
    for name, _slug in VISIBLE_TYPES:
        response = client.get(reverse(f"api:procurement-{name}-list"), {"limit": 100})
        assert response.status_code == 200, name
        ids = {row["id"] for row in response.json()["results"]}
        assert ids == {r.pk for r in visible(world)[name]}, name
        for record in hidden(world)[name]:
            detail = client.get(reverse(f"api:procurement-{name}-detail", args=[record.pk]))
            assert detail.status_code == 404, (name, record)
        for record in visible(world)[name]:
            detail = client.get(reverse(f"api:procurement-{name}-detail", args=[record.pk]))
            assert detail.status_code == 200, (name, record)
    invoice = client.get(
        reverse("api:procurement-invoice-detail", args=[world["invoice_mine"].pk])
    ).json()
    assert (invoice["status"], invoice["late_days"]) == ("paid", 15)


def test_the_contract_page_lists_only_his_lots_and_parts(client, world):
    """On the shared contract's page, the rival's lot, amendment and order stay hidden."""
    client = contractor_client(client, world)
    html = client.get(
        reverse("procurement:contract_detail", args=[world["shared"].pk])
    ).content.decode()
    assert "Climatisation Vauban" in html
    assert "Climatisation Sud" not in html
    assert "Avenant lot Sud" not in html
    assert "OS lot Sud" not in html
    assert "Concurrent Froid" not in html


def test_a_contractor_without_company_sees_nothing(client, world):
    """A contractor account whose person has no company gets empty lists."""
    from dpti.directory.models import Person

    user = make_user(roles.CONTRACTOR)
    Person.objects.filter(user=user).update(company=None, kind="agent")
    client.force_login(user)
    for name, _slug in VISIBLE_TYPES:
        html = client.get(reverse(f"procurement:{name}_list")).content.decode()
        for record in visible(world)[name] | hidden(world)[name]:
            assert reverse(f"procurement:{name}_detail", args=[record.pk]) not in html, name


def test_a_requester_sees_nothing_of_procurement(client, world):
    """A requester has no procurement list, detail, API endpoint or search result."""
    client.force_login(make_user(roles.REQUESTER))
    for name, _slug in VISIBLE_TYPES + HIDDEN_TYPES:
        assert client.get(reverse(f"procurement:{name}_list")).status_code == 403, name
        assert client.get(reverse(f"api:procurement-{name}-list")).status_code == 403, name
    for name, records in visible(world).items():
        for record in records:
            url = reverse(f"procurement:{name}_detail", args=[record.pk])
            assert client.get(url).status_code in (403, 404), name
    html = client.get(reverse("search"), {"q": "climatisation"}).content.decode()
    assert reverse("procurement:contract_detail", args=[world["shared"].pk]) not in html
    assert Contract.objects.filter(reference="ESSAI-M-A").exists()


def test_the_contractor_does_not_read_the_names_of_budget_records(client):
    """His own order names a budget line and his invoice a commitment: a contractor sees
    neither name on the pages, in the list columns he may choose, nor in the API."""
    contractor = make_user(roles.CONTRACTOR)
    lot = ContractLotFactory(holder_id=company_of(contractor))
    line = BudgetLineFactory(label="Ligne réservée à la direction")
    order = PurchaseOrderFactory(lot=lot, budget_line=line)
    commitment = CommitmentFactory(budget_line=line, object="Engagement confidentiel")
    invoice = InvoiceFactory(order=order, commitment=commitment)
    client.force_login(contractor)

    for page in (order.get_absolute_url(), invoice.get_absolute_url()):
        html = client.get(page).content.decode()
        assert line.label not in html
        assert "Engagement confidentiel" not in html
    listing = client.get(reverse("procurement:purchaseorder_list")).content.decode()
    assert 'value="budget_line"' not in listing
    assert line.label not in listing
    api = client.get(reverse("api:procurement-purchaseorder-detail", args=[order.pk])).json()
    assert "budget_line_display" not in api
    assert api["supplier_display"]
    invoice_api = client.get(reverse("api:procurement-invoice-detail", args=[invoice.pk])).json()
    assert "commitment_display" not in invoice_api

    # The procurement manager still reads them.
    client.force_login(make_user(roles.PROCUREMENT_MANAGER))
    assert line.label in client.get(order.get_absolute_url()).content.decode()
    listing = client.get(reverse("procurement:purchaseorder_list")).content.decode()
    assert 'value="budget_line"' in listing


def test_a_contract_page_shows_no_list_the_contractor_may_not_read(client):
    """The contractor's contract page has no « Engagements » card (he may not read any), but
    keeps the lots card."""
    from django.utils import translation

    contractor = make_user(roles.CONTRACTOR)
    lot = ContractLotFactory(holder_id=company_of(contractor), title="Climatisation Vauban")
    client.force_login(contractor)
    html = client.get(lot.contract.get_absolute_url()).content.decode()
    with translation.override("fr"):
        assert str(translation.gettext("Commitments")) not in html
        assert str(translation.gettext("Lots")) in html
    assert "Climatisation Vauban" in html
