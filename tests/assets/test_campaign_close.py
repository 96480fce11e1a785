"""Closing a campaign warns of what is left undealt with; an unknown entry can become an asset."""

import pytest
from django.urls import reverse

from dpti.assets.campaigns import services
from dpti.assets.models import Asset, CampaignItem, CampaignScan, Disposal
from tests.assets.campaign_support import flash_messages, scan, started
from tests.factories import AssetCategoryFactory

pytestmark = pytest.mark.django_db


def url(name, campaign, *args):
    return reverse(f"assets:{name}", args=[campaign.pk, *args])


def counted(estate, manager):
    """Building 1 counting: the chair found in room A, one unknown code and one item without
    label there; the desk of room B not counted (missing once closed)."""
    campaign = started(estate)
    scan(manager, campaign, estate.room_a, "2024-0001")
    scan(manager, campaign, estate.room_a, "SN-HP-4471")
    scan(manager, campaign, estate.room_a, description="Vidéoprojecteur Epson")
    return campaign


def test_closing_warns_with_the_counts_of_what_is_left(estate, manager):
    """The close confirmation states « 1 bien manquant non traité, 2 entrées inconnues non
    traitées » and asks to tick that one closes anyway; nothing is closed by asking."""
    campaign = counted(estate, manager)
    page = manager.get(url("campaign_close", campaign))
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 bien manquant non traité, 2 entrées inconnues non traitées" in text
    assert 'name="accept_untreated"' in text
    campaign.refresh_from_db()
    assert campaign.status == "counting"


def test_closing_without_ticking_the_warning_is_refused(estate, manager):
    """Confirmed without accepting the untreated items, the close is refused in French with
    the counts; the campaign keeps counting and no item is marked missing."""
    campaign = counted(estate, manager)
    response = manager.post(url("campaign_close", campaign), {"confirm": "1"}, follow=True)
    assert [message.replace("\u00a0", " ") for message in flash_messages(response)] == [
        "La campagne n'a pas été clôturée : 1 bien manquant non traité, 2 entrées inconnues "
        "non traitées. Confirmez pour la clôturer quand même."
    ]
    campaign.refresh_from_db()
    assert campaign.status == "counting"
    assert not campaign.items.filter(result=CampaignItem.Result.MISSING).exists()


def test_closing_with_the_warning_accepted_closes(estate, manager):
    """Ticked, the close goes through: the uncounted desk is missing, the campaign closed."""
    campaign = counted(estate, manager)
    manager.post(url("campaign_close", campaign), {"confirm": "1", "accept_untreated": "1"})
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    assert campaign.items.get(asset=estate.desk).result == CampaignItem.Result.MISSING


def test_a_campaign_with_everything_dealt_with_closes_without_warning(estate, manager):
    """Missing assets proposed for disposal and unknown entries resolved: no warning, the
    plain confirmation closes."""
    campaign = counted(estate, manager)
    services.stop_counting(campaign, manager.user)
    services.send_missing_to_disposal(campaign, manager.user)
    for entry in CampaignScan.objects.filter(campaign=campaign).exclude(kind="asset"):
        services.resolve_scan(campaign, entry.pk, manager.user)
    assert services.untreated(campaign) == (0, 0)
    page = manager.get(url("campaign_close", campaign)).content.decode()
    assert "non traité" not in page
    manager.post(url("campaign_close", campaign), {"confirm": "1"})
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    assert Disposal.objects.get(asset=estate.desk).reason == Disposal.Reason.LOSS


def test_an_unknown_entry_opens_the_asset_form_filled_from_it(estate, manager):
    """« Créer le bien » on an unknown code opens the asset form with the entry's label,
    room and serial number filled in."""
    campaign = counted(estate, manager)
    entry = CampaignScan.objects.get(campaign=campaign, code="SN-HP-4471")
    reconcile = manager.get(url("campaign_reconcile", campaign)).content.decode()
    target = url("campaign_scan_asset", campaign, entry.pk)
    assert target in reconcile
    assert "Créer le bien" in reconcile
    form = manager.get(target).context["form"]
    assert form.initial["label"] == "SN-HP-4471"
    assert form.initial["serial_number"] == "SN-HP-4471"
    assert form.initial["room"] == estate.room_a.pk
    described = CampaignScan.objects.get(campaign=campaign, description="Vidéoprojecteur Epson")
    form = manager.get(url("campaign_scan_asset", campaign, described.pk)).context["form"]
    assert form.initial["label"] == "Vidéoprojecteur Epson"
    assert form.initial["serial_number"] == ""


def test_saving_the_asset_links_the_entry_and_counts_it_found(estate, manager):
    """Saved from the entry, the new asset is numbered and placed in the room; the entry is
    linked to it and dealt with; the campaign counts it found; the warning drops it."""
    campaign = counted(estate, manager)
    entry = CampaignScan.objects.get(campaign=campaign, description="Vidéoprojecteur Epson")
    category = AssetCategoryFactory()
    response = manager.post(
        url("campaign_scan_asset", campaign, entry.pk),
        {
            "label": "Vidéoprojecteur Epson",
            "category": category.pk,
            "acquisition_date": "2024-05-02",
            "value": 120_000,
            "room": estate.room_a.pk,
            "condition": "good",
            "status": "in_service",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == url("campaign_reconcile", campaign) + "#unknown"
    asset = Asset.objects.get(label="Vidéoprojecteur Epson")
    assert asset.inventory_number
    assert asset.room == estate.room_a
    assert asset.created_by == manager.user
    entry.refresh_from_db()
    assert (entry.asset, entry.resolved) == (asset, True)
    item = CampaignItem.objects.get(campaign=campaign, asset=asset)
    assert (item.is_expected, item.result, item.found_room) == (
        False,
        CampaignItem.Result.FOUND,
        estate.room_a,
    )
    assert services.untreated(campaign) == (1, 1)
    # The entry is dealt with: the form is not offered a second time.
    again = manager.get(url("campaign_scan_asset", campaign, entry.pk), follow=True)
    assert "Cette entrée a déjà été traitée." in flash_messages(again)


def test_a_refused_asset_leaves_the_entry_untreated(estate, manager):
    """An invalid asset (no category) is refused with the form; the entry stays to deal
    with and no asset is created."""
    campaign = counted(estate, manager)
    entry = CampaignScan.objects.get(campaign=campaign, code="SN-HP-4471")
    response = manager.post(
        url("campaign_scan_asset", campaign, entry.pk),
        {"label": "Imprimante", "acquisition_date": "2024-05-02", "value": 1, "room": ""},
    )
    assert response.status_code == 422
    assert not Asset.objects.filter(label="Imprimante").exists()
    entry.refresh_from_db()
    assert (entry.asset, entry.resolved) == (None, False)


def test_a_technician_may_not_create_an_asset_from_an_entry(estate, manager, technician):
    """Only the manager reconciles: the technician gets 403 and nothing changes."""
    campaign = counted(estate, manager)
    entry = CampaignScan.objects.get(campaign=campaign, code="SN-HP-4471")
    assert technician.get(url("campaign_scan_asset", campaign, entry.pk)).status_code == 403
    entry.refresh_from_db()
    assert entry.resolved is False
