"""The assets module's figures in the API: they equal what the pages and the domain show."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dpti.assets.depreciation import policy_for, schedule_for
from dpti.assets.models import AssetCategory, Disposal
from dpti.assets.register import asset_year
from dpti.core import roles
from tests.conftest import make_user
from tests.factories import AssetFactory, DisposalFactory

pytestmark = pytest.mark.django_db
REGISTER_API = reverse("api:report-assets-register")


def depreciation_url(asset):
    return reverse("api:assets-asset-depreciation", args=[asset.pk])


@pytest.fixture
def laptop():
    """A laptop of 400 000 XPF bought two years ago (4 years, M52: 100 000 a year)."""
    return AssetFactory(
        category=AssetCategory.objects.get(code="INF-PC"),
        value=400_000,
        acquisition_date=date(timezone.localdate().year - 2, 5, 1),
    )


def test_depreciation_equals_the_schedule_of_the_asset_page(client_for, laptop):
    """The treatment, its reason and every schedule row are those the asset's card shows."""
    client = client_for(roles.PROPERTY_MANAGER)
    response = client.get(depreciation_url(laptop), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    data = response.json()
    with translation.override("fr"):
        schedule = schedule_for(laptop)
        reason = schedule.treatment.reason
        label = str(schedule.treatment.label)
    assert data["rule"] == "straight_line"
    assert (data["rule_label"], data["reason"]) == (label, reason)
    assert data["duration_years"] == 4
    assert data["method"] == "m52"
    assert data["schedule"] == [
        {
            "year": row.year,
            "opening": row.opening,
            "allowance": row.allowance,
            "cumulated": row.cumulated,
            "closing": row.closing,
            "is_exit": row.is_exit,
        }
        for row in schedule.rows
    ]
    assert [row["allowance"] for row in data["schedule"]] == [100_000] * 4
    assert data["total_allowances"] == 400_000


def test_net_book_value_on_a_year_end_is_the_registers(client_for, laptop):
    """On 31 December the net book value is the register's of that year; on another day the
    last year end's; before the acquisition the asset is not in the register."""
    client = client_for(roles.PROPERTY_MANAGER)
    year = laptop.acquisition_date.year + 1
    line = asset_year(laptop, policy_for(laptop), year)
    data = client.get(depreciation_url(laptop), {"on": f"{year}-12-31"}).json()
    assert (data["in_register"], data["net_book_value"]) == (True, line.nbv_end)
    assert data["net_book_value"] == 300_000  # 400 000 - the allowance of its first full year
    data = client.get(depreciation_url(laptop), {"on": f"{year}-06-30"}).json()
    assert (data["in_register"], data["net_book_value"]) == (True, 400_000)
    data = client.get(depreciation_url(laptop), {"on": f"{year - 2}-12-31"}).json()
    assert (data["in_register"], data["net_book_value"]) == (False, None)


def test_an_expensed_asset_is_never_in_the_register(client_for):
    """Goods under the capitalisation threshold: expensed, out of the register, no schedule."""
    chair = AssetFactory(category=AssetCategory.objects.get(code="MOB-SIE"), value=45_000)
    data = client_for(roles.PROPERTY_MANAGER).get(depreciation_url(chair)).json()
    assert (data["rule"], data["in_register"], data["net_book_value"]) == ("expensed", False, None)
    assert data["schedule"] == []


def test_a_decided_disposal_takes_the_asset_out_from_its_date(client_for, laptop):
    """From the disposal's decision date the asset is out of the register; the exit is shown."""
    year = laptop.acquisition_date.year + 1
    DisposalFactory(asset=laptop, state=Disposal.State.DECIDED, decision_date=date(year + 1, 3, 1))
    client = client_for(roles.PROPERTY_MANAGER)
    data = client.get(depreciation_url(laptop), {"on": f"{year + 1}-03-01"}).json()
    assert (data["in_register"], data["net_book_value"]) == (False, None)
    assert (data["exit_date"], data["exit_value"]) == (f"{year + 1}-03-01", 300_000)
    assert data["schedule"][-1]["is_exit"] is True


def test_the_browsable_api_shows_the_depreciation(client_for, laptop):
    """A browser reading the route gets the browsable API page with the figures."""
    response = client_for(roles.PROPERTY_MANAGER).get(
        depreciation_url(laptop), HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 200
    assert "straight_line" in response.content.decode()


def test_a_wrong_day_answers_400(client_for, laptop):
    """A day that is not a date is refused with the parameter's error."""
    response = client_for(roles.PROPERTY_MANAGER).get(depreciation_url(laptop), {"on": "hier"})
    assert response.status_code == 400
    assert "on" in response.json()


def test_depreciation_has_the_rights_of_the_asset(client_for, laptop):
    """No right on assets: 403; a requester reads only the equipment he holds: 404 for
    another asset, as the asset's own endpoint."""
    assert client_for(None).get(depreciation_url(laptop)).status_code == 403
    requester = client_for(roles.REQUESTER)
    assert requester.get(depreciation_url(laptop)).status_code == 404
    assert requester.get(reverse("api:assets-asset-detail", args=[laptop.pk])).status_code == 404


def test_register_equals_the_register_page(client_for, laptop):
    """Accounts, figures and total of a year are those of the register page."""
    AssetFactory(category=AssetCategory.objects.get(code="MOB"), value=1_000_000)
    client = client_for(roles.PROPERTY_MANAGER)
    year = laptop.acquisition_date.year + 1
    page = client.get(reverse("assets:register"), {"year": year}).context["register"]
    response = client.get(REGISTER_API, {"year": year})
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == year
    figures = [*page.total.figures()]
    assert [account["number"] for account in data["accounts"]] == [
        totals.number for totals in page.accounts
    ]
    for account, totals in zip(data["accounts"], page.accounts, strict=True):
        assert {name: account[name] for name in figures} == totals.figures()
    assert data["total"] == page.total.figures()
    assert data["total"]["nbv_end"] > 0


def test_register_of_one_account(client_for, laptop):
    """`account` keeps that account's figures only; the total stays the register's."""
    AssetFactory(category=AssetCategory.objects.get(code="MOB"), value=1_000_000)
    client = client_for(roles.PROPERTY_MANAGER)
    year = laptop.acquisition_date.year + 1
    whole = client.get(REGISTER_API, {"year": year}).json()
    number = laptop.category.account.number
    data = client.get(REGISTER_API, {"year": year, "account": number}).json()
    assert [account["number"] for account in data["accounts"]] == [number]
    assert data["accounts"] == [a for a in whole["accounts"] if a["number"] == number]
    assert data["total"] == whole["total"]


@pytest.mark.parametrize("role", [roles.REQUESTER, roles.CONTRACTOR, None])
def test_register_is_refused_as_its_page(client_for, role):
    """Requesters, contractors and users without rights are refused the register (403), as
    its page refuses them."""
    client = client_for(role)
    assert client.get(REGISTER_API).status_code == 403
    assert client.get(reverse("assets:register")).status_code == 403


def test_register_reads_with_a_token(client, laptop):
    """An API client signing with its token reads the register."""
    from rest_framework.authtoken.models import Token

    user = make_user(roles.DIRECTION)
    token = Token.objects.create(user=user)
    response = client.get(REGISTER_API, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert "total" in response.json()
