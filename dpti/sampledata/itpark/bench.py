"""The IT park's heavy pages, for `manage.py bench` (beside the generic ones).

The device list of the busiest building, the page of the fullest prefix, the licence compliance
and the telecom costs. A page that does not answer with its content (a view not installed
yet, a refusal) is left out rather than failing the bench.
"""

from django.db.models import Count

from dpti.itpark.models import Device, IpAddress, Licence, Prefix, TelecomLine
from dpti.sampledata.scale import answering_pages


def busiest_prefix():
    """The prefix holding the most addresses: (prefix, count), found by key ranges."""
    best = (None, 0)
    for prefix in Prefix.objects.order_by("pk")[:200]:  # enough to find a full one
        count = IpAddress.objects.filter(
            vrf=prefix.vrf_id, key__gte=prefix.first_key, key__lte=prefix.last_key
        ).count()
        if count > best[1]:
            best = (prefix, count)
    return best


def candidates():
    """(label, url name, query or args, row count) of the pages worth measuring."""
    pages = []
    building = "asset__room__floor__building"
    busiest = (
        Device.objects.exclude(**{building: None})
        .values(building)
        .annotate(n=Count("pk"))
        .order_by("-n", building)
        .first()
    )
    if busiest:
        pages.append(
            (
                "équipements liste filtrée par bâtiment",
                "itpark:device_list",
                {building: busiest[building]},
                busiest["n"],
            )
        )
    prefix, count = busiest_prefix()
    if prefix:
        pages.append(("préfixe fiche (le plus rempli)", "itpark:prefix_detail", [prefix.pk], count))
    pages.append(
        ("conformité des licences", "itpark:licence_compliance", {}, Licence.objects.count())
    )
    pages.append(("coûts télécoms", "itpark:telecom_costs", {}, TelecomLine.objects.count()))
    return pages


def pages(client):
    """[(label, url, row count)] of the pages that answer; each is tried once first."""
    return answering_pages(client, candidates())
