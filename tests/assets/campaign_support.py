"""Shared data and helpers of the inventory campaign tests."""

import json
import uuid

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from dpti.assets.campaigns import services
from dpti.assets.models import Asset, CampaignItem
from dpti.core import roles
from tests.conftest import make_user
from tests.factories import (
    AssetFactory,
    BuildingFactory,
    FloorFactory,
    InventoryCampaignFactory,
    RoomFactory,
    SiteFactory,
)


def french(message, **params):
    """The French text of an English source string."""
    with translation.override("fr"):
        text = gettext(message)
    return text % params if params else text


def french_plural(singular, plural, count, **params):
    """The French text of a plural source string for `count`."""
    with translation.override("fr"):
        text = ngettext(singular, plural, count)
    return text % {"count": count, **params}


def flash_messages(response):
    return [str(message) for message in response.context["messages"]]


class Estate:
    """Two buildings of one site and a third on another site, each with rooms and assets.

    Building 1: rooms A (2 assets, one disposed) and B (1 asset); building 2: room C
    (1 asset); the other site: room D (1 asset).
    """

    def __init__(self):
        self.site = SiteFactory(code="VAU", name="Siège")
        self.building = BuildingFactory(site=self.site, code="VAU-B1", name="Bâtiment 1")
        floor = FloorFactory(building=self.building, level=1, name="1er étage")
        self.room_a = RoomFactory(floor=floor, code="VAU-1-101", name="Bureau du président")
        self.room_b = RoomFactory(floor=floor, code="VAU-1-102", name="Secrétariat")
        self.building2 = BuildingFactory(site=self.site, code="VAU-B2", name="Bâtiment 2")
        self.room_c = RoomFactory(
            floor=FloorFactory(building=self.building2, level=0), code="VAU-0-001"
        )
        self.other_site = SiteFactory(code="DUC", name="Ducos")
        self.room_d = RoomFactory(
            floor=FloorFactory(building=BuildingFactory(site=self.other_site), level=0),
            code="DUC-0-001",
        )
        self.chair = AssetFactory(inventory_number="2024-0001", label="Fauteuil", room=self.room_a)
        self.old = AssetFactory(
            inventory_number="2010-0001", room=self.room_a, status=Asset.Status.DISPOSED
        )
        self.desk = AssetFactory(inventory_number="2024-0002", label="Bureau", room=self.room_b)
        self.screen = AssetFactory(inventory_number="2024-0003", label="Écran", room=self.room_c)
        self.van = AssetFactory(inventory_number="2024-0004", label="Chariot", room=self.room_d)


def started(estate, user=None, **scope):
    """A campaign over the given scope (default: building 1), counting."""
    campaign = InventoryCampaignFactory(name="Inventaire 2026")
    scope = scope or {"buildings": [estate.building]}
    for name, values in scope.items():
        getattr(campaign, name).set(values)
    services.start_counting(campaign, user or make_user(roles.PROPERTY_MANAGER))
    campaign.refresh_from_db()
    return campaign


def scan(client, campaign, room, code="", description="", client_id=None):
    """POST one entry as the counting page's script does; returns (response, client_id)."""
    client_id = client_id or str(uuid.uuid4())
    response = client.post(
        reverse("assets:campaign_scan", args=[campaign.pk]),
        data=json.dumps(
            {"client_id": client_id, "room": room.pk, "code": code, "description": description}
        ),
        content_type="application/json",
    )
    return response, client_id


def item_of(campaign, asset):
    return CampaignItem.objects.get(campaign=campaign, asset=asset)


# Start ---------------------------------------------------------------------------------------
