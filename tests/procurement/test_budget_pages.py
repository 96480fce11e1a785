"""The budget execution and programme authorisation pages: figures, filters, rights, exports."""

import io
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dpti.core import roles
from dpti.core.display import format_xpf
from dpti.core.services import save_object
from dpti.procurement.models import BudgetLine, FiscalYear, PurchaseOrder
from tests.factories import (
    BudgetAmendmentFactory,
    BudgetLineFactory,
    CommitmentFactory,
    CompanyFactory,
    FiscalYearFactory,
    InvoiceFactory,
    OrganisationUnitFactory,
    PaymentCreditFactory,
    ProgrammeAuthorisationFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year
DAY = date(YEAR, 3, 10)


def paid_invoice(commitment, amount_excl_tax, rate, paid=True):
    """An invoice of a commitment, paid (or not) after its receipt."""
    return InvoiceFactory(
        order=None,
        commitment=commitment,
        supplier=CompanyFactory(),
        amount_excl_tax=amount_excl_tax,
        tax_rate=rate,
        received_on=TODAY - timedelta(days=10),
        paid_on=TODAY - timedelta(days=2) if paid else None,
    )


@pytest.fixture
def budget(buyer, normal_rate):
    """Three lines of the open year, one of the closed year before, an empty year in
    preparation after, and an AP linked to line A and to last year's line."""
    current = FiscalYearFactory(year=YEAR, status=FiscalYear.Status.OPEN)
    previous = FiscalYearFactory(year=YEAR - 1, status=FiscalYear.Status.CLOSED)
    FiscalYearFactory(year=YEAR + 1, status=FiscalYear.Status.PREPARATION)
    service = OrganisationUnitFactory(code="SIT", name="Service informatique")
    ap = ProgrammeAuthorisationFactory(reference="AP-T-01", amount=10_000_000)
    PaymentCreditFactory(authorisation=ap, year=YEAR, amount=4_000_000)
    PaymentCreditFactory(authorisation=ap, year=YEAR + 1, amount=6_000_000)

    line_a = BudgetLineFactory(
        fiscal_year=current,
        code="T-I-21-2183",
        section="investment",
        chapter="21",
        nature="2183",
        voted_amount=10_000_000,
        programme=ap,
    )
    BudgetAmendmentFactory(budget_line=line_a, amount=2_000_000, decided_on=DAY)
    BudgetAmendmentFactory(budget_line=line_a, amount=-500_000, decided_on=DAY)
    direct = CommitmentFactory(budget_line=line_a, amount=4_000_000, committed_on=DAY)
    CommitmentFactory(budget_line=line_a, amount=1_000_000, committed_on=DAY, status="cancelled")
    save_object(
        PurchaseOrder(
            issued_on=DAY,
            object="Postes de travail",
            supplier=CompanyFactory(),
            budget_line=line_a,
            amount_excl_tax=1_000_000,
            tax_rate=normal_rate,
        ),
        user=buyer,
    )  # commits 1 000 000 + 11 % = 1 110 000
    paid_invoice(direct, 2_000_000, normal_rate)  # 2 220 000 paid
    paid_invoice(direct, 100_000, normal_rate, paid=False)  # not paid: not counted

    line_b = BudgetLineFactory(
        fiscal_year=current,
        code="T-I-21-2184",
        section="investment",
        chapter="21",
        nature="2184",
        voted_amount=3_000_000,
    )
    CommitmentFactory(budget_line=line_b, amount=3_000_000, committed_on=DAY)

    line_c = BudgetLineFactory(
        fiscal_year=current,
        code="T-F-011-6156",
        section="operating",
        chapter="011",
        nature="6156",
        voted_amount=5_000_000,
        service=service,
    )
    BudgetAmendmentFactory(budget_line=line_c, amount=1_000_000, decided_on=DAY)
    maintenance = CommitmentFactory(budget_line=line_c, amount=1_500_000, committed_on=DAY)
    paid_invoice(maintenance, 1_000_000, normal_rate)  # 1 110 000 paid

    old_line = BudgetLineFactory(
        fiscal_year=previous,
        code="T-OLD-I-21-2183",
        section="investment",
        chapter="21",
        voted_amount=2_000_000,
        programme=ap,
    )
    old = CommitmentFactory(
        budget_line=old_line, amount=1_000_000, committed_on=date(YEAR - 1, 5, 1)
    )
    paid_invoice(old, 500_000, normal_rate)  # 555 000 paid
    return {"a": line_a, "b": line_b, "c": line_c, "old": old_line, "service": service, "ap": ap}


def figures(item):
    return {
        name: getattr(item, name)
        for name in (
            "voted_amount",
            "amendments_total",
            "open_credits",
            "committed_total",
            "paid_total",
            "available",
            "committed_percent",
            "paid_percent",
        )
    }


def page_lines(response):
    return {
        line.code: line
        for section in response.context["sections"]
        for chapter in section.chapters
        for line in chapter.lines
    }


def test_execution_figures_by_line_chapter_section_and_year(client_for, budget):
    """Voted + DM = open credits; open - committed = available; rates on the open credits."""
    client = client_for(roles.DIRECTION)
    response = client.get(reverse("procurement:budget_execution"))
    assert response.status_code == 200
    # the latest open year, not the newer one in preparation nor the closed one
    assert response.context["fiscal_year"].year == YEAR
    lines = page_lines(response)
    assert set(lines) == {"T-I-21-2183", "T-I-21-2184", "T-F-011-6156"}
    assert figures(lines["T-I-21-2183"]) == {
        "voted_amount": 10_000_000,
        "amendments_total": 1_500_000,  # + 2 000 000 - 500 000
        "open_credits": 11_500_000,  # 10 000 000 + 1 500 000
        "committed_total": 5_110_000,  # 4 000 000 + order 1 110 000 (cancelled one left out)
        "paid_total": 2_220_000,  # 2 000 000 + 11 %
        "available": 6_390_000,  # 11 500 000 - 5 110 000
        "committed_percent": 44.4,  # 5 110 000 / 11 500 000 = 44.43 %
        "paid_percent": 19.3,  # 2 220 000 / 11 500 000 = 19.30 %
    }
    assert lines["T-I-21-2184"].available == 0  # 3 000 000 - 3 000 000
    assert lines["T-I-21-2184"].committed_percent == 100.0

    investment, operating = response.context["sections"]
    assert (investment.code, operating.code) == ("investment", "operating")
    chapter_21 = investment.chapters[0]
    assert chapter_21.code == "21"
    assert figures(chapter_21.totals) == {
        "voted_amount": 13_000_000,  # 10 000 000 + 3 000 000
        "amendments_total": 1_500_000,
        "open_credits": 14_500_000,  # 11 500 000 + 3 000 000
        "committed_total": 8_110_000,  # 5 110 000 + 3 000 000
        "paid_total": 2_220_000,
        "available": 6_390_000,  # 14 500 000 - 8 110 000
        "committed_percent": 55.9,  # 8 110 000 / 14 500 000 = 55.93 %
        "paid_percent": 15.3,  # 2 220 000 / 14 500 000 = 15.31 %
    }
    assert figures(operating.totals) == {
        "voted_amount": 5_000_000,
        "amendments_total": 1_000_000,
        "open_credits": 6_000_000,
        "committed_total": 1_500_000,
        "paid_total": 1_110_000,  # 1 000 000 + 11 %
        "available": 4_500_000,  # 6 000 000 - 1 500 000
        "committed_percent": 25.0,  # 1 500 000 / 6 000 000
        "paid_percent": 18.5,  # 1 110 000 / 6 000 000
    }
    total = response.context["total"]
    assert (total.open_credits, total.committed_total, total.paid_total, total.available) == (
        20_500_000,  # 14 500 000 + 6 000 000
        9_610_000,  # 8 110 000 + 1 500 000
        3_330_000,  # 2 220 000 + 1 110 000
        10_890_000,  # 20 500 000 - 9 610 000
    )
    page = response.content.decode()
    assert format_xpf(10_890_000) in page
    assert f'href="/procurement/budget-lines/{budget["a"].pk}/"' in page
    # the page only reads: the stored credits are those of the fixture
    assert BudgetLine.objects.with_execution().get(pk=budget["a"].pk).available == 6_390_000


def test_execution_filters_by_year_service_and_section(client_for, budget):
    """?year, ?service and ?section narrow the lines (and ?fiscal_year from the lines' list)."""
    client = client_for(roles.PROCUREMENT_MANAGER)
    url = reverse("procurement:budget_execution")
    by_service = client.get(url, {"year": YEAR, "service": budget["service"].pk})
    assert set(page_lines(by_service)) == {"T-F-011-6156"}
    assert by_service.context["total"].available == 4_500_000  # 6 000 000 - 1 500 000
    investment = client.get(url, {"section": "investment"})
    assert set(page_lines(investment)) == {"T-I-21-2183", "T-I-21-2184"}
    assert investment.context["total"].available == 6_390_000
    previous = client.get(url, {"fiscal_year": budget["old"].fiscal_year_id})
    assert set(page_lines(previous)) == {"T-OLD-I-21-2183"}
    assert previous.context["total"].available == 1_000_000  # 2 000 000 - 1 000 000
    assert BudgetLine.objects.filter(fiscal_year__year=YEAR).count() == 3


def test_execution_queries_do_not_grow_with_the_lines(client_for, budget):
    """Six more lines (with commitments and services) cost no more queries."""
    client = client_for(roles.DIRECTION)
    url = reverse("procurement:budget_execution")
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    current = FiscalYear.objects.get(year=YEAR)
    for number in range(6):
        line = BudgetLineFactory(
            fiscal_year=current,
            chapter=f"01{number}",
            service=OrganisationUnitFactory(),
            programme=budget["ap"],
        )
        CommitmentFactory(budget_line=line, amount=1_000, committed_on=DAY)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(page_lines(response)) == 9  # 3 + 6
    assert len(many) == len(few)


def test_execution_figures_are_those_of_each_line(client_for, budget):
    """The report sums by line in grouped queries: each line's figures are those its own
    with_execution() gives (amendments, active commitments, paid invoices of every year)."""
    response = client_for(roles.DIRECTION).get(
        reverse("procurement:budget_execution"), {"year": YEAR - 1}
    )
    lines = {**page_lines(response)}
    lines.update(
        page_lines(client_for(roles.DIRECTION).get(reverse("procurement:budget_execution")))
    )
    assert len(lines) == 4
    names = ("amendments_total", "committed_total", "paid_total", "open_credits", "available")
    for stored in BudgetLine.objects.with_execution():
        line = lines[stored.code]
        assert {n: getattr(line, n) for n in names} == {n: getattr(stored, n) for n in names}
    # the old line: 1 000 000 committed, 500 000 + 11 % paid
    assert (lines["T-OLD-I-21-2183"].committed_total, lines["T-OLD-I-21-2183"].paid_total) == (
        1_000_000,
        555_000,
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (roles.DIRECTION, 200),
        (roles.PROCUREMENT_MANAGER, 200),
        (roles.PROPERTY_MANAGER, 200),
        (roles.IT_MANAGER, 200),
        (roles.CONTRACTOR, 403),
        (roles.REQUESTER, 403),
        (roles.TECHNICIAN, 403),
    ],
)
def test_budget_pages_are_for_internal_readers(client_for, budget, role, status):
    """Direction and managers read both pages and their exports; others are refused."""
    client = client_for(role)
    for name in (
        "budget_execution",
        "budget_execution_xlsx",
        "budget_execution_pdf",
        "programmes",
        "programmes_xlsx",
    ):
        assert client.get(reverse(f"procurement:{name}")).status_code == status, name
    menu_urls = {
        item["url"] for group in client.get("/").context["menu"] for item in group["items"]
    }
    shown = {reverse("procurement:budget_execution"), reverse("procurement:programmes")}
    assert (shown <= menu_urls) == (status == 200)
    assert BudgetLine.objects.count() == 4


