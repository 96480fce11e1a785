"""The procurement figures in the API equal those of the pages: a need's procedure, an
invoice's delay, a contract's execution per lot, the budget execution."""

from datetime import date

import pytest
from django.urls import reverse

from dpti.core import roles
from dpti.core.services import save_object
from dpti.directory.models import Company
from dpti.directory.scoping import company_of
from dpti.procurement import procedures
from dpti.procurement.models import PurchaseNeed
from tests.conftest import make_user
from tests.factories import CompanyFactory, PurchaseCategoryFactory, PurchaseNeedFactory
from tests.procurement.test_budget_pages import budget, figures, page_lines  # noqa: F401
from tests.procurement.test_contract_pages import detail_url, framework, panel  # noqa: F401
from tests.procurement.test_payment_pages import invoice

pytestmark = pytest.mark.django_db
BUDGET_API = reverse("api:report-procurement-budget-execution")
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def route(name, obj, route_name):
    return reverse(f"api:procurement-{name}-{route_name}", args=[obj.pk])


# --- A need's procedure -----------------------------------------------------------------------


@pytest.fixture
def need(buyer):
    """A need of 3 000 000 XPF of services in 2026 whose category already holds a need of
    9 000 000: 12 000 000 in the year, over the 10 000 000 without competition (splitting)."""
    category = PurchaseCategoryFactory(kind="services")
    PurchaseNeedFactory(category=category, estimated_amount=9_000_000, needed_on=date(2026, 2, 1))
    need = PurchaseNeed(
        object="Support de niveau 2",
        category=category,
        estimated_amount=3_000_000,
        needed_on=date(2026, 6, 1),
    )
    return save_object(need, user=buyer)


def test_need_procedure_equals_the_need_page(client, buyer, need):
    """Procedure, reason, paragraphs and splitting warning are those of the need's card; the
    rules named are the deliberation in force and the band's obligations."""
    client.force_login(buyer)
    page = client.get(reverse("procurement:purchaseneed_detail", args=[need.pk]), **FRENCH)
    card = panel(page, "procedure")["context"]
    response = client.get(route("purchaseneed", need, "procedure"), **FRENCH)
    assert response.status_code == 200
    data = response.json()
    assert data["procedure"] == need.required_procedure != ""
    assert data["procedure_label"] == card["procedure"]
    assert data["reason"] == need.procedure_reason
    assert data["paragraphs"] == card["paragraphs"]
    assert data["splitting_warning"] == card["warning"] is not None
    assert (data["splitting_suspected"], data["year"], data["year_total"]) == (
        True,
        2026,
        12_000_000,
    )
    decision = procedures.determine("services", 12_000_000, date(2026, 6, 1))
    assert data["rules"] == decision.rules.decision_reference
    assert "168/CP" in data["rules"]  # the 2025-2026 deliberation
    assert data["obligations"] == decision.band.obligation != ""
    assert data["rules"] in data["reason"]


def test_need_procedure_has_the_rights_of_the_need(client_for, need):
    """A contractor may not read needs (403); a user without role neither."""
    assert (
        client_for(roles.CONTRACTOR).get(route("purchaseneed", need, "procedure")).status_code
        == 403
    )
    assert client_for(None).get(route("purchaseneed", need, "procedure")).status_code == 403


# --- An invoice's delay -----------------------------------------------------------------------


def test_invoice_delay_equals_the_invoice_card(client, buyer, normal_rate):
    """Paid 15/04 for 02/03: due 01/04, 14 days late, 10,15 %, 4 321 + 4 773 = 9 094 XPF, as
    the invoice's card says."""
    paid = invoice(buyer, normal_rate, service_done_on=date(2026, 3, 2), paid_on=date(2026, 4, 15))
    client.force_login(buyer)
    card = panel(client.get(detail_url(paid)), "payment-delay")["context"]
    data = client.get(route("invoice", paid, "delay")).json()
    assert data["state"] == card["state"] == "danger"
    for name in ("allowed_days", "suspended_days", "elapsed_days", "late_days", "interest"):
        assert data[name] == card[name]
    assert (data["due_on"], data["first_late_day"]) == ("2026-04-01", "2026-04-02")
    assert (data["late_days"], data["interest"], data["indemnity"]) == (14, 4_321, 4_773)
    assert data["total_owed"] == card["total_owed"] == 9_094
    assert data["rate"] == "10.150"
    assert data["exact_interest"] == card["exact_interest"]
    assert data["rules"] == card["rules"].decision_reference
    paid.refresh_from_db()
    assert (paid.late_interest, paid.recovery_indemnity) == (4_321, 4_773)


def test_a_rejected_invoice_has_no_delay(client, buyer, normal_rate):
    """A rejected invoice answers only that it is rejected."""
    rejected = invoice(buyer, normal_rate, is_rejected=True)
    client.force_login(buyer)
    assert client.get(route("invoice", rejected, "delay")).json() == {
        "rejected": True,
        "state": "secondary",
        "service_done_on": None,
        "rules": None,
        "paid_on": None,
        "rate": None,
        "reference_rate": None,
        "margin_points": None,
        "exact_interest": None,
    }


def test_a_contractor_reads_the_delay_of_his_own_invoices_only(client, buyer, normal_rate):
    """His company's invoice: its delay; another company's: 404, as its page."""
    contractor = make_user(roles.CONTRACTOR)
    own = invoice(buyer, normal_rate, supplier=Company.objects.get(pk=company_of(contractor)))
    other = invoice(buyer, normal_rate, supplier=CompanyFactory())
    client.force_login(contractor)
    assert client.get(route("invoice", own, "delay")).status_code == 200
    assert client.get(route("invoice", other, "delay")).status_code == 404


