"""Telecom lines: their rules, who sees them, and what they cost each month per service."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from openpyxl import load_workbook

from dpti.core import roles
from dpti.core.api.serializers import api_url_name
from dpti.core.display import format_xpf
from dpti.core.models import Deadline
from dpti.core.registry import registry
from dpti.core.services import save_object
from dpti.directory.scoping import person_of
from dpti.itpark import telecom
from dpti.itpark.models import TelecomLine
from tests.factories import (
    CompanyFactory,
    OrganisationUnitFactory,
    PersonFactory,
    TelecomLineFactory,
)

pytestmark = pytest.mark.django_db
Kind = TelecomLine.Kind
Status = TelecomLine.Status
MARCH = date(2026, 3, 1)
FEBRUARY = date(2026, 2, 1)


def fr(message):
    with translation.override("fr"):
        return gettext(message)


def add_url():
    return reverse(registry.get(TelecomLine).url_name("add"))


def line_form(**values):
    """A valid fixed line as the generic form posts it."""
    return {
        "kind": "fixed",
        "identifier": "27 12 34",
        "monthly_cost": "3000",
        "status": "active",
        **values,
    }


@pytest.fixture
def park():
    """Six lines of three services, two operators, started, suspended and terminated."""
    opt, mobilis = CompanyFactory(name="OPT-NC"), CompanyFactory(name="Mobilis Pro")
    finances = OrganisationUnitFactory(code="FIN", name="Finances")
    sitec = OrganisationUnitFactory(code="SIT", name="Informatique")
    questure = OrganisationUnitFactory(code="QUE", name="Questure")
    agent = PersonFactory(unit=questure)
    lines = {
        "mobile": TelecomLineFactory(
            kind=Kind.MOBILE, unit=finances, operator=opt, monthly_cost=4_500,
            start_date=date(2025, 1, 10),
        ),
        "fixed": TelecomLineFactory(
            kind=Kind.FIXED, unit=finances, operator=opt, monthly_cost=3_000, start_date=None
        ),
        "internet": TelecomLineFactory(
            kind=Kind.INTERNET, unit=sitec, operator=mobilis, monthly_cost=50_000,
            start_date=date(2026, 3, 15),
        ),
        "suspended": TelecomLineFactory(
            kind=Kind.MOBILE, holder=agent, operator=opt, monthly_cost=2_000,
            status=Status.SUSPENDED,
        ),
        "ended": TelecomLineFactory(
            kind=Kind.INTERSITE, monthly_cost=100_000, status=Status.TERMINATED,
            end_date=date(2026, 2, 20),
        ),
        "undated": TelecomLineFactory(
            kind=Kind.FIXED, unit=sitec, monthly_cost=9_999, status=Status.TERMINATED
        ),
    }  # fmt: skip
    return {"lines": lines, "finances": finances, "sitec": sitec, "questure": questure}


# Costs -------------------------------------------------------------------------------------


def test_a_month_bills_started_and_suspended_lines_until_termination(park):
    """March bills lines started by then (suspended too), not one terminated in February."""
    report = telecom.month_report(TelecomLine.objects.all(), MARCH)
    february = telecom.month_report(TelecomLine.objects.all(), FEBRUARY)
    lines = park["lines"]

    assert {line.pk for line in report.lines} == {
        lines[name].pk for name in ("mobile", "fixed", "internet", "suspended")
    }
    assert report.total == 4_500 + 3_000 + 50_000 + 2_000
    assert {line.pk for line in february.lines} == {
        lines[name].pk for name in ("mobile", "fixed", "suspended", "ended")
    }
    assert february.total == 4_500 + 3_000 + 2_000 + 100_000


def test_costs_are_grouped_by_service_charged_dearest_first(park):
    """A line counts for its unit, else its holder's unit, else « Not assigned »; by cost."""
    report = telecom.month_report(TelecomLine.objects.all(), FEBRUARY)

    services = [(group.key, group.count, group.total) for group in report.services]
    assert services == [
        (None, 1, 100_000),
        (park["finances"].pk, 2, 7_500),
        (park["questure"].pk, 1, 2_000),
    ]
    kinds = {group.key: (group.count, group.total) for group in report.kinds}
    assert kinds == {
        "fixed": (1, 3_000),
        "mobile": (2, 6_500),
        "internet": (0, 0),
        "intersite": (1, 100_000),
    }
    operators = [(group.label, group.total) for group in report.operators]
    assert operators == [(gettext("No operator"), 100_000), ("OPT-NC", 9_500)]


