"""A relation to a big table is typed by its key (inventory number, code), not picked."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from dpti.core import forms, roles
from dpti.itpark.models import Device
from tests.factories import AssetFactory, DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_assets(monkeypatch):
    """More assets than a form's select shows (threshold lowered; row counts are cached)."""
    monkeypatch.setattr(forms, "FORM_SELECT_MAX_ROWS", 10)
    cache.clear()
    assets = AssetFactory.create_batch(11, room=None)
    yield assets
    cache.clear()


def test_a_big_relation_is_a_key_box_and_takes_the_key(client_for, many_assets):
    """The device form asks for the inventory number and links the asset that bears it."""
    client = client_for(roles.IT_MANAGER)
    asset = many_assets[7]

    form_page = client.get(reverse("itpark:device_add"), {"asset": asset.pk})
    response = client.post(
        reverse("itpark:device_add"),
        {
            "name": "PC-VAU-A-101",
            "kind": "workstation",
            "asset": asset.inventory_number.lower(),
            "state": "production",
        },
    )

    html = form_page.content.decode()
    assert 'name="asset"' in html
    assert '<select name="asset"' not in html
    assert f'value="{asset.inventory_number}"' in html  # the pre-filled pk shown as its key
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Device.objects.get(name="PC-VAU-A-101").asset == asset


def test_an_unknown_key_is_refused_in_french_and_nothing_is_saved(client_for, many_assets):
    """A number no asset bears gets a clear message."""
    client = client_for(roles.IT_MANAGER)
    response = client.post(
        reverse("itpark:device_add"),
        {"name": "PC-X", "kind": "workstation", "asset": "9999-999999", "state": "production"},
    )
    assert response.status_code in (200, 422)
    assert "9999-999999" in response.content.decode()
    assert "Aucun enregistrement «\u00a0bien\u00a0»" in response.content.decode()
    assert not Device.objects.filter(name="PC-X").exists()


def test_a_small_relation_stays_a_select(client_for):
    """Below the threshold the relation is an ordinary select."""
    cache.clear()
    DeviceFactory()
    page = client_for(roles.IT_MANAGER).get(reverse("itpark:device_add")).content.decode()
    assert '<select name="asset"' in page


# Many-to-many relations to a big table: the keys are typed in a text box --------------------


def contract_data(contract, assets_text):
    """The contract form's fields, with the covered assets typed as text."""
    return {
        "reference": contract.reference,
        "object": contract.object,
        "kind": contract.kind,
        "procedure": contract.procedure,
        "status": contract.status,
        "notified_on": contract.notified_on.isoformat(),
        "start_date": contract.start_date.isoformat(),
        "duration_months": contract.duration_months,
        "renewals_allowed": 0,
        "renewal_months": 12,
        "renewals_done": 0,
        "renewal_notice_months": 3,
        "tax_rate": contract.tax_rate.pk,
        "price_revision": "firm",
        "guarantee_retention": "0",
        "advance_rate": "0",
        "assets": assets_text,
        "version": contract.version,
    }


def test_a_big_many_relation_takes_keys_one_per_line_or_separated(client_for, many_assets):
    """The contract's covered assets are typed by inventory number (lines, commas, semicolons,
    any case) and the edit page shows the current numbers back."""
    from dpti.procurement.models import Contract
    from tests.factories import ContractFactory

    client = client_for(roles.PROCUREMENT_MANAGER)
    contract = ContractFactory()
    first, second, third = many_assets[0], many_assets[4], many_assets[9]
    typed = (
        f"{first.inventory_number}\n{second.inventory_number.lower()} ; {third.inventory_number},"
    )
    url = reverse("procurement:contract_edit", args=[contract.pk])

    response = client.post(url, contract_data(contract, typed))
    page = client.get(url).content.decode()

    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(Contract.objects.get(pk=contract.pk).assets.all()) == {first, second, third}
    assert '<textarea name="assets"' in page
    assert '<select name="assets"' not in page
    for asset in (first, second, third):
        assert asset.inventory_number in page


def test_unknown_keys_are_named_in_french_and_nothing_changes(client_for, many_assets):
    """Every unknown number is named in one French message; the links stay as they were."""
    from tests.factories import ContractFactory

    client = client_for(roles.PROCUREMENT_MANAGER)
    contract = ContractFactory()
    contract.assets.add(many_assets[0])
    typed = f"{many_assets[1].inventory_number}, 9999-000001; 9999-000002"
    response = client.post(
        reverse("procurement:contract_edit", args=[contract.pk]), contract_data(contract, typed)
    )
    html = response.content.decode()
    assert response.status_code == 422
    # Both unknown numbers in one message; the known one is not reported.
    assert (
        escape(
            "Aucun enregistrement «\u00a0bien\u00a0» n'a l'une de ces valeurs de numéro "
            "d'inventaire\u202f: "
            "«\u00a09999-000001\u00a0», «\u00a09999-000002\u00a0»."
        )
        in html
    )
    assert typed in html  # what was typed is shown back to be corrected
    assert list(contract.assets.all()) == [many_assets[0]]


def test_keys_the_user_may_not_view_are_unknown(many_assets):
    """The key box only finds records the user may view (a requester's own equipment)."""
    from dpti.core.registry import registry
    from dpti.directory.scoping import person_of
    from dpti.procurement.models import Contract
    from tests.conftest import make_user

    requester = make_user(roles.REQUESTER)
    mine = many_assets[2]
    mine.holder = person_of(requester)
    mine.save()
    form_class = registry.get(Contract).form
    field = form_class(user=requester).fields["assets"]

    assert isinstance(field, forms.KeyedModelMultipleChoiceField)
    assert list(field.clean(mine.inventory_number)) == [mine]
    with pytest.raises(forms.forms.ValidationError) as refused:
        field.clean(f"{mine.inventory_number}\n{many_assets[3].inventory_number}")
    assert many_assets[3].inventory_number in str(refused.value)


def test_a_small_many_relation_stays_a_multiple_select(client_for):
    """Below the threshold the covered assets stay a multiple select."""
    cache.clear()
    AssetFactory(room=None)
    page = client_for(roles.PROCUREMENT_MANAGER).get(reverse("procurement:contract_add"))
    assert '<select name="assets"' in page.content.decode()
