"""The IT park's heavy pages, for `manage.py bench` (beside the generic ones).

The device list of the busiest building, the page of the fullest prefix, the licence compliance
and the telecom costs. A page that does not answer with its content (a view not installed
yet, a refusal) is left out rather than failing the bench.
"""

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from dpti.itpark.models import Device, IpAddress, Licence, Prefix, TelecomLine


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


def _url(name, params):
    if isinstance(params, list):
        return reverse(name, args=params)
    return reverse(name) + ("?" + urlencode(params) if params else "")


def pages(client):
    """[(label, url, row count)] of the pages that answer; each is tried once first."""
    found = []
    for label, name, params, count in candidates():
        try:
            url = _url(name, params)
        except NoReverseMatch:
            continue
        if client.get(url).status_code == 200:
            found.append((label, url, count))
    return found
