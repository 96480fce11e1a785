"""The spending report: ordered, invoiced and paid in a year, by supplier, category, line, month."""

import html
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dpti.core import roles
from dpti.core.services import save_object
from dpti.procurement.models import Commitment, PurchaseOrder
from tests.factories import (
    BudgetLineFactory,
    CommitmentFactory,
    CompanyFactory,
    ContractFactory,
    FiscalYearFactory,
    InvoiceFactory,
    PurchaseCategoryFactory,
)

pytestmark = pytest.mark.django_db

YEAR = 2031


@pytest.fixture
def spending(buyer, normal_rate):
    """Orders, a direct commitment and invoices of 2031, and some of 2030, by hand:

    - order 1: supplier A, category C1, line L1, 1 000 000 excl. tax on 15/03 → 1 110 000;
    - order 2: supplier B, category C2, line L2, 2 000 000 on 20/05 → 2 220 000;
    - order 3: supplier A, C1, L2, 500 000 on 02/05, then cancelled: not counted;
    - a direct commitment of 300 000 on L1 on 01/06 to B, for a contract of category C2;
    - invoices: 500 000 on order 1 (555 000) received 10/04 paid 05/05; 1 000 000 on order 2
      (1 110 000) received 10/06 unpaid; 100 000 on order 2 rejected; 200 000 (222 000) to A
      on a 2030 commitment, received 20/12/2030 and paid 15/01/2031.
    """
    fiscal_year, last_year = FiscalYearFactory(year=YEAR), FiscalYearFactory(year=YEAR - 1)
    a, b = CompanyFactory(name="Alpha Services"), CompanyFactory(name="Bêta Travaux")
    c1 = PurchaseCategoryFactory(code="C1", label="Fournitures de bureau")
    c2 = PurchaseCategoryFactory(code="C2", label="Entretien des bâtiments")
    l1 = BudgetLineFactory(fiscal_year=fiscal_year, code="2031-F-011-6064", label="Fournitures")
    l2 = BudgetLineFactory(fiscal_year=fiscal_year, code="2031-F-011-61521", label="Entretien")
    old_line = BudgetLineFactory(fiscal_year=last_year, code="2030-F-011-6064")

    def order(supplier, category, line, amount, day):
        return save_object(
            PurchaseOrder(
                issued_on=day,
                object="Achat",
                supplier=supplier,
                category=category,
                budget_line=line,
                amount_excl_tax=amount,
                tax_rate=normal_rate,
            ),
            user=buyer,
        )

    first = order(a, c1, l1, 1_000_000, date(YEAR, 3, 15))
    second = order(b, c2, l2, 2_000_000, date(YEAR, 5, 20))
    third = order(a, c1, l2, 500_000, date(YEAR, 5, 2))
    third.status = PurchaseOrder.Status.CANCELLED
    save_object(third, user=buyer)
    CommitmentFactory(
        budget_line=l1,
        supplier=b,
        contract=ContractFactory(category=c2),
        committed_on=date(YEAR, 6, 1),
        amount=300_000,
    )
    old = CommitmentFactory(
        budget_line=old_line, supplier=a, committed_on=date(YEAR - 1, 12, 1), amount=999_000
    )
    InvoiceFactory(
        order=first,
        commitment=first.commitment,
        amount_excl_tax=500_000,
        received_on=date(YEAR, 4, 10),
        paid_on=date(YEAR, 5, 5),
    )
    InvoiceFactory(
        order=second,
        commitment=second.commitment,
        amount_excl_tax=1_000_000,
        received_on=date(YEAR, 6, 10),
    )
    InvoiceFactory(
        order=second,
        commitment=second.commitment,
        amount_excl_tax=100_000,
        received_on=date(YEAR, 6, 11),
        is_rejected=True,
    )
    InvoiceFactory(
        order=None,
        commitment=old,
        supplier=a,
        tax_rate=normal_rate,
        amount_excl_tax=200_000,
        received_on=date(YEAR - 1, 12, 20),
        paid_on=date(YEAR, 1, 15),
    )
    return {"a": a, "b": b, "c1": c1, "c2": c2, "l1": l1, "l2": l2, "old_line": old_line}


def report(client, **params):
    response = client.get(reverse("procurement:spending"), {"year": YEAR, **params})
    assert response.status_code == 200
    return response


