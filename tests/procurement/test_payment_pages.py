"""The payment delay card of an invoice and the year's payment delays report: figures computed
by hand, who may see them, the XLSX export and a query count that does not grow with rows."""

import io
from datetime import date, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dpti.core import roles
from dpti.core.display import format_xpf
from dpti.core.registry import registry
from dpti.core.services import save_object
from dpti.directory.scoping import company_of
from dpti.procurement.models import Invoice, PaymentSuspension
from tests.conftest import make_user
from tests.factories import CompanyFactory, InvoiceFactory, PurchaseOrderFactory

pytestmark = pytest.mark.django_db

D = date
REPORT = "procurement:payment_delays"
XLSX = "procurement:payment_delays_xlsx"


def detail_url(invoice):
    return reverse(registry.get(Invoice).url_name("detail"), args=[invoice.pk])


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, unescape(response.content.decode())


def invoice(buyer, normal_rate, supplier=None, amount=1_000_000, **values):
    """An invoice saved through the service, on its own order of the same amount issued the
    day of the invoice's first date (an invoice never precedes its order)."""
    values.setdefault("received_on", D(2026, 3, 2))
    first = min(d for d in (values["received_on"], values.get("service_done_on")) if d)
    order = PurchaseOrderFactory(
        amount_excl_tax=amount,
        tax_rate=normal_rate,
        issued_on=first,
        **({"supplier": supplier} if supplier else {}),
    )
    values.setdefault("supplier_reference", f"F-{order.number}")
    return save_object(
        Invoice(order=order, tax_rate=normal_rate, amount_excl_tax=amount, **values), user=buyer
    )


# --- The invoice's card ----------------------------------------------------------------------


def test_the_card_explains_a_late_payment(client, buyer, normal_rate):
    """Paid 15/04 for 02/03: start, 30 days of the 2025-2026 rules, due 01/04, 44 days, 14 late,
    10,15 % (2,15 + 8), 4 321 XPF of interest, 4 773 of indemnity, 9 094 owed; red."""
    paid = invoice(buyer, normal_rate, service_done_on=D(2026, 3, 2), paid_on=D(2026, 4, 15))
    client.force_login(buyer)
    _response, text = page(client, detail_url(paid))
    assert "Délai de paiement" in text
    card = text.split('data-testid="payment-delay"')[1]
    assert 'data-state="danger"' in text
    assert "Payée avec 14 jours de retard." in card
    assert "02/03/2026" in card
    assert "Date de réception de la facture" in card
    assert "30 jours" in card
    assert "Régime temporaire 2025-2026" in card
    assert "délibération n° 168/CP du 3 avril 2025" in card
    assert "01/04/2026" in card  # 02/03 + 30
    assert "44 jours" in card
    assert "au paiement le 15/04/2026" in card  # 29 + 15
    assert "10,15\u202f%" in card  # 2,15 + 8
    assert "taux de référence 2,15" in card
    assert "8 points" in card
    assert "02/04/2026" in card  # first day late
    # 1 110 000 * 10.15 * 14 / 36 500 = 157 731 000 / 36 500 = 4 321.397… → 4 321,40 shown,
    # 4 321 owed; + 4 773 = 9 094
    assert f"= {format_xpf(1_110_000)} \u00d7 10,15\u202f%" in card
    assert "\u00d7 14 / 365 = 4\u202f321,40" in card
    assert format_xpf(4_321) in card
    assert format_xpf(4_773) in card
    assert format_xpf(9_094) in card
    paid.refresh_from_db()
    assert (paid.late_interest, paid.recovery_indemnity) == (4_321, 4_773)