def test_the_year_trend_follows_starts_and_terminations(park):
    """Twelve months of 2026: the inter-site link stops after February, internet from March."""
    trend = dict(telecom.year_trend(TelecomLine.objects.all(), 2026))

    assert list(trend) == [date(2026, month, 1) for month in range(1, 13)]
    assert trend[date(2026, 1, 1)] == 109_500
    assert trend[FEBRUARY] == 109_500
    assert trend[MARCH] == 59_500
    assert trend[date(2026, 12, 1)] == 59_500
    for month, total in trend.items():
        assert total == telecom.month_report(TelecomLine.objects.all(), month).total


def test_the_costs_page_shows_the_months_figures_and_links_to_the_lines(client_for, park):
    """The IT manager sees March's total, each service linked to the list filtered by unit."""
    client = client_for(roles.IT_MANAGER)

    response = client.get(reverse("itpark:telecom_costs"), {"month": "2026-03"})

    assert response.status_code == 200
    content = response.content.decode()
    assert format_xpf(59_500) in content
    list_url = reverse(registry.get(TelecomLine).url_name("list"))
    assert f'href="{list_url}?unit={park["sitec"].pk}"' in content
    assert "?month=2026-02" in content
    assert "?month=2026-04" in content
    rows = [(group.label, group.total) for group in response.context["report"].services]
    assert rows[0] == (str(park["sitec"]), 50_000)
    assert response.context["year_total"] == 2 * 109_500 + 10 * 59_500
    listing = client.get(list_url, {"unit": park["sitec"].pk}).content.decode()
    assert park["lines"]["internet"].identifier in listing
    assert park["lines"]["mobile"].identifier not in listing


def test_the_costs_page_defaults_to_the_current_month(client_for, park):
    """Without a month (or with a wrong one) the page shows the current month in Nouméa."""
    client = client_for(roles.DIRECTION)
    today = timezone.localdate()

    for query in ({}, {"month": "2026-13"}, {"month": "mars"}):
        response = client.get(reverse("itpark:telecom_costs"), query)
        assert response.status_code == 200
        assert response.context["month"] == today.replace(day=1)


@pytest.mark.parametrize("role", [roles.REQUESTER, roles.CONTRACTOR])
def test_scoped_users_may_not_see_the_costs(client_for, park, role):
    """A requester (who sees his own lines) or a contractor gets 403 on the costs and export."""
    client = client_for(role)
    assert client.get(reverse("itpark:telecom_costs")).status_code == 403
    assert client.get(reverse("itpark:telecom_costs_xlsx")).status_code == 403


def test_the_costs_page_costs_the_same_queries_whatever_the_number_of_services(client_for, park):
    """Twenty more services and operators do not add a single query."""
    client = client_for(roles.IT_MANAGER)
    url = reverse("itpark:telecom_costs")
    client.get(url, {"month": "2026-03"})  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"month": "2026-03"})
    for _index in range(20):
        TelecomLineFactory(
            unit=OrganisationUnitFactory(),
            holder=PersonFactory(),
            operator=CompanyFactory(),
            start_date=date(2026, 1, 1),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"month": "2026-03"})

    assert len(response.context["report"].services) == 23
    assert len(many) == len(few)


def test_the_export_holds_the_figures_and_every_line(client_for, park):
    """The XLSX has the summaries (same totals as the page) and the line-by-line detail."""
    client = client_for(roles.PROCUREMENT_MANAGER)

    response = client.get(reverse("itpark:telecom_costs_xlsx"), {"month": "2026-03"})

    assert response.status_code == 200
    assert "couts-telecoms-2026-03.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 5
    by_service = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert by_service[1] == (str(park["sitec"]), 1, 50_000)
    assert by_service[-1][1:] == (4, 59_500)
    detail = list(workbook.worksheets[4].iter_rows(values_only=True))
    assert len(detail) == 1 + 4
    assert sum(row[-1] for row in detail[1:]) == 59_500
    trend = list(workbook.worksheets[3].iter_rows(values_only=True))
    assert trend[3] == ("03/2026", 59_500)


# Rules of a line ---------------------------------------------------------------------------


