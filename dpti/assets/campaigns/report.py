"""The campaign report: a PDF (summary, then the lists by room) and an XLSX workbook."""

from itertools import groupby

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dpti.assets.campaigns import progress
from dpti.assets.models import CampaignItem, CampaignScan


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _room(room):
    return str(room) if room else ""


def summary_rows(campaign, totals):
    """(label, value) lines of the summary, shared by the PDF and the workbook."""
    return [
        (_("Expected items"), totals["expected"]),
        (_("Found in place"), totals["found"]),
        (_("Found in another room"), totals["found_elsewhere"]),
        (_("Not yet counted"), totals["pending"]),
        (_("Missing"), totals["missing"]),
        (_("Found but not expected"), totals["not_expected"]),
        (_("Unknown codes and items without label"), totals["unknown"]),
        (_("Moves applied to the register"), totals["moves_applied"]),
        (_("Disposals proposed"), totals["sent_to_disposal"]),
        (_("Entries recorded"), totals["scans"]),
    ]


def _items(campaign):
    return (
        CampaignItem.objects.filter(campaign=campaign)
        .select_related("asset", "asset__category", "expected_room", "found_room", "counted_by")
        .order_by("expected_room__code", "asset__inventory_number")
    )


def _scans(campaign):
    return (
        CampaignScan.objects.filter(campaign=campaign)
        .exclude(kind=CampaignScan.Kind.ASSET)
        .select_related("room", "asset", "scanned_by")
        .order_by("room__code", "scanned_at")
    )


def pdf_context(campaign):
    """What the PDF template needs: totals, expected items grouped by room, the rest."""
    totals = progress.summary(campaign)
    items = list(_items(campaign))
    expected = [item for item in items if item.is_expected]
    by_room = [
        {"room": room, "items": list(group)}
        for room, group in groupby(expected, key=lambda item: item.expected_room)
    ]
    return {
        "campaign": campaign,
        "summary": summary_rows(campaign, totals),
        "totals": totals,
        "by_room": by_room,
        "not_expected": [item for item in items if not item.is_expected],
        "moved": [item for item in items if item.result == CampaignItem.Result.FOUND_ELSEWHERE],
        "unknown": list(_scans(campaign)),
    }


def workbook_sheets(campaign):
    """The sheets of the XLSX report: summary, expected items, moves, unknown."""
    totals = progress.summary(campaign)
    items = list(_items(campaign))
    summary = [
        (_("Campaign"), str(campaign)),
        (_("Status"), campaign.get_status_display()),
        (_("Counting started at"), _local(campaign.started_at) or ""),
        (_("Closed at"), _local(campaign.closed_at) or ""),
        *summary_rows(campaign, totals),
    ]
    expected_rows = [
        [
            item.asset.inventory_number,
            item.asset.label,
            str(item.asset.category),
            _room(item.expected_room),
            _("yes") if item.is_expected else _("no"),
            item.get_result_display(),
            _room(item.found_room),
            _local(item.counted_at) or "",
            str(item.counted_by or ""),
            item.asset.value,
        ]
        for item in items
    ]
    move_rows = [
        [
            item.asset.inventory_number,
            item.asset.label,
            _room(item.expected_room),
            _room(item.found_room),
            _("yes") if item.move_applied else _("no"),
        ]
        for item in items
        if item.result == CampaignItem.Result.FOUND_ELSEWHERE
    ]
    unknown_rows = [
        [
            _local(scan.scanned_at),
            _room(scan.room),
            scan.get_kind_display(),
            scan.code,
            str(scan.asset or ""),
            scan.description,
            str(scan.scanned_by or ""),
            _("yes") if scan.resolved else _("no"),
        ]
        for scan in _scans(campaign)
    ]
    return [
        (_("Summary"), [(_("Item"), _("Value")), *summary]),
        (
            _("Expected items"),
            [
                (
                    _("Inventory number"),
                    _("Asset label"),
                    _("Category"),
                    _("Expected room"),
                    _("Expected"),
                    _("Result"),
                    _("Room where found"),
                    _("Counted at"),
                    _("Counted by"),
                    _("Value (XPF)"),
                ),
                *expected_rows,
            ],
        ),
        (
            _("Moves"),
            [
                (
                    _("Inventory number"),
                    _("Asset label"),
                    _("Expected room"),
                    _("Room where found"),
                    _("Move applied"),
                ),
                *move_rows,
            ],
        ),
        (
            _("Unknown"),
            [
                (
                    _("Scanned at"),
                    _("Room"),
                    _("Kind"),
                    _("Code read"),
                    _("Disposed asset"),
                    _("Description"),
                    _("Scanned by"),
                    _("Resolved"),
                ),
                *unknown_rows,
            ],
        ),
    ]


def report_filename(campaign, extension):
    """<campaign name>-<date>.<ext>, the name of the downloaded report."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"{slugify(str(campaign))[:60] or 'campagne'}-{stamp}.{extension}"
