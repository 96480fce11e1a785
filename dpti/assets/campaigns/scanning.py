"""Counting on site: one scan or typed entry becomes a `CampaignScan` and updates the item.

Several agents count at once on a flaky network, so the write is built to be repeated and
raced: the page gives every entry a `client_id` (a retry returns the first answer and records
nothing), scans are plain inserts, and the item's result is updated under a row lock.
"""

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dpti.assets.models import Asset, CampaignItem, CampaignScan, InventoryCampaign

Result = CampaignItem.Result
Kind = CampaignScan.Kind
# The path a label's QR code carries (see labels.label_url_for), at the end of the URL.
LABEL_PATH = re.compile(r"/scan/([^/]+)/?$")
CODE_MAX = CampaignScan._meta.get_field("code").max_length
DESCRIPTION_MAX = CampaignScan._meta.get_field("description").max_length


def parse_code(text):
    """The inventory number in a scanned or typed entry: a label's URL or the bare number."""
    text = (text or "").strip()
    if "://" in text or text.startswith("/"):
        match = LABEL_PATH.search(urlsplit(text).path)
        if match:
            return unquote(match.group(1)).strip()
    return text


@dataclass
class ScanOutcome:
    """What the agent is told after an entry, and what was recorded."""

    result: str  # found, already, found_elsewhere, not_expected, unknown, disposed, new_item
    level: str  # success, warning, danger, info: the colour of the feedback line
    message: str
    scan: CampaignScan
    item: CampaignItem | None = None
    duplicate: bool = False

    def as_json(self):
        asset = self.scan.asset
        return {
            "client_id": str(self.scan.client_id),
            "result": self.result,
            "level": self.level,
            "message": self.message,
            "duplicate": self.duplicate,
            "asset": asset.inventory_number if asset else None,
            "room": self.scan.room_id,
        }


def _find_asset(code):
    """The asset whose number is the code, typed in any case (phones lower-case entries)."""
    candidates = list(
        Asset.objects.select_related("room").filter(
            Q(inventory_number=code) | Q(inventory_number__iexact=code)
        )[:5]
    )
    exact = [asset for asset in candidates if asset.inventory_number == code]
    return (exact or candidates or [None])[0]


def _outcome(scan, item, *, already=False, duplicate=False):
    """The feedback of a recorded scan, computed the same way for a first send and a retry."""
    asset = scan.asset
    if scan.kind == Kind.NEW_ITEM:
        message = _("Item without label recorded: %(description)s.") % {
            "description": scan.description
        }
        return ScanOutcome("new_item", "info", message, scan, None, duplicate)
    if scan.kind == Kind.UNKNOWN_CODE:
        if asset is not None:
            message = _("%(asset)s was disposed of: kept for the reconciliation.") % {
                "asset": asset
            }
            return ScanOutcome("disposed", "danger", message, scan, None, duplicate)
        message = _("Unknown code « %(code)s »: kept for the reconciliation.") % {"code": scan.code}
        return ScanOutcome("unknown", "danger", message, scan, None, duplicate)
    if not item.is_expected:
        where = item.expected_room
        if where is None:
            message = _("Not on the expected list: %(asset)s, recorded as found here.") % {
                "asset": asset
            }
        else:
            message = _(
                "Not on the expected list: %(asset)s (registered in %(room)s), "
                "recorded as found here."
            ) % {"asset": asset, "room": where}
        return ScanOutcome("not_expected", "warning", message, scan, item, duplicate)
    if item.expected_room_id != scan.room_id:
        message = _("Found elsewhere: %(asset)s is expected in room %(room)s.") % {
            "asset": asset,
            "room": item.expected_room,
        }
        return ScanOutcome("found_elsewhere", "warning", message, scan, item, duplicate)
    if already:
        message = _("Already counted here: %(asset)s.") % {"asset": asset}
        return ScanOutcome("already", "success", message, scan, item, duplicate)
    message = _("Found: %(asset)s.") % {"asset": asset}
    return ScanOutcome("found", "success", message, scan, item, duplicate)


def _replay(scan):
    """The answer to a retry of an entry already recorded."""
    item = None
    if scan.kind == Kind.ASSET:
        item = (
            CampaignItem.objects.select_related("expected_room")
            .filter(campaign_id=scan.campaign_id, asset_id=scan.asset_id)
            .first()
        )
    return _outcome(scan, item, duplicate=True)