def test_anonymous_visitors_are_sent_to_the_login(client, budget):
    """Without an account the report sends to the sign-in page."""
    response = client.get(reverse("procurement:budget_execution"))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert BudgetLine.objects.count() == 4


def test_budget_lines_list_links_to_the_execution(client_for, budget):
    """The budget lines' list offers the execution report, keeping its filters."""
    client = client_for(roles.DIRECTION)
    response = client.get(reverse("procurement:budgetline_list"))
    assert response.status_code == 200
    actions = response.context["list_actions"]
    assert [a["url"] for a in actions] == [reverse("procurement:budget_execution")]
    assert 'data-testid="budget-execution"' in response.content.decode()


def test_execution_spreadsheet_holds_lines_and_totals(client_for, budget):
    """The XLSX has one row per line, then chapter, section and year totals, as numbers."""
    client = client_for(roles.DIRECTION)
    response = client.get(reverse("procurement:budget_execution_xlsx"), {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'execution-budgetaire-{YEAR}.xlsx"')
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = rows[0]
    by_code = {row[2]: dict(zip(header, row, strict=True)) for row in rows[1:] if row[2]}
    line_a = by_code["T-I-21-2183"]
    assert (line_a["Crédits ouverts"], line_a["Engagé"], line_a["Disponible"]) == (
        11_500_000,
        5_110_000,
        6_390_000,  # 11 500 000 - 5 110 000
    )
    assert line_a["Payé"] == 2_220_000
    total = dict(zip(header, rows[-1], strict=True))
    assert rows[-1][3] == "Total"
    assert total["Disponible"] == 10_890_000  # 20 500 000 - 9 610 000
    # 3 lines + chapter 21 + investment + chapter 011 + operating + year
    assert len(rows) - 1 == 8
    assert BudgetLine.objects.filter(fiscal_year__year=YEAR).count() == 3


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_execution_pdf_shows_the_figures(client_for, budget, tmp_path):
    """The A4 landscape PDF carries the year's available credits."""
    client = client_for(roles.DIRECTION)
    response = client.get(reverse("procurement:budget_execution_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "execution.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
    assert f"Exécution budgétaire {YEAR}" in flat
    assert "10 890 000 XPF" in flat  # 20 500 000 open - 9 610 000 committed
    assert "6 390 000 XPF" in flat  # line A: 11 500 000 - 5 110 000
    assert BudgetLine.objects.count() == 4


def programme_of(response, reference):
    return next(p for p in response.context["programmes"] if p.authorisation.reference == reference)


def test_programmes_show_credits_commitments_and_payments_by_year(client_for, budget):
    """An AP: CP planned by year, what its lines committed and paid, what remains to commit."""
    ProgrammeAuthorisationFactory(reference="AP-T-OLD", is_active=False)
    client = client_for(roles.DIRECTION)
    response = client.get(reverse("procurement:programmes"))
    assert response.status_code == 200
    assert [p.authorisation.reference for p in response.context["programmes"]] == ["AP-T-01"]
    programme = programme_of(response, "AP-T-01")
    years = {y.year: (y.planned, y.committed, y.paid) for y in programme.years}
    assert years == {
        YEAR - 1: (0, 1_000_000, 555_000),  # last year's line: 500 000 + 11 % paid
        YEAR: (4_000_000, 5_110_000, 2_220_000),  # line A
        YEAR + 1: (6_000_000, 0, 0),
    }
    assert programme.planned == 10_000_000  # 4 000 000 + 6 000 000
    assert programme.committed == 6_110_000  # 1 000 000 + 5 110 000
    assert programme.paid == 2_775_000  # 555 000 + 2 220 000
    assert programme.remaining_to_commit == 3_890_000  # 10 000 000 - 6 110 000
    assert format_xpf(3_890_000) in response.content.decode()

    with_closed = client.get(reverse("procurement:programmes"), {"inactive": "1"})
    assert {p.authorisation.reference for p in with_closed.context["programmes"]} == {
        "AP-T-01",
        "AP-T-OLD",
    }
    assert budget["ap"].budget_lines.count() == 2


def test_programmes_spreadsheet(client_for, budget):
    """The XLSX lists the authorisations, then their figures by year."""
    client = client_for(roles.PROCUREMENT_MANAGER)
    response = client.get(reverse("procurement:programmes_xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    summary, by_year = (list(sheet.iter_rows(values_only=True)) for sheet in workbook)
    row = dict(zip(summary[0], summary[1], strict=True))
    assert row["Référence"] == "AP-T-01"
    assert row["Montant autorisé"] == 10_000_000
    assert row["Reste à engager"] == 3_890_000  # 10 000 000 - (1 000 000 + 5 110 000)
    assert [r[:2] for r in by_year[1:]] == [
        ("AP-T-01", YEAR - 1),
        ("AP-T-01", YEAR),
        ("AP-T-01", YEAR + 1),
    ]
    assert by_year[2][2:] == (4_000_000, 5_110_000, 2_220_000)
    assert budget["ap"].payment_credits.count() == 2