def test_the_card_starts_at_the_service_done_and_lists_suspensions(client, buyer, normal_rate):
    """Service done 16/03 after a receipt on 02/03, suspended 20/03 → 30/03: due 25/04; paid
    on 20/04 it is on time and green."""
    paid = invoice(buyer, normal_rate, service_done_on=D(2026, 3, 16))
    save_object(
        PaymentSuspension(
            invoice=paid,
            suspended_on=D(2026, 3, 20),
            resumed_on=D(2026, 3, 30),
            reason="Attestation d'assurance manquante",
        ),
        user=buyer,
    )
    paid.refresh_from_db()
    paid.paid_on = D(2026, 4, 20)
    save_object(paid, user=buyer)
    client.force_login(buyer)
    _response, text = page(client, detail_url(paid))
    card = text.split('data-testid="payment-delay"')[1]
    assert 'data-state="success"' in text
    assert "Date du service fait (16/03/2026), postérieure à la réception" in card
    assert "du 20/03/2026 au 30/03/2026" in card
    assert "Attestation d'assurance manquante" in card
    assert "10 jours" in card  # 30 - 20
    assert "25/04/2026" in card  # 16/03 + 30 + 10
    # 16/03 → 20/04 = 15 + 20 = 35 days, less 10 suspended = 25 days counted
    assert "Payée après 25 jours décomptés sur 30 autorisés." in card
    paid.refresh_from_db()
    assert (paid.due_on, paid.payment_days, paid.late_days) == (D(2026, 4, 25), 25, 0)


def test_an_unpaid_late_invoice_counts_to_today(client, buyer, normal_rate):
    """Unpaid and due 20 days ago: red, counted to today, the interest as of today."""
    today = timezone.localdate()
    unpaid = invoice(
        buyer,
        normal_rate,
        received_on=today - timedelta(days=50),
        service_done_on=today - timedelta(days=50),
    )
    client.force_login(buyer)
    _response, text = page(client, detail_url(unpaid))
    card = text.split('data-testid="payment-delay"')[1]
    assert 'data-state="danger"' in text
    assert "Impayée, 20 jours de retard à ce jour." in card  # 50 - 30
    assert f"à aujourd'hui, {today:%d/%m/%Y}" in card
    unpaid.refresh_from_db()
    assert unpaid.late_days == 20


def test_an_unpaid_invoice_due_soon_is_orange(client, buyer, normal_rate):
    """Due in 5 days (within the week): orange, with the days left."""
    today = timezone.localdate()
    unpaid = invoice(buyer, normal_rate, received_on=today - timedelta(days=25))
    client.force_login(buyer)
    _response, text = page(client, detail_url(unpaid))
    assert 'data-state="warning"' in text
    assert "5 jours restants pour payer." in text  # 30 - 25
    assert f"{today + timedelta(days=5):%d/%m/%Y}" in text


def test_a_rejected_invoice_says_no_delay_runs(client, buyer, normal_rate):
    """Rejected: the card says nothing is owed."""
    rejected = invoice(buyer, normal_rate, is_rejected=True)
    client.force_login(buyer)
    _response, text = page(client, detail_url(rejected))
    assert "aucun délai de paiement ne court" in text
    assert Invoice.objects.get(pk=rejected.pk).status == Invoice.Status.REJECTED


def test_the_contractor_sees_the_card_of_his_own_invoices_only(client, buyer, normal_rate):
    """A contractor reads the delay of his company's invoice, not another company's."""
    contractor = make_user(roles.CONTRACTOR)
    company = company_of(contractor)
    from dpti.directory.models import Company

    own = invoice(
        buyer,
        normal_rate,
        supplier=Company.objects.get(pk=company),
        service_done_on=D(2026, 3, 2),
        paid_on=D(2026, 4, 15),
    )
    other = invoice(buyer, normal_rate, supplier=CompanyFactory())
    client.force_login(contractor)
    _response, text = page(client, detail_url(own))
    assert "Délai de paiement" in text
    assert format_xpf(9_094) in text  # 4 321 + 4 773
    assert client.get(detail_url(other)).status_code in (403, 404)


# --- The year's report -----------------------------------------------------------------------


