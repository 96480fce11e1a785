"""The procurement seeder: the announced numbers, rows as the rules compute them, no line
overdrawn nor lot exceeded; the bench's procurement pages."""

import io
from datetime import date

import pytest
from django.db.models import Count, F, Sum
from django.test import Client

from dpti.core import roles
from dpti.directory.models import Company
from dpti.procurement import numbers, ordering
from dpti.procurement.models import (
    BudgetLine,
    Commitment,
    Contract,
    ContractLot,
    FiscalYear,
    Invoice,
    PurchaseOrder,
)
from dpti.sampledata.procurement import bench, scale
from dpti.sampledata.scale import scale_modules

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    """Every app's tiny data set, as `seed_scale --size tiny` makes it."""
    out = io.StringIO()
    for module in scale_modules():
        module.seed(size="tiny", stdout=out)
    return out.getvalue()


def test_seed_creates_the_announced_numbers(seeded):
    """--size tiny: its contracts, orders, one commitment per order, its invoices; the
    years before the last closed."""
    contracts, orders, invoices = scale.SIZES["tiny"]
    assert Contract.objects.count() == contracts
    assert PurchaseOrder.objects.count() == orders
    assert Commitment.objects.count() == orders
    assert Invoice.objects.count() == invoices
    statuses = dict(FiscalYear.objects.values_list("year", "status"))
    assert statuses == {2024: "closed", 2025: "closed", 2026: "open"}
    holders = set(ContractLot.objects.values_list("holder", flat=True))
    assert holders <= set(Company.objects.values_list("pk", flat=True))
    assert "Marchés et budget" in seeded


def test_seeded_budget_and_lots_hold_their_orders(seeded):
    """No line overdrawn, no lot beyond its ceiling, each live order committed for its
    amount incl. tax on its own line (cancelled ones released)."""
    assert not BudgetLine.objects.with_execution().filter(available__lt=0).exists()
    for lot in ContractLot.objects.annotate(n=Count("orders")).filter(n__gt=0)[:200]:
        assert ordering.ordered_on_lot(lot) <= ordering.lot_ceiling(lot)
    mismatched = PurchaseOrder.objects.exclude(commitment__amount=F("amount_incl_tax"))
    assert not mismatched.exists()
    assert not PurchaseOrder.objects.exclude(commitment__budget_line=F("budget_line")).exists()
    cancelled = PurchaseOrder.objects.filter(status=PurchaseOrder.Status.CANCELLED)
    assert cancelled.exists()
    assert not cancelled.filter(commitment__status=Commitment.Status.ACTIVE).exists()
    # 1 000 000 at the normal rate of 11 % → 1 110 000 incl. tax
    order = PurchaseOrder.objects.filter(tax_rate__code="TN").first()
    assert order.amount_incl_tax == order.amount_excl_tax * 111 // 100
    total = Commitment.objects.filter(status="active").aggregate(t=Sum("amount"))["t"]
    lines = BudgetLine.objects.with_execution()
    assert sum(line.committed_total for line in lines) == total


def test_seeded_invoices_hold_what_the_rule_computes(seeded):
    """Paid invoices pass full_clean, which recomputes the same delay and interest; some are
    late with interest; numbers go on from the seeded ones."""
    fields = ("status", "due_on", "payment_days", "late_days", "late_interest")
    for invoice in Invoice.objects.filter(paid_on__isnull=False).order_by("pk")[:150]:
        stored = [getattr(invoice, name) for name in fields]
        invoice.full_clean()
        assert [getattr(invoice, name) for name in fields] == stored
    assert Invoice.objects.filter(late_interest__gt=0).exists()
    assert Invoice.objects.filter(paid_on__isnull=True).exists()
    seeded_2026 = PurchaseOrder.objects.filter(issued_on__year=2026).count()
    assert numbers.next_order_number(date(2026, 7, 1)) == f"BC-2026-{seeded_2026 + 1:05d}"
    assert not Invoice.objects.values("number").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_bench_pages_of_procurement_answer(seeded, client_for):
    """The bench measures the reports, the busiest contract, supplier and lot, each answering
    with the rows it announces."""
    client = client_for(roles.ADMINISTRATOR)
    found = {label: (url, count) for label, url, count in bench.pages(client)}
    expected = {
        "marché fiche (le plus de commandes)",
        "factures liste filtrée par fournisseur",
        "commandes d'un lot chargé",
    }
    assert expected <= set(found)
    url, count = found["factures liste filtrée par fournisseur"]
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["table"].paginator.count == count
    url, count = found["commandes d'un lot chargé"]
    assert client.get(url).context["table"].paginator.count == count > 10


def test_bench_pages_leave_out_a_page_that_does_not_answer(seeded):
    """A page refused to the client (here: not signed in) is left out, not a failure."""
    assert bench.pages(Client()) == []
