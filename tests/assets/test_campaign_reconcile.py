"""Inventory campaigns after the count: reconciliation, moves, disposals, close, report."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dpti.assets.campaigns import services
from dpti.assets.models import Asset, AssetMovement, CampaignItem, CampaignScan, Disposal
from dpti.core import roles
from tests.assets.campaign_support import flash_messages, french, item_of, scan, started
from tests.factories import AssetFactory, RoomFactory

pytestmark = pytest.mark.django_db
Result = CampaignItem.Result


def counted(estate, manager):
    """Building 1 counted in room A: the chair found, the desk (room B) found there, one
    unknown code, one item without label; then counting stopped (nothing else missing)."""
    campaign = started(estate)
    AssetFactory(inventory_number="2024-0009", label="Lampe", room=estate.room_b)  # after start
    campaign.items.create(
        asset=Asset.objects.get(inventory_number="2024-0009"), expected_room=estate.room_b
    )
    scan(manager, campaign, estate.room_a, "2024-0001")
    scan(manager, campaign, estate.room_a, "2024-0002")
    scan(manager, campaign, estate.room_a, "INCONNU-7")
    scan(manager, campaign, estate.room_a, description="Chaise pliante")
    return campaign


def url(name, campaign, *args):
    return reverse(f"assets:{name}", args=[campaign.pk, *args])


def test_reconciliation_lists_missing_only_once_counting_stops(estate, manager):
    """Before stopping, no item is missing; after, the uncounted ones are, with the moves
    and the unknown entries."""
    campaign = counted(estate, manager)
    page = manager.get(url("campaign_reconcile", campaign))
    assert page.status_code == 200
    assert page.context["missing"] == []
    assert [i.asset.inventory_number for i in page.context["moved"]] == ["2024-0002"]
    assert sorted(s.code or s.description for s in page.context["unknown"]) == [
        "Chaise pliante",
        "INCONNU-7",
    ]
    assert url("campaign_stop", campaign) in page.content.decode()

    response = manager.post(url("campaign_stop", campaign), {"confirm": "1"}, follow=True)
    assert french("%(count)s item marked missing.", count=1) in flash_messages(response)
    assert [i.asset.inventory_number for i in response.context["missing"]] == ["2024-0009"]
    assert item_of(campaign, estate.chair).result == Result.FOUND


def test_apply_moves_moves_the_asset_and_journals_it_once(estate, manager):
    """Applying the moves sets the room where found, writes a movement with the campaign;
    a second click changes nothing."""
    campaign = counted(estate, manager)
    page = manager.get(url("campaign_apply_moves", campaign))
    assert "2024-0002" in page.content.decode()
    estate.desk.refresh_from_db()
    assert estate.desk.room == estate.room_b  # the confirmation page changes nothing

    response = manager.post(url("campaign_apply_moves", campaign), {"confirm": "1"}, follow=True)
    assert french("%(count)s asset moved in the register.", count=1) in flash_messages(response)
    estate.desk.refresh_from_db()
    assert estate.desk.room == estate.room_a
    assert estate.desk.updated_by == manager.user
    movement = AssetMovement.objects.get(asset=estate.desk)
    assert (movement.from_room, movement.to_room, movement.campaign, movement.moved_by) == (
        estate.room_b,
        estate.room_a,
        campaign,
        manager.user,
    )
    assert movement.reason == french("Inventory campaign « %(campaign)s »", campaign=campaign)
    assert item_of(campaign, estate.desk).move_applied is True

    again = manager.post(url("campaign_apply_moves", campaign), {"confirm": "1"}, follow=True)
    message = french("No asset to move: the register already matches the count.")
    assert message in flash_messages(again)
    assert AssetMovement.objects.filter(asset=estate.desk).count() == 1


def test_missing_items_go_to_disposal_as_lost(estate, manager):
    """Sending the missing items to disposal marks them lost and proposes a disposal for
    loss linked to the campaign; the history records the change."""
    campaign = counted(estate, manager)
    services.stop_counting(campaign, manager.user)
    lamp = Asset.objects.get(inventory_number="2024-0009")
    confirm = manager.post(url("campaign_dispose_missing", campaign), {"all": "1"})
    assert confirm.status_code == 200
    assert "2024-0009" in confirm.content.decode()
    assert not Disposal.objects.exists()

    response = manager.post(
        url("campaign_dispose_missing", campaign), {"all": "1", "confirm": "1"}, follow=True
    )
    assert french("%(count)s disposal proposed.", count=1) in flash_messages(response)
    lamp.refresh_from_db()
    disposal = Disposal.objects.get()
    assert lamp.status == Asset.Status.LOST
    assert (disposal.asset, disposal.reason, disposal.state, disposal.campaign) == (
        lamp,
        Disposal.Reason.LOSS,
        Disposal.State.PROPOSED,
        campaign,
    )
    assert (disposal.created_by, lamp.version) == (manager.user, 2)
    # Already proposed: a second send does nothing.
    manager.post(url("campaign_dispose_missing", campaign), {"all": "1", "confirm": "1"})
    assert Disposal.objects.count() == 1


def test_only_the_selected_missing_items_go_to_disposal(estate, manager):
    """A selection sends only the ticked missing items."""
    campaign = started(estate)
    services.stop_counting(campaign, manager.user)
    chair = item_of(campaign, estate.chair)
    manager.post(url("campaign_dispose_missing", campaign), {"pk": [chair.pk], "confirm": "1"})
    assert list(Disposal.objects.values_list("asset__inventory_number", flat=True)) == ["2024-0001"]
    estate.desk.refresh_from_db()
    assert estate.desk.status == Asset.Status.IN_SERVICE


def test_resolve_an_unknown_entry(estate, manager):
    """An unknown entry is marked resolved after confirmation."""
    campaign = counted(estate, manager)
    unknown = CampaignScan.objects.get(code="INCONNU-7")
    target = url("campaign_resolve_scan", campaign, unknown.pk)
    assert "INCONNU-7" in manager.get(target).content.decode()
    manager.post(target, {"confirm": "1"})
    unknown.refresh_from_db()
    assert unknown.resolved is True
    known = CampaignScan.objects.filter(kind="asset").first()
    manager.post(url("campaign_resolve_scan", campaign, known.pk), {"confirm": "1"})
    known.refresh_from_db()
    assert known.resolved is False


def test_close_marks_the_rest_missing_and_refuses_new_entries(estate, manager):
    """Closing turns pending items missing, stamps the date, and counting stops."""
    campaign = counted(estate, manager)
    response = manager.post(
        url("campaign_close", campaign), {"confirm": "1", "accept_untreated": "1"}, follow=True
    )
    assert french("The campaign is closed.") in flash_messages(response)
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    assert campaign.closed_at is not None
    assert item_of(campaign, estate.chair).result == Result.FOUND
    lamp = campaign.items.get(asset__inventory_number="2024-0009")
    assert lamp.result == Result.MISSING
    answer, _id = scan(manager, campaign, estate.room_b, "2024-0009")
    assert answer.status_code == 403
    # Reconciliation still applies moves after closing.
    assert manager.get(url("campaign_reconcile", campaign)).status_code == 200


def test_report_pdf_is_a_pdf(estate, manager):
    """The PDF report answers a PDF document."""
    campaign = counted(estate, manager)
    response = manager.get(url("campaign_report_pdf", campaign))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_report_workbook_holds_summary_items_moves_and_unknown(estate, manager):
    """The XLSX report has four sheets whose rows match the campaign."""
    campaign = counted(estate, manager)
    services.apply_moves(campaign, manager.user)
    response = manager.get(url("campaign_report_xlsx", campaign))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        french("Summary"),
        french("Expected items"),
        french("Moves"),
        french("Unknown"),
    ]
    summary = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)}
    assert summary[french("Expected items")] == 3
    assert summary[french("Found in place")] == 1
    assert summary[french("Found in another room")] == 1
    assert summary[french("Moves applied to the register")] == 1
    items = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert [row[0] for row in items[1:]] == ["2024-0001", "2024-0002", "2024-0009"]
    assert items[1][5] == french("Found")
    moves = list(workbook.worksheets[2].iter_rows(values_only=True))
    assert moves[1][:4] == ("2024-0002", "Bureau", str(estate.room_b), str(estate.room_a))
    unknown = list(workbook.worksheets[3].iter_rows(values_only=True))
    assert sorted(row[3] or "" for row in unknown[1:]) == ["", "INCONNU-7"]


def test_report_is_refused_to_a_requester(estate, client_for):
    """A requester cannot read a campaign's report."""
    campaign = started(estate)
    requester = client_for(roles.REQUESTER)
    assert requester.get(url("campaign_report_xlsx", campaign)).status_code == 403


