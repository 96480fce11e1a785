"""What a campaign has counted so far: per room, in total, and the lists to reconcile.

Every function reads a fixed number of queries, whatever the number of items.
"""

from django.db.models import Count, Q

from dpti.assets.models import Asset, CampaignItem, CampaignScan

Result = CampaignItem.Result
COUNTED = (Result.FOUND, Result.FOUND_ELSEWHERE)


def summary(campaign):
    """Totals of the campaign: expected, found in place, elsewhere, missing, unknown…"""
    items = CampaignItem.objects.filter(campaign=campaign).aggregate(
        expected=Count("pk", filter=Q(is_expected=True)),
        found=Count("pk", filter=Q(is_expected=True, result=Result.FOUND)),
        found_elsewhere=Count("pk", filter=Q(is_expected=True, result=Result.FOUND_ELSEWHERE)),
        pending=Count("pk", filter=Q(result=Result.PENDING)),
        missing=Count("pk", filter=Q(result=Result.MISSING)),
        not_expected=Count("pk", filter=Q(is_expected=False)),
        moved=Count("pk", filter=Q(result=Result.FOUND_ELSEWHERE)),
        moves_to_apply=Count("pk", filter=Q(result=Result.FOUND_ELSEWHERE, move_applied=False)),
        moves_applied=Count("pk", filter=Q(move_applied=True)),
        sent_to_disposal=Count(
            "pk", filter=Q(result=Result.MISSING, asset__disposal__campaign=campaign)
        ),
    )
    scans = CampaignScan.objects.filter(campaign=campaign).aggregate(
        scans=Count("pk"),
        unknown=Count("pk", filter=~Q(kind=CampaignScan.Kind.ASSET)),
        unresolved=Count("pk", filter=~Q(kind=CampaignScan.Kind.ASSET) & Q(resolved=False)),
    )
    counted = items["found"] + items["found_elsewhere"]
    items["counted"] = counted
    items["percent"] = round(100 * counted / items["expected"]) if items["expected"] else 0
    return {**items, **scans}


def room_progress(campaign):
    """One row per room of the expected list: expected, counted, remaining, missing."""
    return list(
        CampaignItem.objects.filter(campaign=campaign, is_expected=True)
        .values("expected_room_id", "expected_room__code", "expected_room__name")
        .annotate(
            expected=Count("pk"),
            counted=Count("pk", filter=Q(result__in=COUNTED)),
            remaining=Count("pk", filter=Q(result=Result.PENDING)),
            missing=Count("pk", filter=Q(result=Result.MISSING)),
        )
        .order_by("expected_room__code")
    )


def room_items(campaign, room):
    """The counting list of a room: the items expected there, then those found there."""
    items = list(
        CampaignItem.objects.filter(campaign=campaign)
        .filter(Q(expected_room=room) | Q(found_room=room))
        .select_related("asset", "expected_room", "found_room")
        .order_by("asset__inventory_number")
    )
    expected = [item for item in items if item.is_expected and item.expected_room_id == room.pk]
    expected_ids = {item.pk for item in expected}
    found_here = [i for i in items if i.pk not in expected_ids and i.found_room_id == room.pk]
    unknown = list(
        CampaignScan.objects.filter(campaign=campaign, room=room)
        .exclude(kind=CampaignScan.Kind.ASSET)
        .select_related("asset")
        .order_by("-scanned_at", "-pk")[:50]
    )
    counted = sum(1 for item in expected if item.result in COUNTED)
    return {
        "expected": expected,
        "found_here": found_here,
        "unknown": unknown,
        "counted": counted,
        "total": len(expected),
    }


def reconciliation(campaign):
    """The three lists of the reconciliation: missing, moved, unknown."""
    related = ("asset", "asset__category", "expected_room", "found_room", "counted_by")
    missing = list(
        CampaignItem.objects.filter(campaign=campaign, result=Result.MISSING)
        .select_related(*related, "asset__disposal")
        .order_by("expected_room__code", "asset__inventory_number")
    )
    for item in missing:
        item.disposal = getattr(item.asset, "disposal", None)
        item.can_dispose = item.disposal is None and item.asset.status != Asset.Status.DISPOSED
    moved = list(
        CampaignItem.objects.filter(campaign=campaign, result=Result.FOUND_ELSEWHERE)
        .select_related(*related)
        .order_by("move_applied", "found_room__code", "asset__inventory_number")
    )
    unknown = list(
        CampaignScan.objects.filter(campaign=campaign)
        .exclude(kind=CampaignScan.Kind.ASSET)
        .select_related("room", "asset", "scanned_by")
        .order_by("resolved", "room__code", "-scanned_at")
    )
    return {"missing": missing, "moved": moved, "unknown": unknown}
