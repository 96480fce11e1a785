"""Inventory campaigns: the expected list at the start, counting rules, rights, idempotence."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from dpti.assets.campaigns import campaign_actions, services
from dpti.assets.campaigns.scanning import parse_code, record_scan
from dpti.assets.models import CampaignItem, CampaignScan, InventoryCampaign
from dpti.core import roles
from tests.assets.campaign_support import (
    flash_messages,
    french,
    french_plural,
    item_of,
    scan,
    started,
)
from tests.conftest import make_user
from tests.factories import (
    InventoryCampaignFactory,
)

pytestmark = pytest.mark.django_db
Result = CampaignItem.Result


def test_start_by_building_expects_the_active_assets_of_its_rooms(estate):
    """Starting a campaign over a building snapshots its active assets, pending, in place."""
    campaign = started(estate, buildings=[estate.building])
    items = CampaignItem.objects.filter(campaign=campaign)
    assert {(i.asset, i.expected_room, i.result, i.is_expected) for i in items} == {
        (estate.chair, estate.room_a, Result.PENDING, True),
        (estate.desk, estate.room_b, Result.PENDING, True),
    }
    assert campaign.status == InventoryCampaign.Status.COUNTING
    assert campaign.started_at is not None


def test_start_by_room_expects_only_the_chosen_rooms(estate):
    """A scope of rooms expects the assets of those rooms only."""
    campaign = started(estate, rooms=[estate.room_b, estate.room_d])
    assert set(campaign.items.values_list("asset__inventory_number", flat=True)) == {
        "2024-0002",
        "2024-0004",
    }


def test_start_by_site_expects_every_building_of_the_site(estate):
    """A scope of a site covers every room of its buildings, and no other site."""
    campaign = started(estate, sites=[estate.site])
    assert set(campaign.items.values_list("asset", flat=True)) == {
        estate.chair.pk,
        estate.desk.pk,
        estate.screen.pk,
    }


def test_start_refuses_an_empty_scope_in_french(manager):
    """Without site, building or room, starting is refused with a French message."""
    campaign = InventoryCampaignFactory()
    url = reverse("assets:campaign_start", args=[campaign.pk])
    response = manager.post(url, {"confirm": "1"}, follow=True)
    message = french("Choose at least one site, building or room before starting the count.")
    assert message in flash_messages(response)
    campaign.refresh_from_db()
    assert campaign.status == InventoryCampaign.Status.DRAFT
    assert not campaign.items.exists()
    with pytest.raises(ValidationError):
        services.start_counting(campaign, manager.user)


def test_start_through_the_confirmation_page(estate, manager):
    """The start button asks first (GET), then the confirmed POST starts and says so."""
    campaign = InventoryCampaignFactory()
    campaign.buildings.set([estate.building])
    url = reverse("assets:campaign_start", args=[campaign.pk])
    page = manager.get(url)
    assert page.status_code == 200
    assert french("Start counting") in page.content.decode()
    assert InventoryCampaign.objects.get(pk=campaign.pk).status == "draft"
    response = manager.post(url, {"confirm": "1"}, follow=True)
    started_message = french_plural(
        "Counting started: %(count)s item expected.",
        "Counting started: %(count)s items expected.",
        2,
    )
    assert started_message in flash_messages(response)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.items.count()) == ("counting", 2)
    assert (campaign.version, campaign.updated_by) == (2, manager.user)


def test_start_twice_is_refused(estate):
    """A campaign already counting cannot be started again (no second snapshot)."""
    campaign = started(estate)
    with pytest.raises(ValidationError):
        services.start_counting(campaign, make_user(roles.PROPERTY_MANAGER))
    assert campaign.items.count() == 2


# Scan rules ----------------------------------------------------------------------------------
def test_scan_of_an_asset_expected_in_the_room_is_found(estate, technician):
    """An asset expected in the room scanned there is found, counted by the agent."""
    campaign = started(estate)
    response, client_id = scan(technician, campaign, estate.room_a, "2024-0001")
    assert response.status_code == 200
    data = response.json()
    assert (data["result"], data["level"]) == ("found", "success")
    assert data["message"] == french("Found: %(asset)s.", asset=estate.chair)
    item = item_of(campaign, estate.chair)
    assert (item.result, item.found_room, item.counted_by) == (
        Result.FOUND,
        estate.room_a,
        technician.user,
    )
    saved = CampaignScan.objects.get(client_id=client_id)
    assert (saved.kind, saved.asset, saved.room, saved.scanned_by) == (
        "asset",
        estate.chair,
        estate.room_a,
        technician.user,
    )


def test_scan_of_an_asset_expected_in_another_room_is_found_elsewhere(estate, technician):
    """An asset expected in room B scanned in room A is found elsewhere, room A noted."""
    campaign = started(estate)
    response, _id = scan(technician, campaign, estate.room_a, "2024-0002")
    data = response.json()
    assert (data["result"], data["level"]) == ("found_elsewhere", "warning")
    assert data["message"] == french(
        "Found elsewhere: %(asset)s is expected in room %(room)s.",
        asset=estate.desk,
        room=estate.room_b,
    )
    item = item_of(campaign, estate.desk)
    assert (item.result, item.expected_room, item.found_room) == (
        Result.FOUND_ELSEWHERE,
        estate.room_b,
        estate.room_a,
    )


def test_scan_of_a_register_asset_not_expected_adds_an_unexpected_item(estate, technician):
    """An asset of the register outside the expected list becomes an unexpected item."""
    campaign = started(estate)
    response, _id = scan(technician, campaign, estate.room_a, "2024-0003")
    assert response.json()["result"] == "not_expected"
    item = item_of(campaign, estate.screen)
    assert (item.is_expected, item.result, item.expected_room, item.found_room) == (
        False,
        Result.FOUND_ELSEWHERE,
        estate.room_c,
        estate.room_a,
    )


def test_scan_of_an_unknown_code_is_kept_as_unknown(estate, technician):
    """A code matching no asset is recorded as an unknown code, and said in red."""
    campaign = started(estate)
    response, client_id = scan(technician, campaign, estate.room_a, "XYZ-999")
    data = response.json()
    assert (data["result"], data["level"]) == ("unknown", "danger")
    assert data["message"] == french(
        "Unknown code « %(code)s »: kept for the reconciliation.", code="XYZ-999"
    )
    saved = CampaignScan.objects.get(client_id=client_id)
    assert (saved.kind, saved.code, saved.asset) == ("unknown_code", "XYZ-999", None)
    assert campaign.items.count() == 2


def test_scan_of_a_disposed_asset_says_so_and_is_kept(estate, technician):
    """A disposed asset scanned is reported as disposed, recorded as a scan, not counted."""
    campaign = started(estate)
    response, client_id = scan(technician, campaign, estate.room_a, "2010-0001")
    data = response.json()
    assert (data["result"], data["level"]) == ("disposed", "danger")
    saved = CampaignScan.objects.get(client_id=client_id)
    assert (saved.kind, saved.asset) == ("unknown_code", estate.old)
    assert not CampaignItem.objects.filter(asset=estate.old).exists()


def test_new_item_without_label_is_recorded_with_its_description(estate, technician):
    """An item without label is a scan of kind new item carrying its description."""
    campaign = started(estate)
    response, client_id = scan(
        technician, campaign, estate.room_b, description="Armoire grise sans étiquette"
    )
    assert response.json()["result"] == "new_item"
    saved = CampaignScan.objects.get(client_id=client_id)
    assert (saved.kind, saved.description, saved.room) == (
        "new_item",
        "Armoire grise sans étiquette",
        estate.room_b,
    )


def test_label_url_and_lower_case_entries_find_the_asset(estate, technician):
    """A label's QR URL or a lower-case typed number finds the asset."""
    estate.chair.inventory_number = "CNC-2024-0001"
    estate.chair.save()
    campaign = started(estate)
    url = "https://dpti.congres.nc/assets/scan/CNC-2024-0001/"
    response, client_id = scan(technician, campaign, estate.room_a, url)
    assert response.json()["result"] == "found"
    assert CampaignScan.objects.get(client_id=client_id).code == "CNC-2024-0001"
    response, _id = scan(technician, campaign, estate.room_a, "cnc-2024-0001")
    assert response.json()["result"] == "already"
    assert parse_code("  http://x/assets/scan/A%2F1/?utm=1 ") == "A/1"
    assert parse_code(" 2024-0001 ") == "2024-0001"