def _grow(campaign, room, count):
    """Add `count` expected items in a room, half of them counted."""
    for index in range(count):
        asset = AssetFactory(room=room)
        campaign.items.create(
            asset=asset,
            expected_room=room,
            result=Result.FOUND if index % 2 else Result.PENDING,
            found_room=room if index % 2 else None,
        )


def test_counting_page_and_scan_queries_do_not_grow_with_items(
    estate, technician, django_assert_max_num_queries
):
    """The counting page, a room's list and a scan read a fixed number of queries."""
    campaign = started(estate)
    room = estate.room_a
    page = url("campaign_count", campaign)
    fragment = url("campaign_count_room", campaign, room.pk)
    technician.get(page, {"room": room.pk})  # warm the session and permission caches
    baseline = {}
    for name, call in {
        "page": lambda: technician.get(page, {"room": room.pk}),
        "room": lambda: technician.get(fragment),
        "scan": lambda: scan(technician, campaign, room, "2024-0001"),
    }.items():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            call()
        baseline[name] = len(queries)
    _grow(campaign, room, 40)
    for extra_room in [RoomFactory(floor=room.floor) for _ in range(10)]:
        _grow(campaign, extra_room, 3)
    with django_assert_max_num_queries(baseline["page"]):
        assert technician.get(page, {"room": room.pk}).status_code == 200
    with django_assert_max_num_queries(baseline["room"]):
        assert technician.get(fragment).status_code == 200
    with django_assert_max_num_queries(baseline["scan"]):
        assert scan(technician, campaign, room, "2024-0002")[0].status_code == 200
    # Measured: page 9, room list 9, scan 11 queries plus 5 savepoint statements.
    assert baseline["page"] <= 10, baseline
    assert baseline["scan"] <= 16, baseline


def test_reconciliation_and_detail_queries_do_not_grow_with_items(
    estate, manager, django_assert_max_num_queries
):
    """The reconciliation page and the campaign's detail page read a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign = counted(estate, manager)
    pages = [url("campaign_reconcile", campaign), campaign.get_absolute_url()]
    manager.get(pages[0])
    baseline = []
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            manager.get(page)
        baseline.append(len(queries))
    _grow(campaign, estate.room_b, 30)
    services.stop_counting(campaign, manager.user)
    for page, limit in zip(pages, baseline, strict=True):
        with django_assert_max_num_queries(limit):
            assert manager.get(page).status_code == 200
