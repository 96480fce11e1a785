"""Writes of a campaign's life: start (snapshot), stop, reconciliation actions, close."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dpti.assets.models import Asset, CampaignItem, CampaignScan, Disposal, InventoryCampaign
from dpti.core import roles
from dpti.core.permissions import has_model_permission
from dpti.core.services import save_object, save_system_change
from dpti.estate.models import Room

Status = InventoryCampaign.Status
Result = CampaignItem.Result


# Rights ------------------------------------------------------------------------------------
def is_internal(user):
    """A staff member of the institution (not a requester or a contractor)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user.role_names & set(roles.INTERNAL_ROLES))


def may_view(user):
    """Whether the user may read campaigns, their progress and their report."""
    return is_internal(user) and has_model_permission(user, InventoryCampaign, "view")


def may_count(user, campaign):
    """Technicians and managers count, only while the campaign is counting."""
    return may_view(user) and campaign.status == Status.COUNTING


def may_manage(user):
    """The property manager starts, reconciles and closes campaigns."""
    return is_internal(user) and has_model_permission(user, InventoryCampaign, "change")


# Scope -------------------------------------------------------------------------------------
def has_scope(campaign):
    """Whether the campaign names at least one site, building or room."""
    return campaign.sites.exists() or campaign.buildings.exists() or campaign.rooms.exists()


def scope_filter(campaign):
    """The rooms chosen, or in the chosen buildings, or in the chosen sites."""
    return (
        Q(pk__in=campaign.rooms.values("pk"))
        | Q(floor__building__in=campaign.buildings.values("pk"))
        | Q(floor__building__site__in=campaign.sites.values("pk"))
    )


def rooms_in_scope(campaign):
    """The rooms of the campaign's scope."""
    return Room.objects.filter(scope_filter(campaign))


def counting_rooms(campaign):
    """The rooms agents may count in: the scope, plus any room the expected list names.

    The scope may be edited after the start; the rooms of the snapshot stay countable.
    """
    expected = CampaignItem.objects.filter(campaign=campaign).values("expected_room")
    return (
        Room.objects.filter(scope_filter(campaign) | Q(pk__in=expected))
        .select_related("floor__building")
        .order_by("code")
    )


def expected_assets(campaign):
    """The active assets the scope holds today: what starting the count would expect."""
    return Asset.objects.active().filter(room__in=rooms_in_scope(campaign))


# Life of a campaign --------------------------------------------------------------------------
def _locked(campaign):
    return InventoryCampaign.objects.select_for_update().get(pk=campaign.pk)


@transaction.atomic
def start_counting(campaign, user):
    """Draft → counting: snapshot one pending item per active asset of the scope.

    Returns the number of expected items.
    """
    campaign = _locked(campaign)
    if campaign.status != Status.DRAFT:
        raise ValidationError(_("Only a draft campaign can start counting."))
    if not has_scope(campaign):
        raise ValidationError(
            _("Choose at least one site, building or room before starting the count.")
        )
    if not rooms_in_scope(campaign).exists():
        raise ValidationError(_("The chosen sites and buildings hold no room to count."))
    items = [
        CampaignItem(campaign=campaign, asset_id=asset_id, expected_room_id=room_id)
        for asset_id, room_id in expected_assets(campaign).values_list("pk", "room_id")
    ]
    CampaignItem.objects.bulk_create(items, batch_size=500)
    campaign.status = Status.COUNTING
    campaign.started_at = timezone.now()
    if not campaign.start_date:
        campaign.start_date = timezone.localdate()
    save_object(campaign, user=user)
    return len(items)


def _mark_pending_missing(campaign):
    return CampaignItem.objects.filter(campaign=campaign, result=Result.PENDING).update(
        result=Result.MISSING
    )


@transaction.atomic
def stop_counting(campaign, user):
    """Mark every item not yet counted missing, so that reconciliation can begin.

    The campaign stays in counting: an item scanned later leaves the missing list.
    Returns the number of items marked missing.
    """
    campaign = _locked(campaign)
    if campaign.status != Status.COUNTING:
        raise ValidationError(_("The campaign is not counting."))
    return _mark_pending_missing(campaign)


def untreated(campaign):
    """(missing assets without a decision, unknown entries not dealt with) of a campaign.

    Items not yet counted count as missing: closing marks them so. A missing asset is dealt
    with once a disposal is proposed for it (or it is disposed); an unknown entry once it is
    resolved (recorded as an asset, or marked resolved).
    """
    missing = (
        CampaignItem.objects.filter(
            campaign=campaign,
            result__in=(Result.MISSING, Result.PENDING),
            asset__disposal__isnull=True,
        )
        .exclude(asset__status=Asset.Status.DISPOSED)
        .count()
    )
    unknown = (
        CampaignScan.objects.filter(campaign=campaign, resolved=False)
        .exclude(kind=CampaignScan.Kind.ASSET)
        .count()
    )
    return missing, unknown


def untreated_message(missing, unknown):
    """« 3 biens manquants non traités, 1 entrée inconnue non traitée »."""
    return ", ".join(
        (
            ngettext(
                "%(count)s missing asset not dealt with",
                "%(count)s missing assets not dealt with",
                missing,
            )
            % {"count": missing},
            ngettext(
                "%(count)s unknown entry not dealt with",
                "%(count)s unknown entries not dealt with",
                unknown,
            )
            % {"count": unknown},
        )
    )


