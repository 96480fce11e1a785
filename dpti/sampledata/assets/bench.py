"""The assets module's own heavy pages, for `manage.py bench` (beside the generic ones).

The fixed-asset register of last year, the asset list of the busiest building, a sheet of 500
labels and the page of the asset with the longest history. A page that does not answer with
its content (a view not installed yet, a refusal) is left out rather than failing the bench.
"""

from django.db.models import Count
from django.utils import timezone

from dpti.assets.models import Asset
from dpti.sampledata.scale import answering_pages, page_url

LABEL_COUNT = 500


def _label_format():
    try:
        from dpti.assets.labels import DEFAULT_FORMAT
    except ImportError:  # the labels module is optional for the bench
        return "70x37"
    return DEFAULT_FORMAT


def candidates():
    """(label, url name, query string or args, row count) of the pages worth measuring."""
    today = timezone.localdate()
    year = today.year - 1
    pages = [
        (
            f"état de l'actif {year}",
            "assets:register",
            {"year": year},
            Asset.objects.filter(acquisition_date__year__lte=year).count(),
        )
    ]
    busiest = (
        Asset.objects.exclude(room=None)
        .values("room__floor__building")
        .annotate(n=Count("pk"))
        .order_by("-n", "room__floor__building")
        .first()
    )
    if busiest:
        pages.append(
            (
                "biens liste filtrée par bâtiment",
                "assets:asset_list",
                {"room__floor__building": busiest["room__floor__building"]},
                busiest["n"],
            )
        )
    pks = list(
        Asset.objects.order_by("inventory_number").values_list("pk", flat=True)[:LABEL_COUNT]
    )
    if pks:
        query = [("format", _label_format()), ("start", 1), *(("pk", pk) for pk in pks)]
        pages.append((f"étiquettes PDF ({len(pks)})", "assets:labels", query, len(pks)))
    longest = (
        Asset.objects.annotate(n=Count("movements")).order_by("-n", "pk").values("pk", "n").first()
    )
    if longest:
        pages.append(
            ("bien fiche (historique le plus long)", "assets:asset_detail", [longest["pk"]], 1)
        )
    return pages


def _probe(name, params):
    """Without the sheet format the labels page answers with its options, fast: rendering the
    PDF is left to the measure."""
    if name == "assets:labels":
        return page_url(name, [(key, value) for key, value in params if key != "format"])
    return page_url(name, params)


def pages(client):
    """[(label, url, row count)] of the pages that answer; each is tried once first."""
    return answering_pages(client, candidates(), probe=_probe)
