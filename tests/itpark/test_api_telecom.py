"""Telecom costs in the API equal the costs page."""

import pytest
from django.urls import reverse

from dpti.core import roles
from tests.itpark.test_telecom import park  # noqa: F401

pytestmark = pytest.mark.django_db
API = reverse("api:report-itpark-telecom-costs")
PAGE = reverse("itpark:telecom_costs")


def groups(items):
    return [(group.label, group.count, group.total) for group in items]


def api_groups(items):
    return [(group["label"], group["count"], group["total"]) for group in items]


def test_telecom_costs_equal_the_page(client_for, park):  # noqa: F811
    """March 2026: the month's total, its lines and groups, and the year's trend and total
    are the page's."""
    client = client_for(roles.IT_MANAGER)
    page = client.get(PAGE, {"month": "2026-03"}).context
    response = client.get(API, {"month": "2026-03"})
    assert response.status_code == 200
    data = response.json()
    report = page["report"]
    assert (data["month"], data["total"], data["count"]) == ("2026-03", report.total, report.count)
    assert data["total"] == 59_500
    for name in ("services", "kinds", "operators"):
        assert api_groups(data[name]) == groups(getattr(report, name))
    assert [line["id"] for line in data["lines"]] == [line.pk for line in report.lines]
    assert [(m["month"], m["total"]) for m in data["trend"]] == [
        (value, total) for _first, total, value in page["trend"]
    ]
    assert data["year_total"] == page["year_total"] == 2 * 109_500 + 10 * 59_500


@pytest.mark.parametrize("role", [roles.REQUESTER, roles.CONTRACTOR, None])
def test_telecom_costs_are_refused_as_the_page(client_for, role):
    """Scoped users and users without rights are refused (403), as on the page."""
    client = client_for(role)
    assert client.get(API).status_code == 403
    assert client.get(PAGE).status_code == 403