@transaction.atomic
def close_campaign(campaign, user, *, accept_untreated=False):
    """Counting → closed: items still not counted are missing; no scan is accepted any more.

    With missing assets or unknown entries not dealt with, the close needs `accept_untreated`
    (the manager confirmed the warning), else it is refused with their counts.
    """
    campaign = _locked(campaign)
    if campaign.status != Status.COUNTING:
        raise ValidationError(_("Only a campaign in counting can be closed."))
    missing, unknown = untreated(campaign)
    if (missing or unknown) and not accept_untreated:
        raise ValidationError(
            _("The campaign was not closed: %(untreated)s. Confirm to close it all the same.")
            % {"untreated": untreated_message(missing, unknown)}
        )
    missing = _mark_pending_missing(campaign)
    campaign.status = Status.CLOSED
    campaign.closed_at = timezone.now()
    save_object(campaign, user=user)
    return missing


def _check_reconcilable(campaign):
    if campaign.status == Status.DRAFT:
        raise ValidationError(_("The count of this campaign has not started."))


# Reconciliation ----------------------------------------------------------------------------
def pending_moves(campaign):
    """Items found elsewhere whose asset has not yet been moved to where it was found."""
    return CampaignItem.objects.filter(
        campaign=campaign,
        result=Result.FOUND_ELSEWHERE,
        move_applied=False,
        found_room__isnull=False,
    )


@transaction.atomic
def apply_moves(campaign, user):
    """Move every asset found elsewhere to the room where it was found, journalled.

    Each move is an `AssetMovement` carrying the campaign. An item already applied is left
    alone, so a second click changes nothing. Returns the number of assets moved.
    """
    campaign = _locked(campaign)
    _check_reconcilable(campaign)
    items = list(
        pending_moves(campaign).select_for_update(of=("self",)).select_related("found_room")
    )
    assets = Asset.objects.select_for_update().in_bulk([item.asset_id for item in items])
    reason = _("Inventory campaign « %(campaign)s »") % {"campaign": campaign}
    moved = 0
    for item in items:
        asset = assets[item.asset_id]
        if asset.status != Asset.Status.DISPOSED and asset.room_id != item.found_room_id:
            asset.room = item.found_room
            # The asset's after-save hook journals the movement, with the campaign as reason.
            save_system_change(
                asset, ["room"], user=user, context={"reason": reason, "campaign": campaign}
            )
            moved += 1
        item.move_applied = True
        item.save(update_fields=["move_applied"])
    return moved


def missing_items(campaign):
    """Items marked missing whose asset has no disposal yet."""
    return CampaignItem.objects.filter(
        campaign=campaign, result=Result.MISSING, asset__disposal__isnull=True
    ).exclude(asset__status=Asset.Status.DISPOSED)


@transaction.atomic
def send_missing_to_disposal(campaign, user, item_ids=None):
    """Declare missing assets lost and propose their disposal for loss.

    `item_ids` limits the action to some missing items; None takes them all. Both writes go
    through `save_object`, so the history and the disposal's hooks run. Returns the count.
    """
    campaign = _locked(campaign)
    _check_reconcilable(campaign)
    items = missing_items(campaign)
    if item_ids is not None:
        items = items.filter(pk__in=item_ids)
    asset_ids = list(items.values_list("asset_id", flat=True))
    note = _("Not found by the inventory campaign « %(campaign)s ».") % {"campaign": campaign}
    count = 0
    for asset in Asset.objects.select_for_update().filter(pk__in=asset_ids).order_by("pk"):
        if asset.status != Asset.Status.LOST:
            asset.status = Asset.Status.LOST
            save_object(asset, user=user)
        disposal = Disposal(
            asset=asset,
            reason=Disposal.Reason.LOSS,
            state=Disposal.State.PROPOSED,
            campaign=campaign,
            notes=note,
        )
        save_object(disposal, user=user)
        count += 1
    return count


@transaction.atomic
def resolve_scan(campaign, scan_id, user):
    """Mark an unknown code or an item without label as dealt with by the manager."""
    _check_reconcilable(campaign)
    scan = (
        CampaignScan.objects.select_for_update()
        .filter(campaign=campaign, pk=scan_id)
        .exclude(kind=CampaignScan.Kind.ASSET)
        .first()
    )
    if scan is None:
        raise ValidationError(_("This entry is not an unknown item of the campaign."))
    if not scan.resolved:
        scan.resolved = True
        scan.save(update_fields=["resolved"])
    return scan


@transaction.atomic
def record_scan_as_asset(campaign, scan_id, asset, user):
    """An unknown entry became an asset of the register: link the entry to it, mark it dealt
    with, and count the new asset as found, unexpected, in the entry's room."""
    _check_reconcilable(campaign)
    scan = (
        CampaignScan.objects.select_for_update()
        .filter(campaign=campaign, pk=scan_id, asset__isnull=True, resolved=False)
        .exclude(kind=CampaignScan.Kind.ASSET)
        .first()
    )
    if scan is None:
        raise ValidationError(_("This entry was already dealt with."))
    scan.asset, scan.resolved = asset, True
    scan.save(update_fields=["asset", "resolved"])
    CampaignItem.objects.get_or_create(
        campaign=campaign,
        asset=asset,
        defaults={
            "is_expected": False,
            "result": Result.FOUND,
            "found_room_id": scan.room_id,
            "counted_at": scan.scanned_at,
            "counted_by_id": scan.scanned_by_id,
        },
    )
    return scan


def asset_values_from_scan(scan, campaign):
    """The asset form's first values from an unknown entry: label, room, holding service,
    serial number (the code read) and a note of where it comes from."""
    values = {
        "label": (scan.description or scan.code)[:200],
        "room": scan.room_id,
        "notes": _("Found by the inventory campaign « %(campaign)s » in room %(room)s.")
        % {"campaign": campaign, "room": scan.room.code},
    }
    if scan.room.occupying_unit_id:
        values["holder_unit"] = scan.room.occupying_unit_id
    if scan.kind == CampaignScan.Kind.UNKNOWN_CODE and scan.code:
        values["serial_number"] = scan.code[:100]
    return values
