"""The computed figures and reports of the API: declared in the registry, documented in the
OpenAPI schema, listed at the root for those who may read them."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from dpti.core import roles
from dpti.core.api.figures import REPORTS_TAG, ApiReport
from dpti.core.registry import registry

pytestmark = pytest.mark.django_db

# What the issue asks to read through the API, and where.
ROUTES = {
    "assets.asset": "/api/assets/assets/{id}/depreciation/",
    "procurement.purchaseneed": "/api/procurement/needs/{id}/procedure/",
    "procurement.invoice": "/api/procurement/invoices/{id}/delay/",
    "procurement.contract": "/api/procurement/contracts/{id}/execution/",
    "procurement.contractlot": "/api/procurement/lots/{id}/execution/",
}
REPORTS = (
    "/api/reports/assets/register/",
    "/api/reports/procurement/budget-execution/",
    "/api/reports/itpark/licence-compliance/",
    "/api/reports/itpark/telecom-costs/",
)


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    """The OpenAPI schema as the API serves it."""
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get(reverse("api:schema"), {"format": "json"}).json()


def response_schema(schema, operation):
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][reference.rsplit("/", 1)[-1]]


def test_the_schema_lists_every_figure_route(schema):
    """Each object's figure has its GET operation, summary, description, 404 and a response
    whose fields are described."""
    for label, path in ROUTES.items():
        operation = schema["paths"][path]["get"]
        object_type = registry.get(label)
        assert operation["summary"], path
        assert operation["description"], path
        assert {"200", "404"} <= set(operation["responses"]), path
        assert operation["tags"] == [str(object_type.verbose_name_plural).capitalize()]
        assert response_schema(schema, operation)["properties"], path


def test_the_schema_lists_every_report_with_its_parameters(schema):
    """Each report is under « Reports » (in the site language), with its query parameters and
    described figures."""
    for path in REPORTS:
        operation = schema["paths"][path]["get"]
        assert operation["tags"] == [str(REPORTS_TAG)], path
        assert operation["summary"], path
        assert operation["description"], path
        assert {"200", "400", "403"} <= set(operation["responses"]), path
        assert operation["parameters"], path
        assert all(parameter["in"] == "query" for parameter in operation["parameters"])
    register = schema["paths"]["/api/reports/assets/register/"]["get"]
    assert {p["name"] for p in register["parameters"]} == {"year", "account"}
    nbv = schema["components"]["schemas"]["RegisterTotals"]["properties"]["nbv_end"]
    assert nbv["description"]
    depreciation = schema["paths"][ROUTES["assets.asset"]]["get"]
    assert [p["name"] for p in depreciation["parameters"] if p["in"] == "query"] == ["on"]


def test_every_declared_route_and_report_is_documented(schema):
    """Whatever a module declares is served and documented: no figure left out."""
    for object_type in registry:
        for route in registry.api_routes(object_type):
            path = f"/api/{object_type.app_label}/{object_type.slug}/{{id}}/{route.name}/"
            assert path in schema["paths"]
    assert {f"/api/{report.path}" for report in registry.api_reports()} == set(REPORTS)


def test_the_root_lists_the_reports_the_user_may_read(client_for):
    """A director reads every report; a technician the register, not the budget (he may not
    read budget lines); a requester none."""

    def reports(role):
        return {
            r["url"].split("/api/", 1)[1] for r in client_for(role).get("/api/").json()["reports"]
        }

    assert reports(roles.DIRECTION) == {path.removeprefix("/api/") for path in REPORTS}
    technician = reports(roles.TECHNICIAN)
    assert "reports/assets/register/" in technician
    assert "reports/procurement/budget-execution/" not in technician
    assert reports(roles.REQUESTER) == set()


def test_a_report_is_declared_once():
    """Two reports at one address are refused when the modules load."""
    report = registry.api_reports()[0]
    duplicate = ApiReport(
        app_label=report.app_label,
        name=report.name,
        model=report.model,
        compute=report.compute,
        serializer=report.serializer,
        summary="again",
    )
    with pytest.raises(ImproperlyConfigured):
        registry.add_api_report(duplicate)
    assert registry.api_reports().count(duplicate) == 0