ICCID_MESSAGE = "An ICCID has 18 to 22 digits."
SIM_MESSAGE = "Only a mobile line has a SIM card."


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": "mobile", "sim_number": "89687012345678901"}, ICCID_MESSAGE),
        ({"kind": "mobile", "sim_number": "8968701234567890123A"}, ICCID_MESSAGE),
        ({"kind": "fixed", "sim_number": "8968701234567890123"}, SIM_MESSAGE),
        ({"kind": "internet", "sim_number": "8968701234567890123"}, SIM_MESSAGE),
    ],
)
def test_a_sim_number_is_an_iccid_of_a_mobile_line(client_for, values, message):
    """The form refuses a wrong ICCID or a SIM on a non-mobile line, in French; nothing saved."""
    client = client_for(roles.IT_MANAGER)

    response = client.post(add_url(), line_form(**values))

    assert response.status_code == 422
    assert escape(fr(message)) in response.content.decode()
    assert not TelecomLine.objects.exists()


@pytest.mark.parametrize("iccid", ["896870123456789012", "8968701234567890123456"])
def test_a_mobile_line_takes_an_iccid_of_18_to_22_digits(client_for, iccid):
    """18 and 22 digits are both accepted on a mobile line."""
    client = client_for(roles.IT_MANAGER)

    response = client.post(add_url(), line_form(kind="mobile", sim_number=iccid))

    assert response.status_code == 302
    assert TelecomLine.objects.get().sim_number == iccid


def test_an_identifier_is_unique_per_kind(client_for):
    """The same number may be a fixed and a mobile line, not two fixed lines."""
    client = client_for(roles.IT_MANAGER)
    TelecomLineFactory(kind=Kind.FIXED, identifier="27 12 34")

    duplicate = client.post(add_url(), line_form(kind="fixed"))
    other_kind = client.post(add_url(), line_form(kind="mobile"))

    assert duplicate.status_code == 422
    assert escape(fr("A line of this kind with this number already exists.")) in (
        duplicate.content.decode()
    )
    assert other_kind.status_code == 302
    assert sorted(TelecomLine.objects.values_list("kind", flat=True)) == ["fixed", "mobile"]


def test_a_requester_sees_only_his_own_lines(client_for):
    """List and API show the requester's lines; another's line answers 404 in both."""
    client = client_for(roles.REQUESTER)
    mine = TelecomLineFactory(holder=person_of(client.user), identifier="78 00 01")
    other = TelecomLineFactory(holder=PersonFactory(), identifier="78 00 02")
    object_type = registry.get(TelecomLine)

    listing = client.get(reverse(object_type.url_name("list"))).content.decode()
    api = client.get(reverse(api_url_name(object_type, "list"))).json()
    other_page = client.get(reverse(object_type.url_name("detail"), args=[other.pk]))
    other_api = client.get(reverse(api_url_name(object_type, "detail"), args=[other.pk]))
    mine_page = client.get(reverse(object_type.url_name("detail"), args=[mine.pk]))

    assert "78 00 01" in listing
    assert "78 00 02" not in listing
    assert [row["id"] for row in api["results"]] == [mine.pk]
    assert other_page.status_code == 404
    assert other_api.status_code == 404
    assert mine_page.status_code == 200


def test_the_end_of_commitment_is_in_the_deadline_register(client_for):
    """A line's end of commitment is a deadline on /echeances/; terminating the line drops it."""
    client = client_for(roles.IT_MANAGER)
    end = timezone.localdate() + timedelta(days=20)
    line = TelecomLine(kind=Kind.INTERNET, identifier="FTTH-VAU-01", monthly_cost=40_000)
    line.end_date = end
    save_object(line, user=client.user)

    deadline = Deadline.objects.get(object_id=line.pk, kind="commitment_end")
    page = client.get(reverse("deadlines")).content.decode()
    line.status = Status.TERMINATED
    save_object(line, user=client.user)

    assert deadline.due_date == end
    assert escape(deadline.title) in page
    assert "FTTH-VAU-01" in deadline.title
    assert not Deadline.objects.filter(object_id=line.pk, kind="commitment_end").exists()


def test_an_iccid_typed_in_groups_is_kept_and_a_sim_serves_one_line_only():
    """Spaces in an ICCID are dropped; the same SIM card on a second line is refused."""
    from django.core.exceptions import ValidationError

    from tests.factories import TelecomLineFactory

    line = TelecomLineFactory.build(sim_number="8968 7012 3456 7890 123")
    line.full_clean()
    assert line.sim_number == "8968701234567890123"
    line.save()
    other = TelecomLineFactory.build(sim_number="8968701234567890123")
    with pytest.raises(ValidationError):
        other.full_clean()
