"""Filters across several relations go through the keys of the first related records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dpti.assets.models import Asset
from dpti.core import filters
from dpti.itpark.models import Device
from tests.factories import AssetFactory, BuildingFactory, DeviceFactory, FloorFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_buildings():
    """Two buildings of two rooms each, three assets per room, one device per asset."""
    buildings = BuildingFactory.create_batch(2)
    for building in buildings:
        floor = FloorFactory(building=building)
        for room in RoomFactory.create_batch(2, floor=floor):
            for asset in AssetFactory.create_batch(3, room=room):
                DeviceFactory(asset=asset)
    return buildings


def listed_pks(client, path, params):
    response = client.get(path, params)
    assert response.status_code == 200
    return {row.record.pk for row in response.context["table"].page.object_list}


def test_a_building_filter_lists_the_assets_of_its_rooms(client_for, two_buildings):
    """Assets filtered by building are exactly those of its rooms, found by room keys."""
    client = client_for("administrator")
    building = two_buildings[0]
    with CaptureQueriesContext(connection) as queries:
        shown = listed_pks(
            client, reverse("assets:asset_list"), {"room__floor__building": building.pk}
        )
    expected = set(
        Asset.objects.filter(room__floor__building=building).values_list("pk", flat=True)
    )
    assert shown == expected
    assert len(shown) == 6
    listing = [q["sql"] for q in queries.captured_queries if 'FROM "assets_asset"' in q["sql"]]
    assert listing
    assert all("DISTINCT" not in sql for sql in listing)
    assert any('"assets_asset"."room_id" IN (' in sql for sql in listing)


def test_a_device_filter_by_building_goes_through_assets_then_rooms(client_for, two_buildings):
    """Devices of a building, through their assets' rooms, in the page and in the API."""
    client = client_for("administrator")
    building = two_buildings[1]
    expected = set(
        Device.objects.filter(asset__room__floor__building=building).values_list("pk", flat=True)
    )
    path = "asset__room__floor__building"
    assert listed_pks(client, reverse("itpark:device_list"), {path: building.pk}) == expected
    api = client.get(reverse("api:itpark-device-list"), {path: building.pk}).json()
    assert {row["id"] for row in api["results"]} == expected


def test_many_intermediate_records_become_a_subquery(two_buildings, monkeypatch):
    """Past the key limit, the intermediate keys are a subquery: same rows, no long list."""
    monkeypatch.setattr(filters, "THROUGH_MAX_KEYS", 1)
    building = two_buildings[0]
    rows = filters.filter_through_first_relation(
        Asset.objects.all(), "room__floor__building", building
    )
    assert "SELECT" in str(rows.query).split("WHERE", 1)[1]
    assert set(rows) == set(Asset.objects.filter(room__floor__building=building))
