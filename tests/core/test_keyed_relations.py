"""A relation to a big table is typed by its key (inventory number, code), not picked."""

import pytest
from django.core.cache import cache
from django.urls import reverse

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
    assert "Aucun enregistrement « bien »" in response.content.decode()
    assert not Device.objects.filter(name="PC-X").exists()


def test_a_small_relation_stays_a_select(client_for):
    """Below the threshold the relation is an ordinary select."""
    cache.clear()
    DeviceFactory()
    page = client_for(roles.IT_MANAGER).get(reverse("itpark:device_add")).content.decode()
    assert '<select name="asset"' in page