def figures(response):
    return {
        row["key"]: (row["ordered"], row["invoiced"], row["paid"])
        for row in response.context["rows"]
    }


def test_spending_by_supplier_adds_up_by_hand(client_for, spending):
    """Ordered: active commitments of the year incl. tax; invoiced: invoices received in the
    year, rejected left out; paid: invoices paid in the year; the largest orderer first."""
    response = report(client_for(roles.PROCUREMENT_MANAGER), by="supplier")
    a, b = spending["a"].pk, spending["b"].pk
    # A: 1 110 000 ordered (the cancelled 555 000 left out); 555 000 invoiced; paid 555 000 +
    # 222 000 (the 2030 invoice paid in January) = 777 000.
    # B: 2 220 000 + 300 000 (direct) = 2 520 000; invoiced 1 110 000; nothing paid.
    assert figures(response) == {
        a: (1_110_000, 555_000, 777_000),
        b: (2_520_000, 1_110_000, 0),
    }
    assert [row["key"] for row in response.context["rows"]] == [b, a]
    # Totals: 3 630 000 ordered, 1 665 000 invoiced, 777 000 paid.
    assert response.context["totals"] == {
        "ordered": 3_630_000,
        "invoiced": 1_665_000,
        "paid": 777_000,
    }
    body = response.content.decode()
    assert "Dépenses 2031" in body
    assert "3\u202f630\u202f000\u202fXPF" in body
    assert Commitment.objects.filter(status=Commitment.Status.CANCELLED).count() == 1


def test_spending_by_category_takes_the_order_or_the_contract_category(client_for, spending):
    """An order's category, else its contract's; the rest is « no purchase category »."""
    response = report(client_for(roles.PROCUREMENT_MANAGER), by="category")
    assert figures(response) == {
        spending["c1"].pk: (1_110_000, 555_000, 555_000),
        # 2 220 000 (order 2) + 300 000 (the direct commitment of a C2 contract).
        spending["c2"].pk: (2_520_000, 1_110_000, 0),
        None: (0, 0, 222_000),
    }
    assert "Sans catégorie d'achat" in html.unescape(response.content.decode())


def test_spending_by_budget_line(client_for, spending):
    """Commitments by their line; invoices by their commitment's line."""
    response = report(client_for(roles.PROCUREMENT_MANAGER), by="budget_line")
    assert figures(response) == {
        # 1 110 000 + 300 000 = 1 410 000.
        spending["l1"].pk: (1_410_000, 555_000, 555_000),
        spending["l2"].pk: (2_220_000, 1_110_000, 0),
        spending["old_line"].pk: (0, 0, 222_000),
    }


def test_spending_by_month_lists_the_twelve_months(client_for, spending):
    """Ordered by commitment date, invoiced by receipt, paid by payment, every month shown."""
    response = report(client_for(roles.PROCUREMENT_MANAGER), by="month")
    rows = figures(response)
    assert list(rows) == list(range(1, 13))
    assert rows[1] == (0, 0, 222_000)
    assert rows[3] == (1_110_000, 0, 0)
    assert rows[4] == (0, 555_000, 0)
    assert rows[5] == (2_220_000, 0, 555_000)
    assert rows[6] == (300_000, 1_110_000, 0)
    assert rows[2] == rows[12] == (0, 0, 0)
    assert response.context["rows"][0]["label"] == "Janvier"


def test_the_year_before_holds_its_own_commitments(client_for, spending):
    """In 2030: the 999 000 commitment and the invoice received then; its payment is 2031's."""
    response = client_for(roles.PROCUREMENT_MANAGER).get(
        reverse("procurement:spending"), {"year": YEAR - 1}
    )
    assert response.context["totals"] == {"ordered": 999_000, "invoiced": 222_000, "paid": 0}


def test_the_spending_export_holds_the_rows_and_the_total(client_for, spending):
    """The XLSX has the grouping's rows, then the total."""
    response = client_for(roles.PROCUREMENT_MANAGER).get(
        reverse("procurement:spending_xlsx"), {"year": YEAR, "by": "supplier"}
    )
    assert response.status_code == 200
    assert "depenses-2031-supplier.xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Fournisseur", "Commandé TTC", "Facturé TTC", "Payé TTC")
    assert rows[1] == (str(spending["b"]), 2_520_000, 1_110_000, 0)
    assert rows[2] == (str(spending["a"]), 1_110_000, 555_000, 777_000)
    assert rows[3] == ("Total", 3_630_000, 1_665_000, 777_000)