@pytest.fixture
def year_data(buyer, normal_rate):
    """2026: supplier A paid in 23 days and in 44 (14 late), supplier B in 40 (10 late); one
    invoice paid in 2025, one rejected, one unpaid past due, one unpaid not yet due."""
    today = timezone.localdate()
    alpha = CompanyFactory(name="Alpha Clim")
    beta = CompanyFactory(name="Beta Nettoyage")
    done = {"service_done_on": D(2026, 3, 2)}
    data = {
        "on_time": invoice(buyer, normal_rate, alpha, paid_on=D(2026, 3, 25), **done),
        "late": invoice(buyer, normal_rate, alpha, paid_on=D(2026, 4, 15), **done),
        "beta": invoice(
            buyer,
            normal_rate,
            beta,
            amount=500_000,
            received_on=D(2026, 6, 1),
            service_done_on=D(2026, 6, 1),
            paid_on=D(2026, 7, 11),
        ),
        "last_year": invoice(
            buyer,
            normal_rate,
            beta,
            received_on=D(2025, 12, 1),
            service_done_on=D(2025, 12, 1),
            paid_on=D(2025, 12, 10),
        ),
        "rejected": invoice(buyer, normal_rate, alpha, is_rejected=True),
        "overdue": invoice(
            buyer,
            normal_rate,
            beta,
            amount=200_000,
            received_on=today - timedelta(days=50),
            service_done_on=today - timedelta(days=50),
        ),
        "not_due": invoice(buyer, normal_rate, alpha, received_on=today - timedelta(days=5)),
    }
    return data


def test_the_report_gives_the_years_figures(client, buyer, year_data):
    """3 invoices paid in 2026 (2 775 000 XPF), mean 35,7 days, median 40, 66,7 % late,
    5 864 XPF of interest + 9 546 of indemnities; one unpaid past due of 222 000 XPF."""
    client.force_login(buyer)
    response, text = page(client, reverse(REPORT) + "?year=2026")
    figures = response.context["figures"]
    assert figures["count"] == 3
    assert figures["amount"] == 2_775_000  # 1 110 000 + 1 110 000 + 555 000
    assert str(figures["mean"]) == "35.7"  # (23 + 44 + 40) / 3 = 35.67
    assert figures["median"] == 40
    assert figures["late"] == 2
    assert str(figures["late_share"]) == "66.7"  # 2 / 3
    # 1 110 000 * 10.15 * 14 / 36 500 = 4 321.39 → 4 321
    # 555 000 * 10.15 * 10 / 36 500 = 1 543.36 → 1 543 (first day late 02/07/2026: 2.15 + 8)
    assert figures["interest"] == 5_864  # 4 321 + 1 543
    assert figures["indemnities"] == 9_546  # 2 * 4 773
    assert figures["owed"] == 15_410
    assert response.context["overdue"]["count"] == 1
    assert response.context["overdue"]["amount"] == 222_000  # 200 000 * 1.11
    assert 'data-figure="mean-delay">35,7<' in text
    assert 'data-figure="late-share">66,7<' in text
    assert format_xpf(15_410) in text
    assert "1 facture impayée échue au" in text
    assert format_xpf(222_000) in text
    stored = Invoice.objects.get(pk=year_data["beta"].pk)
    assert (stored.payment_days, stored.late_days, stored.late_interest) == (40, 10, 1_543)


def test_the_report_by_supplier_and_its_late_invoices(client, buyer, year_data):
    """Alpha: 2 paid, mean 33,5 days, 1 late, 9 094 owed; Beta: 1, 40 days, 1 late, 6 316."""
    client.force_login(buyer)
    response, text = page(client, reverse(REPORT) + "?year=2026")
    rows = {row["supplier__name"]: row for row in response.context["suppliers"]}
    assert set(rows) == {"Alpha Clim", "Beta Nettoyage"}
    alpha, beta = rows["Alpha Clim"], rows["Beta Nettoyage"]
    assert (alpha["count"], str(alpha["mean"]), alpha["late"]) == (2, "33.5", 1)  # (23+44)/2
    assert alpha["owed"] == 9_094  # 4 321 + 4 773
    assert (beta["count"], str(beta["mean"]), beta["late"]) == (1, "40.0", 1)
    assert beta["owed"] == 6_316  # 1 543 + 4 773
    late_table = text.split('data-testid="late-table"')[1].split("</table>")[0]
    assert year_data["late"].number in late_table
    assert year_data["beta"].number in late_table
    assert year_data["on_time"].number not in late_table
    assert f'href="{detail_url(year_data["late"])}"' in late_table
    overdue_table = text.split('data-testid="overdue-table"')[1].split("</table>")[0]
    assert year_data["overdue"].number in overdue_table
    assert year_data["not_due"].number not in overdue_table
    assert year_data["rejected"].number not in text