# --- A contract's execution per lot -----------------------------------------------------------

FIGURES = ("initial", "amendments", "ceiling", "ordered", "remaining", "invoiced", "paid")


def test_contract_execution_equals_the_financial_card(client_for, framework):  # noqa: F811
    """Each lot's figures and the total are the card's: 11 000 000 ceiling of lot 1 with
    9 000 000 ordered (81.8 %), 16 000 000 and 14 000 000 in all."""
    client = client_for(roles.PROCUREMENT_MANAGER)
    card = panel(client.get(detail_url(framework["contract"])), "consumption")["context"]
    response = client.get(route("contract", framework["contract"], "execution"))
    assert response.status_code == 200
    data = response.json()
    assert [lot["number"] for lot in data["lots"]] == [1, 2]
    for lot, row in zip(data["lots"], card["rows"], strict=True):
        assert {name: lot[name] for name in FIGURES} == {n: getattr(row, n) for n in FIGURES}
        assert lot["lot"] == row.lot.pk
    assert data["lots"][0]["percent"] == "81.8"
    assert {name: data["total"][name] for name in FIGURES} == {
        n: getattr(card["total"], n) for n in FIGURES
    }
    assert (data["total"]["ceiling"], data["total"]["ordered"]) == (16_000_000, 14_000_000)
    assert data["outside"] is None


def test_lot_execution_equals_the_lot_card(client_for, framework):  # noqa: F811
    """A lot's own route gives its card's figures: 11 000 000 ceiling, 9 000 000 ordered."""
    client = client_for(roles.PROCUREMENT_MANAGER)
    lot = framework["lot1"]
    row = panel(client.get(detail_url(lot)), "consumption")["context"]["row"]
    data = client.get(route("contractlot", lot, "execution")).json()
    assert {name: data[name] for name in FIGURES} == {n: getattr(row, n) for n in FIGURES}
    assert (data["ceiling"], data["ordered"], data["is_framework"]) == (11_000_000, 9_000_000, True)


def test_a_technician_gets_the_execution_without_orders_and_invoices(client_for, framework):  # noqa: F811
    """A technician reads contracts, not orders or invoices: their figures are null, as the
    card leaves their columns out."""
    data = client_for(roles.TECHNICIAN).get(route("contract", framework["contract"], "execution"))
    lot = data.json()["lots"][0]
    assert lot["ceiling"] == 11_000_000
    assert (lot["ordered"], lot["invoiced"], lot["paid"], lot["percent"]) == (None,) * 4


def test_a_contractor_reads_only_his_lots(client_for, framework):  # noqa: F811
    """A contractor holding lot 1 reads that lot only; a requester has no right (403)."""
    contractor = client_for(roles.CONTRACTOR)
    person = contractor.user.person
    person.company = framework["holder_a"]
    person.save()
    data = contractor.get(route("contract", framework["contract"], "execution")).json()
    assert [lot["number"] for lot in data["lots"]] == [1]
    assert data["outside"] is None
    requester = client_for(roles.REQUESTER)
    assert requester.get(route("contract", framework["contract"], "execution")).status_code == 403


# --- Budget execution -------------------------------------------------------------------------


def api_lines(data):
    return {
        line["code"]: line
        for section in data["sections"]
        for chapter in section["chapters"]
        for line in chapter["lines"]
    }


def test_budget_execution_equals_the_page(client_for, budget):  # noqa: F811
    """Every line, chapter, section and the year's total carry the page's figures."""
    client = client_for(roles.DIRECTION)
    page = client.get(reverse("procurement:budget_execution"))
    response = client.get(BUDGET_API)
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == page.context["fiscal_year"].year
    lines = api_lines(data)
    expected = page_lines(page)
    assert set(lines) == set(expected) == {"T-I-21-2183", "T-I-21-2184", "T-F-011-6156"}
    for code, line in expected.items():
        assert {name: lines[code][name] for name in figures(line)} == figures(line)
    assert lines["T-I-21-2183"]["available"] == 6_390_000
    for section, page_section in zip(data["sections"], page.context["sections"], strict=True):
        assert section["code"] == page_section.code
        assert {name: section["totals"][name] for name in figures(page_section.totals)} == (
            figures(page_section.totals)
        )
    total = page.context["total"]
    assert {name: data["total"][name] for name in figures(total)} == figures(total)
    assert data["total"]["available"] == 10_890_000


def test_budget_execution_filters_as_the_page(client_for, budget):  # noqa: F811
    """?section= and ?service= keep the lines the page keeps; a wrong section answers 400."""
    client = client_for(roles.DIRECTION)
    service = budget["service"].pk
    for query in ({"section": "investment"}, {"service": service}):
        page = client.get(reverse("procurement:budget_execution"), query)
        assert set(api_lines(client.get(BUDGET_API, query).json())) == set(page_lines(page))
    assert client.get(BUDGET_API, {"section": "travaux"}).status_code == 400


@pytest.mark.parametrize("role", [roles.REQUESTER, roles.CONTRACTOR, None])
def test_budget_execution_is_refused_as_its_page(client_for, budget, role):  # noqa: F811
    """Scoped users and users without rights are refused the report (403) as the page."""
    client = client_for(role)
    assert client.get(BUDGET_API).status_code == 403
    assert client.get(reverse("procurement:budget_execution")).status_code == 403
