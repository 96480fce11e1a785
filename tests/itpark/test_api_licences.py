"""Licence compliance in the API equals the compliance page."""

import pytest
from django.urls import reverse

from dpti.core import roles
from tests.itpark.test_licences import park  # noqa: F401

pytestmark = pytest.mark.django_db
API = reverse("api:report-itpark-licence-compliance")
PAGE = reverse("itpark:licence_compliance")
FIGURES = ("product", "licences", "owned", "assigned", "balance", "status", "annual_cost")


def test_compliance_equals_the_page(client_for, park):  # noqa: F811
    """Each product's figures and status, the counts and the cost are the page's."""
    client = client_for(roles.IT_MANAGER)
    page = client.get(PAGE).context
    response = client.get(API)
    assert response.status_code == 200
    data = response.json()
    assert [{name: p[name] for name in FIGURES} for p in data["products"]] == [
        {name: getattr(product, name) for name in FIGURES} for product in page["products"]
    ]
    statuses = {p["product"]: (p["balance"], p["status"]) for p in data["products"]}
    assert statuses["Microsoft 365 E3"] == (-2, "over_used")
    assert statuses["Firefox ESR"] == (None, "compliant")
    assert data["totals"] == page["totals"]
    assert data["shown_cost"] == page["shown_cost"]


def test_compliance_filters_by_status_as_the_page(client_for, park):  # noqa: F811
    """?status=under_used keeps the page's products; the totals stay those of every product;
    an unknown status answers 400."""
    client = client_for(roles.IT_MANAGER)
    page = client.get(PAGE, {"status": "under_used"}).context
    data = client.get(API, {"status": "under_used"}).json()
    assert [p["product"] for p in data["products"]] == [p.product for p in page["products"]]
    assert [p["product"] for p in data["products"]] == ["Acrobat Pro"]
    assert data["totals"]["products"] == 4
    assert client.get(API, {"status": "tout"}).status_code == 400


@pytest.mark.parametrize("role", [roles.REQUESTER, roles.CONTRACTOR, None])
def test_compliance_is_refused_as_its_page(client_for, role):
    """Scoped users and users without rights are refused (403), as on the page."""
    client = client_for(role)
    assert client.get(API).status_code == 403
    assert client.get(PAGE).status_code == 403