def test_a_later_scan_in_another_room_moves_the_result(estate, technician):
    """The latest room where an item is seen wins; a missing item scanned late is found."""
    campaign = started(estate)
    services.stop_counting(campaign, technician.user)
    assert item_of(campaign, estate.chair).result == Result.MISSING
    scan(technician, campaign, estate.room_b, "2024-0001")
    assert item_of(campaign, estate.chair).result == Result.FOUND_ELSEWHERE
    scan(technician, campaign, estate.room_a, "2024-0001")
    item = item_of(campaign, estate.chair)
    assert (item.result, item.found_room) == (Result.FOUND, estate.room_a)


# Idempotence and concurrency -----------------------------------------------------------------
def test_the_same_client_id_sent_twice_records_once(estate, technician):
    """A retry with the same client id records nothing more and gives the same answer."""
    campaign = started(estate)
    first, client_id = scan(technician, campaign, estate.room_a, "2024-0002")
    item = item_of(campaign, estate.desk)
    second, _id = scan(technician, campaign, estate.room_a, "2024-0002", client_id=client_id)
    assert second.status_code == 200
    assert second.json()["duplicate"] is True
    assert second.json()["message"] == first.json()["message"]
    assert CampaignScan.objects.filter(client_id=client_id).count() == 1
    assert item_of(campaign, estate.desk).counted_at == item.counted_at


