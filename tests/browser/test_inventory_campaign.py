"""Journey: a property manager runs an inventory campaign from the start to the disposals.

Counting goes through the manual entry field (the camera is not available to headless
Chromium); the feedback, the room's list and the reconciliation are read on screen, and the
database is checked at the end.
"""

import os
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import ngettext
from playwright.sync_api import expect

from dpti.assets.models import (
    Asset,
    AssetMovement,
    CampaignItem,
    CampaignScan,
    Disposal,
    InventoryCampaign,
)
from dpti.core import roles
from tests.browser.conftest import fr, sign_in
from tests.factories import (
    AssetFactory,
    BuildingFactory,
    FloorFactory,
    InventoryCampaignFactory,
    RoomFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# DPTI_SHOTS=/tmp/shots/campaigns saves screenshots of the counting and reconciliation pages.
SHOTS = os.environ.get("DPTI_SHOTS", "")


def shot(page, name, viewport_name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{viewport_name}.png", full_page=True)


def confirm(page):
    """Accept the confirmation page of an action."""
    page.get_by_test_id("confirm").click()


def test_campaign_from_start_to_disposal(page, live_server, viewport_name):
    """Start over a building, count room A by hand, reconcile, apply moves, dispose."""
    manager = UserFactory(roles=[roles.PROPERTY_MANAGER])
    floor = FloorFactory(building=BuildingFactory(name="Siège Vauban"), level=1)
    room_a = RoomFactory(floor=floor, code="VAU-1-101", name="Bureau du président")
    room_b = RoomFactory(floor=floor, code="VAU-1-102", name="Secrétariat")
    chair = AssetFactory(inventory_number="2024-CH-001", label="Fauteuil direction", room=room_a)
    desk = AssetFactory(inventory_number="2024-BU-002", label="Bureau d'angle", room=room_b)
    lamp = AssetFactory(inventory_number="2024-LA-003", label="Lampe de bureau", room=room_b)
    campaign = InventoryCampaignFactory(name="Inventaire Vauban 2026")
    campaign.buildings.set([floor.building])

    sign_in(page, live_server.url, manager.username)
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    page.get_by_role("link", name=fr("Start counting")).first.click()
    shot(page, "confirm-start", viewport_name)
    confirm(page)
    with translation.override("fr"):
        started = ngettext(
            "Counting started: %(count)s item expected.",
            "Counting started: %(count)s items expected.",
            3,
        ) % {"count": 3}
    expect(page.get_by_role("alert")).to_contain_text(started)
    expect(page.get_by_test_id("campaign-progress")).to_be_visible()
    shot(page, "detail-started", viewport_name)

    # Counting in room A, by manual entry.
    page.get_by_role("link", name=fr("Count"), exact=True).first.click()
    # The page's script (deferred) must listen before the room is chosen.
    page.wait_for_load_state("load")
    page.get_by_test_id("room-select").select_option(str(room_a.pk))
    room_list = page.get_by_test_id("room-items")
    expect(room_list).to_contain_text("2024-CH-001")
    code = page.get_by_test_id("scan-code")
    feedback = page.get_by_test_id("scan-feedback")

    code.fill("2024-CH-001")
    page.get_by_test_id("scan-record").click()
    expect(feedback).to_have_text(fr("Found: %(asset)s.", asset=chair))
    expect(feedback).to_have_attribute("data-level", "success")
    expect(room_list.locator('[data-number="2024-CH-001"]')).to_have_attribute(
        "data-result", "found"
    )
    expect(page.get_by_test_id("room-counter")).to_have_text("1 / 1")

    code.fill("2024-BU-002")
    code.press("Enter")
    expect(feedback).to_have_text(
        fr(
            "Found elsewhere: %(asset)s is expected in room %(room)s.",
            asset=desk,
            room=room_b,
        )
    )
    expect(feedback).to_have_attribute("data-level", "warning")
    expect(room_list.get_by_test_id("found-here")).to_contain_text("2024-BU-002")

    code.fill("INCONNU-42")
    page.get_by_test_id("scan-record").click()
    expect(feedback).to_have_text(
        fr("Unknown code « %(code)s »: kept for the reconciliation.", code="INCONNU-42")
    )
    expect(feedback).to_have_attribute("data-level", "danger")
    expect(room_list.get_by_test_id("unknown-here")).to_contain_text("INCONNU-42")
    expect(page.get_by_test_id("queue-status")).to_be_hidden()
    shot(page, "count", viewport_name)

    # Reconciliation.
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    shot(page, "detail-counted", viewport_name)
    page.get_by_role("link", name=fr("Reconcile"), exact=True).first.click()
    expect(page.get_by_test_id("moved-section")).to_contain_text("2024-BU-002")
    expect(page.get_by_test_id("unknown-section")).to_contain_text("INCONNU-42")
    page.get_by_test_id("stop-counting").click()
    confirm(page)
    missing = page.get_by_test_id("missing-section")
    expect(missing).to_contain_text("2024-LA-003")
    shot(page, "reconcile", viewport_name)

    page.get_by_test_id("apply-moves").click()
    expect(page.get_by_test_id("confirm-form")).to_contain_text("2024-BU-002")
    confirm(page)
    expect(page.get_by_role("alert")).to_contain_text(
        fr("%(count)s asset moved in the register.", count=1)
    )
    expect(page.get_by_test_id("moved-section")).to_contain_text(fr("Move applied"))

    page.get_by_test_id("dispose-all").click()
    expect(page.get_by_test_id("confirm-form")).to_contain_text("2024-LA-003")
    confirm(page)
    expect(page.get_by_role("alert")).to_contain_text(fr("%(count)s disposal proposed.", count=1))
    expect(missing).to_contain_text("2024-LA-003")
    shot(page, "reconcile-done", viewport_name)

    page.get_by_test_id("close-campaign").click()
    # The unknown entry INCONNU-42 was left untreated: the close says so and asks for a tick.
    expect(page.get_by_test_id("untreated")).to_contain_text("1")
    page.locator("input[name=accept_untreated]").check()
    confirm(page)
    expect(page.get_by_role("alert")).to_contain_text(fr("The campaign is closed."))

    campaign.refresh_from_db()
    desk.refresh_from_db()
    lamp.refresh_from_db()
    assert campaign.status == InventoryCampaign.Status.CLOSED
    assert desk.room == room_a
    movement = AssetMovement.objects.get(asset=desk, campaign=campaign)
    assert (movement.from_room, movement.to_room) == (room_b, room_a)
    assert lamp.status == Asset.Status.LOST
    disposal = Disposal.objects.get(asset=lamp)
    assert (disposal.state, disposal.reason, disposal.campaign) == ("proposed", "loss", campaign)
    results = dict(campaign.items.values_list("asset__inventory_number", "result"))
    assert results == {
        "2024-CH-001": CampaignItem.Result.FOUND,
        "2024-BU-002": CampaignItem.Result.FOUND_ELSEWHERE,
        "2024-LA-003": CampaignItem.Result.MISSING,
    }
    assert CampaignScan.objects.filter(campaign=campaign).count() == 3
    assert chair.room == room_a


def test_entries_typed_offline_are_sent_when_the_network_is_back(page, live_server, viewport_name):
    """An agent types a room code, loses the network, records two labels: they wait on the
    device, then are sent once, in order, when the network is back."""
    from dpti.assets.campaigns import services

    technician = UserFactory(roles=[roles.TECHNICIAN])
    floor = FloorFactory(level=2)
    room = RoomFactory(floor=floor, code="DUC-2-201", name="Atelier")
    AssetFactory(inventory_number="2023-PE-010", label="Perceuse", room=room)
    AssetFactory(inventory_number="2023-ET-011", label="Établi", room=room)
    campaign = InventoryCampaignFactory(name="Inventaire Ducos")
    campaign.rooms.set([room])
    services.start_counting(campaign, technician)

    sign_in(page, live_server.url, technician.username)
    page.goto(f"{live_server.url}/assets/campaigns/{campaign.pk}/count/")
    shot(page, "count-empty", viewport_name)
    page.get_by_test_id("room-filter").fill("duc-2-201")
    expect(page.get_by_test_id("room-select")).to_have_value(str(room.pk))
    expect(page.get_by_test_id("room-items")).to_contain_text("2023-PE-010")

    page.context.set_offline(True)
    code = page.get_by_test_id("scan-code")
    for number in ("2023-PE-010", "2023-et-011"):
        code.fill(number)
        code.press("Enter")
    expect(page.get_by_test_id("scan-feedback")).to_have_attribute("data-level", "warning")
    expect(page.get_by_test_id("queue-status")).to_contain_text(
        fr("%(count)s entries waiting for the network.", count=2)
    )
    assert not CampaignScan.objects.exists()
    shot(page, "count-offline", viewport_name)

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_test_id("queue-status")).to_be_hidden()
    expect(page.get_by_test_id("room-counter")).to_have_text("2 / 2")
    assert CampaignScan.objects.filter(campaign=campaign).count() == 2
    assert set(campaign.items.values_list("result", flat=True)) == {CampaignItem.Result.FOUND}
    assert page.evaluate(f"localStorage.getItem('dpti.campaign.{campaign.pk}.queue')") == "[]"


def _qr_video(path, text, width=640, height=480):
    """A Y4M video (a few still frames) showing the QR code of `text`, for a fake camera."""
    import segno

    matrix = segno.make(text, error="m").matrix
    scale = min(width, height) // (len(matrix) + 8)
    side = len(matrix) * scale
    left, top = (width - side) // 2, (height - side) // 2
    luma = bytearray(b"\xff" * width * height)
    for row, modules in enumerate(matrix):
        for col, dark in enumerate(modules):
            if dark:
                for y in range(top + row * scale, top + (row + 1) * scale):
                    start = y * width + left + col * scale
                    luma[start : start + scale] = b"\x10" * scale
    chroma = b"\x80" * (width // 2) * (height // 2)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F5:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(5):
            video.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


def test_the_camera_reads_a_label_qr_code(playwright, live_server, tmp_path):
    """A label's QR code seen by the camera (a fake one showing it) records the asset found.

    Linux Chromium has no BarcodeDetector: this exercises the vendored jsQR fallback.
    """
    from dpti.assets.campaigns import services
    from dpti.assets.labels import label_url_for
    from dpti.core.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS

    technician = UserFactory(roles=[roles.TECHNICIAN])
    room = RoomFactory(floor=FloorFactory(level=3), code="VAU-3-301", name="Salle B")
    asset = AssetFactory(inventory_number="2025-VI-042", label="Vidéoprojecteur", room=room)
    campaign = InventoryCampaignFactory(name="Inventaire salle B")
    campaign.rooms.set([room])
    services.start_counting(campaign, technician)
    video = tmp_path / "label.y4m"
    _qr_video(video, label_url_for(asset))

    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = browser.new_context(viewport=VIEWPORTS["phone"], locale="fr-FR")
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        sign_in(page, live_server.url, technician.username)
        page.goto(f"{live_server.url}/assets/campaigns/{campaign.pk}/count/?room={room.pk}")
        page.get_by_test_id("camera-start").click()
        feedback = page.get_by_test_id("scan-feedback")
        expect(feedback).to_have_text(fr("Found: %(asset)s.", asset=asset), timeout=20000)
        expect(page.get_by_test_id("room-counter")).to_have_text("1 / 1")
        assert page.evaluate("'BarcodeDetector' in window || typeof jsQR === 'function'")
    finally:
        browser.close()
    scan = CampaignScan.objects.get(campaign=campaign)
    assert (scan.code, scan.asset, scan.room) == ("2025-VI-042", asset, room)