def test_the_report_of_another_year(client, buyer, year_data):
    """?year=2025: only the invoice paid on 10/12/2025, in 9 days; a bad year gives this one."""
    client.force_login(buyer)
    response, text = page(client, reverse(REPORT) + "?year=2025")
    assert response.context["figures"]["count"] == 1
    assert response.context["figures"]["median"] == 9  # 10/12 - 01/12
    assert "Délais de paiement, 2025" in text
    response, _text = page(client, reverse(REPORT) + "?year=abc")
    assert response.context["year"] == timezone.localdate().year


def test_the_xlsx_export_has_the_reports_sheets(client, buyer, year_data):
    """The workbook holds the key figures, the suppliers and the late invoices."""
    client.force_login(buyer)
    response = client.get(reverse(XLSX) + "?year=2026")
    assert response.status_code == 200
    assert "delais-de-paiement-2026.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Chiffres clés",
        "Par fournisseur",
        "Payées en retard",
        "Impayées échues",
    ]
    summary = {row[0]: row[1] for row in workbook["Chiffres clés"].iter_rows(values_only=True)}
    assert summary["Factures payées en 2026"] == 3
    assert summary["Total dû (XPF)"] == 15_410  # 5 864 + 9 546
    assert summary["Délai de paiement médian (jours)"] == 40
    suppliers = list(workbook["Par fournisseur"].iter_rows(values_only=True))
    assert suppliers[0][0] == "Fournisseur"
    assert ("Alpha Clim", 2, 33.5, 1, 4_321, 4_773) in suppliers
    late = list(workbook["Payées en retard"].iter_rows(values_only=True))
    assert [row[0] for row in late[1:]] == [year_data["late"].number, year_data["beta"].number]
    assert late[1][7] == 14  # days late
    assert late[1][8] == 4_321  # interest
    overdue = list(workbook["Impayées échues"].iter_rows(values_only=True))
    assert [row[0] for row in overdue[1:]] == [year_data["overdue"].number]


@pytest.mark.parametrize("role", [roles.CONTRACTOR, roles.REQUESTER])
def test_scoped_users_are_refused_the_report(client, role, buyer, normal_rate):
    """A contractor or a requester may not open the report nor its export, nor see its link."""
    user = make_user(role)
    client.force_login(user)
    assert client.get(reverse(REPORT)).status_code == 403
    assert client.get(reverse(XLSX)).status_code == 403
    home = client.get("/")
    assert reverse(REPORT) not in home.content.decode()


@pytest.mark.parametrize("role", [roles.PROCUREMENT_MANAGER, roles.DIRECTION])
def test_internal_readers_open_the_report_from_the_menu(client, role):
    """The procurement manager and the direction find « Délais de paiement » in the menu."""
    client.force_login(make_user(role))
    home = client.get("/")
    assert f'href="{reverse(REPORT)}"' in home.content.decode()
    _response, text = page(client, reverse(REPORT))
    assert "Délais de paiement" in text