def test_two_agents_scanning_the_same_asset_give_one_item_and_two_scans(estate, client_for):
    """Two agents scanning one asset: one item counted once, both scans kept."""
    campaign = started(estate)
    first, second = client_for(roles.TECHNICIAN), client_for(roles.PROPERTY_MANAGER)
    answer1, _ = scan(first, campaign, estate.room_a, "2024-0003")
    answer2, _ = scan(second, campaign, estate.room_a, "2024-0003")
    assert (answer1.json()["result"], answer2.json()["result"]) == ("not_expected", "not_expected")
    items = CampaignItem.objects.filter(campaign=campaign, asset=estate.screen)
    assert items.count() == 1
    assert items.get().counted_by == first.user
    assert CampaignScan.objects.filter(campaign=campaign, asset=estate.screen).count() == 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_scans_of_the_same_asset_do_not_corrupt_it(estate):
    """Several agents scanning one unexpected asset at the same instant: one item, N scans.

    Runs threads on PostgreSQL (row locks); SQLite serialises writers, so the test there
    only checks the sequential path.
    """
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection, connections

    campaign = started(estate)
    agents = [make_user(roles.TECHNICIAN) for _ in range(4)]
    barrier = Barrier(len(agents)) if connection.vendor == "postgresql" else None

    def count(agent):
        try:
            if barrier:
                barrier.wait(timeout=10)
            return record_scan(
                campaign, room=estate.room_a, client_id=uuid.uuid4(), user=agent, code="2024-0003"
            ).result
        finally:
            connections.close_all()

    workers = len(agents) if barrier else 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(count, agents))
    assert set(results) == {"not_expected"}
    item = CampaignItem.objects.get(campaign=campaign, asset=estate.screen)
    assert (item.result, item.found_room) == (Result.FOUND_ELSEWHERE, estate.room_a)
    assert CampaignScan.objects.filter(asset=estate.screen).count() == len(agents)


# Rights --------------------------------------------------------------------------------------
def test_counting_is_refused_unless_the_campaign_is_counting(estate, technician):
    """The counting page and the scan answer 403 for a draft or a closed campaign."""
    draft = InventoryCampaignFactory()
    draft.buildings.set([estate.building])
    assert technician.get(reverse("assets:campaign_count", args=[draft.pk])).status_code == 403
    response, _id = scan(technician, draft, estate.room_a, "2024-0001")
    assert response.status_code == 403
    closed = started(estate)
    services.close_campaign(closed, technician.user, accept_untreated=True)
    assert technician.get(reverse("assets:campaign_count", args=[closed.pk])).status_code == 403
    response, _id = scan(technician, closed, estate.room_a, "2024-0001")
    assert response.status_code == 403
    assert not CampaignScan.objects.exists()


def test_a_requester_may_not_count(estate, client_for):
    """A requester (not internal) gets 403 on the counting page and the scan endpoint."""
    campaign = started(estate)
    requester = client_for(roles.REQUESTER)
    assert requester.get(reverse("assets:campaign_count", args=[campaign.pk])).status_code == 403
    response, _id = scan(requester, campaign, estate.room_a, "2024-0001")
    assert response.status_code == 403
    assert not CampaignScan.objects.exists()
    assert item_of(campaign, estate.chair).result == Result.PENDING


