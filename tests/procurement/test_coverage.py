"""The « Contracts » card procurement adds to the pages of assets, buildings and applications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from dpti.core import roles
from dpti.directory.scoping import company_of
from tests.conftest import make_user
from tests.factories import (
    ApplicationFactory,
    AssetFactory,
    BuildingFactory,
    CompanyFactory,
    ContractFactory,
    ContractLotFactory,
)

pytestmark = pytest.mark.django_db


def covering(obj, relation, **kwargs):
    """A contract with one lot, covering `obj` through `relation`."""
    contract = ContractFactory(**kwargs)
    getattr(contract, relation).add(obj)
    lot = ContractLotFactory(contract=contract, number=1)
    return contract, lot


@pytest.mark.parametrize(
    ("factory", "relation", "url_name"),
    [
        (lambda: AssetFactory(room=None), "assets", "assets:asset_detail"),
        (BuildingFactory, "buildings", "estate:building_detail"),
        (ApplicationFactory, "applications", "itpark:application_detail"),
    ],
)
def test_the_card_lists_the_contracts_covering_the_object(client_for, factory, relation, url_name):
    """The page of a covered object lists its contracts with holder, end and status, linked;
    a contract covering something else is not listed."""
    obj = factory()
    contract, lot = covering(obj, relation, object="Maintenance des climatiseurs")
    other, _lot = covering(factory(), relation, object="Contrat d'un autre objet")
    client = client_for(roles.PROCUREMENT_MANAGER)

    html = client.get(reverse(url_name, args=[obj.pk])).content.decode()

    assert 'id="contracts-covering"' in html
    assert reverse("procurement:contract_detail", args=[contract.pk]) in html
    assert "Maintenance des climatiseurs" in html
    assert escape(lot.holder.name) in html
    assert contract.end_date.strftime("%d/%m/%Y") in html
    with translation.override("fr"):
        assert escape(contract.get_status_display()) in html
    assert reverse("procurement:contract_detail", args=[other.pk]) not in html
    assert list(obj.contracts.all()) == [contract]


def test_an_object_without_contract_says_so(client_for):
    """With no covering contract the card shows a line saying so."""
    asset = AssetFactory(room=None)
    html = client_for(roles.PROCUREMENT_MANAGER).get(
        reverse("assets:asset_detail", args=[asset.pk])
    )
    assert "Aucun marché visible ne couvre cet objet." in html.content.decode()
    assert not asset.contracts.exists()


def test_a_user_who_may_not_read_contracts_gets_no_card(client_for):
    """A requester sees his equipment's page without the contracts card."""
    requester = make_user(roles.REQUESTER)
    from dpti.directory.scoping import person_of

    asset = AssetFactory(room=None, holder=person_of(requester))
    covering(asset, "assets", object="Maintenance secrète")
    from django.test import Client

    client = Client()
    client.force_login(requester)
    response = client.get(reverse("assets:asset_detail", args=[asset.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="contracts-covering"' not in html
    assert "Maintenance secrète" not in html


def test_a_contractor_sees_only_his_companys_contracts_and_lots(rf):
    """For a contractor the card keeps the contracts where his company holds a lot, with his
    company alone as holder, and drops the rivals' contracts."""
    from dpti.procurement.coverage import coverage_panel

    contractor = make_user(roles.CONTRACTOR)
    building = BuildingFactory()
    shared, _first = covering(building, "buildings", object="Climatisation partagée")
    ContractLotFactory(contract=shared, number=5, holder_id=company_of(contractor))
    rival = CompanyFactory(name="Concurrent Froid SARL")
    ContractLotFactory(contract=shared, number=6, holder=rival)
    covering(building, "buildings", object="Gardiennage concurrent")
    request = rf.get("/")
    request.user = contractor

    [panel] = coverage_panel(building, request)

    [row] = panel["context"]["rows"]
    assert row["contract"] == shared
    assert [holder.pk for holder in row["holders"]] == [company_of(contractor)]
    assert building.contracts.count() == 2


def test_the_asset_page_costs_the_same_queries_for_one_or_many_contracts(client_for):
    """The card reads its contracts and their holders in a fixed number of queries."""
    client = client_for(roles.PROCUREMENT_MANAGER)
    few, many = AssetFactory(room=None), AssetFactory(room=None)
    covering(few, "assets")
    for _index in range(6):
        contract, _lot = covering(many, "assets")
        ContractLotFactory(contract=contract, number=2)
    client.get(reverse("assets:asset_detail", args=[few.pk]))  # warm the caches

    with CaptureQueriesContext(connection) as one:
        first = client.get(reverse("assets:asset_detail", args=[few.pk]))
    with CaptureQueriesContext(connection) as six:
        second = client.get(reverse("assets:asset_detail", args=[many.pk]))

    assert first.status_code == second.status_code == 200
    assert second.content.decode().count("/procurement/contracts/") >= 6
    assert len(six.captured_queries) == len(one.captured_queries)