def test_anonymous_users_are_sent_to_the_login(client):
    """Not signed in: redirected to the login page."""
    response = client.get(reverse(REPORT))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def paid_invoice(supplier, index):
    """An invoice paid late in 2026 with its figures stored (no rule run: counting rows)."""
    return InvoiceFactory(
        supplier=supplier,
        order__supplier=supplier,
        supplier_reference=f"Q{index:04d}",
        received_on=D(2026, 3, 2),
        paid_on=D(2026, 4, 15),
        payment_days=44,
        late_days=14,
        late_interest=4_321,
        recovery_indemnity=4_773,
        due_on=D(2026, 4, 1),
    )


def test_the_report_query_count_does_not_grow_with_invoices(client, buyer):
    """3 invoices or 12 of more suppliers, paid or overdue: the same number of queries."""
    client.force_login(buyer)
    for index in range(3):
        paid_invoice(CompanyFactory(), index)
    client.get(reverse(REPORT) + "?year=2026")  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(REPORT) + "?year=2026").status_code == 200
    for index in range(3, 12):
        paid_invoice(CompanyFactory(), index)
    InvoiceFactory(received_on=D(2026, 3, 2), due_on=D(2026, 4, 1), late_days=10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(REPORT) + "?year=2026")
    assert response.context["figures"]["count"] == 12
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as export:
        client.get(reverse(XLSX) + "?year=2026")
    assert len(export) <= len(few)


def test_the_page_lists_the_most_late_invoices_and_the_export_all(
    client, buyer, year_data, monkeypatch
):
    """Beyond the page's limit, the page lists the most late invoices (the badge counts them
    all) and says the XLSX export has the rest; the export lists every one."""
    from dpti.procurement.views import payments as payment_views

    monkeypatch.setattr(payment_views, "PAGE_LIST_LIMIT", 1)
    client.force_login(buyer)
    _response, text = page(client, reverse(REPORT) + "?year=2026")
    late_table = text.split('data-testid="late-table"')[1].split("</table>")[0]
    # "late" is 14 days late, "beta" 10: only the most late is on the page
    assert year_data["late"].number in late_table
    assert year_data["beta"].number not in late_table
    assert "Les 1 plus en retard" in text
    workbook = load_workbook(io.BytesIO(client.get(reverse(XLSX) + "?year=2026").content))
    late_rows = [row[0] for row in workbook["Payées en retard"].iter_rows(values_only=True)]
    assert year_data["late"].number in late_rows
    assert year_data["beta"].number in late_rows


def test_the_page_lists_the_suppliers_with_the_most_late_and_the_export_all(
    client, buyer, year_data, monkeypatch
):
    """Beyond the page's limit, the suppliers with the most invoices paid late are shown (both
    have one: by name, Alpha first), the badge counts them all, the XLSX lists every one."""
    from dpti.procurement.views import payments as payment_views

    monkeypatch.setattr(payment_views, "PAGE_SUPPLIER_LIMIT", 1)
    client.force_login(buyer)
    response, text = page(client, reverse(REPORT) + "?year=2026")
    assert [row["supplier__name"] for row in response.context["suppliers"]] == ["Alpha Clim"]
    assert response.context["supplier_count"] == 2
    table = text.split('data-testid="supplier-table"')[1].split("</table>")[0]
    assert "Alpha Clim" in table
    assert "Beta Nettoyage" not in table
    assert "Les 1 fournisseurs ayant le plus de factures payées en retard" in text
    workbook = load_workbook(io.BytesIO(client.get(reverse(XLSX) + "?year=2026").content))
    names = [row[0] for row in workbook["Par fournisseur"].iter_rows(values_only=True)]
    assert names[1:] == ["Alpha Clim", "Beta Nettoyage"]


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two(client, buyer, year_data):
    """With « beta » (40 days) rejected, 2026 holds 23 and 44 days: median (23 + 44) / 2 = 33.5, as
    the database's median (PostgreSQL) or the one counted here (SQLite) gives it."""
    Invoice.objects.filter(pk=year_data["beta"].pk).update(is_rejected=True)
    client.force_login(buyer)
    response, _text = page(client, reverse(REPORT) + "?year=2026")
    assert response.context["figures"]["count"] == 2
    assert str(response.context["figures"]["median"]) == "33.5"