def test_a_technician_counts_but_does_not_reconcile(estate, technician):
    """A technician opens the counting page but not the reconciliation nor its actions."""
    campaign = started(estate)
    assert technician.get(reverse("assets:campaign_count", args=[campaign.pk])).status_code == 200
    for name in ("campaign_reconcile", "campaign_apply_moves", "campaign_close"):
        assert technician.get(reverse(f"assets:{name}", args=[campaign.pk])).status_code == 403
    response = technician.post(
        reverse("assets:campaign_close", args=[campaign.pk]), {"confirm": "1"}
    )
    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == "counting"


def test_anonymous_scan_is_sent_to_sign_in(estate):
    """Without a session the scan endpoint records nothing."""
    campaign = started(estate)
    response, _id = scan(Client(), campaign, estate.room_a, "2024-0001")
    assert response.status_code == 302
    assert not CampaignScan.objects.exists()


def test_a_room_outside_the_campaign_is_refused(estate, technician):
    """An entry for a room outside the scope is refused (400) and recorded nowhere."""
    campaign = started(estate)
    response, _id = scan(technician, campaign, estate.room_d, "2024-0004")
    assert response.status_code == 400
    assert response.json()["message"] == french("Choose a room of the campaign first.")
    assert not CampaignScan.objects.exists()


def test_form_post_without_script_records_and_redirects(estate, technician):
    """The manual form works without JavaScript: recorded, message, back to the room."""
    campaign = started(estate)
    url = reverse("assets:campaign_scan", args=[campaign.pk])
    response = technician.post(
        url, {"client_id": str(uuid.uuid4()), "room": estate.room_a.pk, "code": "2024-0001"}
    )
    count_url = reverse("assets:campaign_count", args=[campaign.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{count_url}?room={estate.room_a.pk}"
    assert item_of(campaign, estate.chair).result == Result.FOUND


def test_actions_follow_the_status_and_the_role(estate):
    """The detail page offers start on a draft, count/reconcile/close while counting."""
    manager, technician = make_user(roles.PROPERTY_MANAGER), make_user(roles.TECHNICIAN)
    draft = InventoryCampaignFactory()
    draft.buildings.set([estate.building])

    def urls(campaign, user):
        return {
            action["url"].rstrip("/").rsplit("/", 1)[-1]
            for action in campaign_actions(campaign, user)
        }

    assert urls(draft, manager) == {"start"}
    assert urls(draft, technician) == set()
    campaign = started(estate)
    assert urls(campaign, manager) == {"count", "reconcile", "close"}
    assert urls(campaign, technician) == {"count"}
    services.close_campaign(campaign, manager, accept_untreated=True)
    campaign.refresh_from_db()
    assert urls(campaign, manager) == {"reconcile"}


def test_detail_page_shows_scope_then_progress_by_room(estate, manager):
    """A draft's page shows what its count covers; a started one its progress per room."""
    draft = InventoryCampaignFactory()
    draft.buildings.set([estate.building])
    page = manager.get(draft.get_absolute_url()).content.decode()
    assert 'data-testid="campaign-scope"' in page
    assert reverse("assets:campaign_start", args=[draft.pk]) in page
    campaign = started(estate)
    scan(manager, campaign, estate.room_a, "2024-0001")
    page = manager.get(campaign.get_absolute_url()).content.decode()
    assert 'data-testid="campaign-progress"' in page
    assert 'data-room="VAU-1-101"' in page
    assert 'data-room="VAU-1-102"' in page
    assert reverse("assets:campaign_count", args=[campaign.pk]) in page
    assert reverse("assets:campaign_report_xlsx", args=[campaign.pk]) in page


def test_counting_page_lists_the_rooms_and_the_expected_items(estate, technician):
    """The counting page offers the rooms of the scope and the chosen room's list, ticked."""
    campaign = started(estate)
    scan(technician, campaign, estate.room_a, "2024-0001")
    url = reverse("assets:campaign_count", args=[campaign.pk])
    response = technician.get(url, {"room": estate.room_a.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="VAU-1-101"' in page
    assert 'data-code="VAU-1-102"' in page
    assert 'data-code="VAU-0-001"' not in page
    assert 'data-number="2024-0001" data-result="found"' in page
    fragment = technician.get(
        reverse("assets:campaign_count_room", args=[campaign.pk, estate.room_b.pk])
    ).content.decode()
    assert 'data-number="2024-0002" data-result="pending"' in fragment