def _count_item(campaign, asset, room, user):
    """Set the item's result under a row lock; create it for an asset not expected.

    Returns (item, already) where `already` says the asset was counted in this room before.
    """
    now = timezone.now()
    counter = user if user.is_authenticated else None
    item = (
        CampaignItem.objects.select_for_update(of=("self",))
        .select_related("expected_room")
        .filter(campaign=campaign, asset=asset)
        .first()
    )
    if item is None:
        # get_or_create re-reads the row when another agent inserted it first.
        item, created = CampaignItem.objects.get_or_create(
            campaign=campaign,
            asset=asset,
            defaults={
                "expected_room": asset.room,
                "is_expected": False,
                "result": Result.FOUND if asset.room_id == room.pk else Result.FOUND_ELSEWHERE,
                "found_room": room,
                "counted_at": now,
                "counted_by": counter,
            },
        )
        if created:
            return item, False
        item = (
            CampaignItem.objects.select_for_update(of=("self",))
            .select_related("expected_room")
            .get(pk=item.pk)
        )
    counted = item.result in (Result.FOUND, Result.FOUND_ELSEWHERE)
    if counted and item.found_room_id == room.pk:
        return item, True
    # The latest place wins: an item carried to another room during the count is where it
    # was seen last.
    item.result = Result.FOUND if item.expected_room_id == room.pk else Result.FOUND_ELSEWHERE
    item.found_room = room
    item.counted_at = now
    item.counted_by = counter
    item.save(update_fields=["result", "found_room", "counted_at", "counted_by"])
    return item, False


def record_scan(campaign, *, room, client_id, user, code="", description=""):
    """Record one entry of an agent in a room and return the feedback (`ScanOutcome`).

    `code` is what was scanned or typed (a label's URL or an inventory number); a
    `description` without code records an item found without label.
    """
    existing = CampaignScan.objects.select_related("asset").filter(client_id=client_id).first()
    if existing is not None:
        if existing.campaign_id != campaign.pk:
            raise ValidationError(_("This entry belongs to another campaign."))
        return _replay(existing)
    if campaign.status != InventoryCampaign.Status.COUNTING:
        raise ValidationError(_("This campaign is not counting."))
    code = parse_code(code)[:CODE_MAX]
    description = (description or "").strip()[:DESCRIPTION_MAX]
    if not code and not description:
        raise ValidationError(_("Scan or type an inventory number."))
    scan = CampaignScan(
        campaign=campaign,
        room=room,
        code=code,
        description=description,
        client_id=client_id,
        scanned_by=user if user.is_authenticated else None,
    )
    asset = _find_asset(code) if code else None
    if asset is None:
        scan.kind = Kind.NEW_ITEM if description and not code else Kind.UNKNOWN_CODE
    elif asset.status == Asset.Status.DISPOSED:
        scan.kind, scan.asset = Kind.UNKNOWN_CODE, asset
    else:
        scan.kind, scan.asset = Kind.ASSET, asset
    with transaction.atomic():
        try:
            with transaction.atomic():
                scan.save()
        except IntegrityError:
            # The same entry, sent twice at once, was recorded by the other request.
            existing = CampaignScan.objects.select_related("asset").get(client_id=client_id)
            return _replay(existing)
        if scan.kind != Kind.ASSET:
            return _outcome(scan, None)
        item, already = _count_item(campaign, asset, room, user)
        return _outcome(scan, item, already=already)


def counting_page_texts():
    """Messages of the counting page's script, in the user's language."""
    return {
        "chooseRoom": _("Choose the room first."),
        "roomChosen": _("Room %(room)s: scan its labels."),
        "unknownRoom": _("No room of this campaign has the code « %(code)s »."),
        "queued": _(
            "No network: the entry is kept on this device and will be sent as soon as the "
            "network is back."
        ),
        "waitingOne": _("1 entry waiting for the network."),
        "waitingMany": _("%(count)s entries waiting for the network."),
        "session": _(
            "Your session has expired or changed: sign in again, then reload this page; "
            "the entries are kept on this device."
        ),
        "refused": _("Entry refused."),
        "noCamera": _(
            "The camera cannot be used here (the browser refuses it or the site is not in "
            "HTTPS): type the number instead."
        ),
        "cameraDenied": _("The camera was refused or is busy: type the number instead."),
    }