def test_a_bad_grouping_or_year_falls_back_to_the_defaults(client_for, spending):
    """An unknown grouping shows the suppliers; a year that is not one, the current year."""
    client = client_for(roles.PROCUREMENT_MANAGER)
    response = client.get(reverse("procurement:spending"), {"year": "abc", "by": "colour"})
    assert response.status_code == 200
    assert response.context["by"] == "supplier"
    assert response.context["year"] != "abc"


def test_the_spending_page_costs_the_same_queries_whatever_the_rows(client_for, spending, buyer):
    """More suppliers and invoices do not add queries."""
    client = client_for(roles.PROCUREMENT_MANAGER)
    report(client, by="supplier")
    with CaptureQueriesContext(connection) as few:
        report(client, by="supplier")
    for index in range(6):
        commitment = CommitmentFactory(
            budget_line=spending["l1"],
            supplier=CompanyFactory(),
            committed_on=date(YEAR, 7, 1 + index),
            amount=1_000,
        )
        InvoiceFactory(
            order=None,
            commitment=commitment,
            supplier=commitment.supplier,
            tax_rate=spending_rate(),
            amount_excl_tax=100,
            received_on=date(YEAR, 8, 1),
        )
    with CaptureQueriesContext(connection) as many:
        response = report(client, by="supplier")
    assert len(response.context["rows"]) == 8
    assert len(many) == len(few)


def spending_rate():
    from dpti.procurement.models import TaxRate

    return TaxRate.objects.get(code="TN")


@pytest.mark.parametrize("role", [roles.TECHNICIAN, roles.CONTRACTOR, roles.REQUESTER])
def test_only_readers_of_the_budget_see_the_spending(client_for, role):
    """A technician (no right on commitments), a contractor and a requester are refused."""
    client = client_for(role)
    assert client.get(reverse("procurement:spending")).status_code == 403
    assert client.get(reverse("procurement:spending_xlsx")).status_code == 403
    assert not Commitment.objects.exists()


def test_the_page_shows_the_largest_rows_and_sums_the_others(client_for, spending, monkeypatch):
    """Beyond the page's limit the largest rows are shown and the rest summed on one line (the
    table still adds up to the total); the XLSX export lists every row."""
    from dpti.procurement.views import contracts as contract_views

    monkeypatch.setattr(contract_views, "SPENDING_SCREEN_ROWS", 1)
    client = client_for(roles.PROCUREMENT_MANAGER)
    response = report(client, by="supplier")
    b = spending["b"].pk
    # B ordered 2 520 000, A 1 110 000: B is shown, A is « 1 other row ».
    assert [row["key"] for row in response.context["shown"]] == [b]
    assert response.context["others"] == {
        "count": 1,
        "ordered": 1_110_000,
        "invoiced": 555_000,
        "paid": 777_000,
    }
    assert len(response.context["rows"]) == 2  # the report itself keeps every row
    body = response.content.decode()
    table = body.split('data-testid="spending-table"')[1].split("</table>")[0]
    assert table.count('data-testid="spending-row"') == 1
    assert "Alpha Services" not in table
    assert "1 autre ligne (détaillée dans l'export XLSX)" in table
    assert "1\u202f110\u202f000\u202fXPF" in table.split('data-testid="spending-others"')[1]
    workbook = load_workbook(
        io.BytesIO(
            client.get(
                reverse("procurement:spending_xlsx"), {"year": YEAR, "by": "supplier"}
            ).content
        )
    )
    names = [row[0] for row in workbook.active.iter_rows(values_only=True)]
    assert "Alpha Services" in names
    assert "Bêta Travaux" in names


def test_all_rows_are_shown_within_the_limit(client_for, spending):
    """Two suppliers, well within the limit: no « other rows » line."""
    response = report(client_for(roles.PROCUREMENT_MANAGER), by="supplier")
    assert len(response.context["shown"]) == 2
    assert response.context["others"] is None
    assert 'data-testid="spending-others"' not in response.content.decode()
