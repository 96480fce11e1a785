"""Procurement's heavy pages, for `manage.py bench` (beside the generic ones).

The budget execution, the spending and payment-delay reports of the busiest year, the contract
with the most orders, the invoices of the busiest supplier and the orders of the busiest lot.
A page that does not answer (a view not installed yet, a refusal) is left out.
"""

from django.db.models import Count

from dpti.core.registry import registry
from dpti.procurement.models import (
    BudgetLine,
    Contract,
    Invoice,
    PurchaseOrder,
)
from dpti.sampledata.scale import answering_pages


def busiest(queryset, field):
    """(value, count) of the field's value with the most rows, or (None, 0)."""
    row = (
        queryset.exclude(**{field: None})
        .values(field)
        .annotate(n=Count("pk"))
        .order_by("-n", field)
        .first()
    )
    return (row[field], row["n"]) if row else (None, 0)


def candidates():
    """(label, url name, query or args, row count) of the pages worth measuring."""
    pages = []
    year = (
        PurchaseOrder.objects.values("issued_on__year")
        .annotate(n=Count("pk"))
        .order_by("-n", "-issued_on__year")
        .values_list("issued_on__year", flat=True)
        .first()
    )
    year_query = {"year": year} if year else {}
    lines = BudgetLine.objects.filter(fiscal_year__year=year).count() if year else 0
    pages.append(("exécution budgétaire", "procurement:budget_execution", year_query, lines))
    orders_of_year = PurchaseOrder.objects.filter(issued_on__year=year).count() if year else 0
    pages.append(("dépenses de l'année", "procurement:spending", year_query, orders_of_year))
    paid = Invoice.objects.filter(paid_on__year=year).count() if year else 0
    pages.append(("délais de paiement", "procurement:payment_delays", year_query, paid))
    contract, count = busiest(PurchaseOrder.objects.all(), "lot__contract")
    if contract:
        url_name = registry.get(Contract).url_name("detail")
        pages.append(("marché fiche (le plus de commandes)", url_name, [contract], count))
    supplier, count = busiest(Invoice.objects.all(), "supplier")
    if supplier:
        url_name = registry.get(Invoice).url_name("list")
        pages.append(
            ("factures liste filtrée par fournisseur", url_name, {"supplier": supplier}, count)
        )
    lot, count = busiest(PurchaseOrder.objects.all(), "lot")
    if lot:
        url_name = registry.get(PurchaseOrder).url_name("list")
        pages.append(("commandes d'un lot chargé", url_name, {"lot": lot}, count))
    return pages


def pages(client):
    """[(label, url, row count)] of the pages that answer; each is tried once first."""
    return answering_pages(client, candidates())
