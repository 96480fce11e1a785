"""Licence compliance: owned against assigned, product by product, and its page."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dpti.core import roles
from dpti.itpark import licences
from dpti.itpark.models import Device, Licence
from tests.factories import DeviceFactory, LicenceAssignmentFactory, LicenceFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 15)
URL = reverse("itpark:licence_compliance")


def assign(licence, count, **values):
    """`count` assignments of one unit each (to new persons unless told)."""
    for _ in range(count):
        LicenceAssignmentFactory(licence=licence, **values)


@pytest.fixture
def park():
    """Four products: over-used, under-used, exactly used, site licence."""
    office = LicenceFactory(product="Microsoft 365 E3", quantity=10, annual_cost=1_200_000)
    assign(office, 12)
    acrobat = LicenceFactory(product="Acrobat Pro", quantity=10, annual_cost=300_000)
    assign(acrobat, 7)
    antivirus = LicenceFactory(product="ESET Endpoint", quantity=5, annual_cost=100_000)
    assign(antivirus, 5)
    LicenceFactory(product="Firefox ESR", licence_model=Licence.Model.SITE, quantity=1)
    return {"office": office, "acrobat": acrobat}


def by_product(products):
    return {p.product: p for p in products}


def test_each_product_gets_its_status_and_balance(park):
    """12/10 over-used, 7/10 under-used (< 80 %), 5/5 compliant, a site licence compliant."""
    result = by_product(licences.compliance(Licence.objects.all(), today=TODAY))

    figures = {name: (p.owned, p.assigned, p.balance, p.status) for name, p in result.items()}
    assert figures == {
        "Microsoft 365 E3": (10, 12, -2, "over_used"),
        "Acrobat Pro": (10, 7, 3, "under_used"),
        "ESET Endpoint": (5, 5, 0, "compliant"),
        "Firefox ESR": (1, 0, None, "compliant"),
    }
    assert result["Firefox ESR"].site is True
    assert result["Microsoft 365 E3"].colour == "red"


def test_exactly_80_percent_used_is_compliant():
    """8 of 10 assigned is the threshold itself: compliant, not under-used."""
    assign(LicenceFactory(product="Visio", quantity=10), 8)

    (visio,) = licences.compliance(Licence.objects.all(), today=TODAY)

    assert (visio.assigned, visio.percent_used, visio.status) == (8, 80, "compliant")


def test_two_licences_of_one_product_add_up_whatever_their_spelling():
    """« Acrobat Pro » 10 + « acrobat pro  » 5 = 15 owned, 6 + 6 assigned, costs summed."""
    first = LicenceFactory(
        product="Acrobat Pro", quantity=10, annual_cost=300_000, renewal_date=date(2026, 9, 1)
    )
    second = LicenceFactory(
        product=" acrobat pro ", quantity=5, annual_cost=150_000, renewal_date=date(2026, 6, 30)
    )
    LicenceFactory(product="Old", renewal_date=date(2025, 1, 1))  # another product
    assign(first, 6)
    assign(second, 6)

    result = by_product(licences.compliance(Licence.objects.all(), today=TODAY))

    acrobat = result["Acrobat Pro"]
    assert (acrobat.licences, acrobat.owned, acrobat.assigned) == (2, 15, 12)
    assert (acrobat.balance, acrobat.status) == (3, "compliant")
    assert acrobat.annual_cost == 450_000
    assert acrobat.next_renewal == date(2026, 6, 30)
    assert result["Old"].next_renewal is None  # a past renewal is not the next one


def test_per_core_assignments_count_their_cores_and_persons_and_devices_add_up():
    """SQL Server per core: 16 owned, a 8-core and a 12-core server = 20, over-used."""
    sql = LicenceFactory(
        product="SQL Server Standard", licence_model=Licence.Model.PER_CORE, quantity=16
    )
    for name, cores in (("SRV-SQL-01", 8), ("SRV-SQL-02", 12)):
        server = DeviceFactory(name=name, kind=Device.Kind.SERVER, cpu_cores=cores)
        LicenceAssignmentFactory(licence=sql, person=None, device=server, quantity=cores)
    cal = LicenceFactory(product="Windows Server CAL", quantity=10)
    assign(cal, 3)
    LicenceAssignmentFactory(licence=cal, person=None, device=DeviceFactory(), quantity=2)

    result = by_product(licences.compliance(Licence.objects.all(), today=TODAY))

    assert (result["SQL Server Standard"].assigned, result["SQL Server Standard"].status) == (
        20,
        "over_used",
    )
    assert (result["Windows Server CAL"].assigned, result["Windows Server CAL"].status) == (
        5,
        "under_used",
    )


def test_compliance_costs_two_queries_whatever_the_number_of_products():
    """Two grouped queries for 3 products as for 30."""

    def queries(count):
        for i in range(count):
            assign(LicenceFactory(product=f"Produit {count}-{i}"), 2)
        with CaptureQueriesContext(connection) as captured:
            products = licences.compliance(Licence.objects.all(), today=TODAY)
        assert len(products) >= count
        return len(captured)

    assert queries(3) == queries(30) == 2


def test_the_filter_keeps_one_status(park):
    """?status=over_used keeps Microsoft 365 only; an unknown filter keeps all."""
    products = licences.compliance(Licence.objects.all(), today=TODAY)

    assert [p.product for p in licences.filtered(products, "over_used")] == ["Microsoft 365 E3"]
    assert [p.product for p in licences.filtered(products, "under_used")] == ["Acrobat Pro"]
    assert len(licences.filtered(products, "nonsense")) == 4


def test_the_it_manager_reads_the_page_with_badges_and_links(client_for, park):
    """The page shows each product's status badge and links to the licence list searched."""
    client = client_for(roles.IT_MANAGER)

    response = client.get(URL)
    filtered = client.get(URL, {"status": "under_used"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-testid="compliance-row"') == 4
    assert 'data-product="Microsoft 365 E3" data-status="over_used"' in page
    assert f"{reverse('itpark:licence_list')}?q=Microsoft%20365%20E3" in page
    assert [p.product for p in filtered.context["products"]] == ["Acrobat Pro"]
    assert filtered.context["totals"]["over_used"] == 1


def test_a_requester_is_refused_and_an_anonymous_visitor_sent_to_sign_in(client_for, client):
    """Requesters get 403; anonymous visitors are redirected to the sign-in page."""
    requester = client_for(roles.REQUESTER)

    refused = requester.get(URL)
    anonymous = client.get(URL)

    assert refused.status_code == 403
    assert anonymous.status_code == 302
    assert URL in anonymous["Location"]


def test_the_xlsx_export_holds_the_figures(client_for, park):
    """The spreadsheet has a header and one row per product, numbers as numbers, « site »."""
    client = client_for(roles.IT_MANAGER)

    response = client.get(URL, {"export": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:6] == ["Produit", "Licences", "Possédées", "Attribuées", "Solde", "Statut"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Microsoft 365 E3"][1:6] == [1, 10, 12, -2, "Sur-utilisée"]
    assert by_name["Microsoft 365 E3"][7] == 1_200_000
    assert by_name["Firefox ESR"][2] == "site"
    assert len(rows) == 5
