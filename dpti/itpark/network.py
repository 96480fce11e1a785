"""Network addressing services: prefix utilisation, free addresses, the prefix card, links.

Addresses and prefixes carry sort keys (see `dpti.itpark.addressing`): « the addresses of a
prefix » is a range of keys in one routing context, an indexed comparison on both databases.
"""

from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Case, F, Func, IntegerField, OuterRef, Subquery, When
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext

from dpti.core.permissions import has_model_permission, restrict
from dpti.itpark.addressing import key_value, value_key
from dpti.itpark.models import Interface, IpAddress, Prefix

# The prefix card lists at most this many addresses and child prefixes; beyond, a link.
PANEL_ADDRESSES = 256
PANEL_CHILDREN = 50
# Above this size, a prefix's size is written as a power of two (an IPv6 /64 has 2^64).
PLAIN_SIZE_LIMIT = 2**32


# Routing context --------------------------------------------------------------------------
def in_context(queryset, vrf_id):
    """Rows of the same routing context: the VRF, or the global table when `vrf_id` is None."""
    return queryset.filter(vrf__isnull=True) if vrf_id is None else queryset.filter(vrf_id=vrf_id)


def addresses_in(prefix):
    """The IP addresses recorded inside a prefix, in its routing context, in address order."""
    return in_context(
        IpAddress.objects.filter(
            family=prefix.family, key__gte=prefix.first_key, key__lte=prefix.last_key
        ),
        prefix.vrf_id,
    ).order_by("key")


# Utilisation ------------------------------------------------------------------------------
def _count(queryset):
    """A one-value subquery: COUNT(*) of the rows (no GROUP BY, one row even when none)."""
    return Subquery(
        queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def with_utilisation(queryset):
    """Annotate each prefix with `address_count`, the addresses it holds in its context.

    One correlated subquery per context kind (a VRF, or the global table where NULL never
    equals NULL), so a list page stays one query whatever its number of prefixes.
    """
    in_range = IpAddress.objects.filter(
        family=OuterRef("family"),
        key__gte=OuterRef("first_key"),
        key__lte=OuterRef("last_key"),
    )
    return queryset.annotate(
        address_count=Case(
            When(vrf__isnull=True, then=_count(in_range.filter(vrf__isnull=True))),
            default=_count(in_range.filter(vrf=OuterRef("vrf"))),
            output_field=IntegerField(),
        )
    )


def usable_size(network):
    """Addresses a host may take: all of them for IPv6 and /31 and /32, else minus two."""
    if network.version == 4 and network.prefixlen <= 30:
        return network.num_addresses - 2
    return network.num_addresses


def address_count(prefix):
    """The annotated count, or one query when the prefix was loaded without it."""
    count = getattr(prefix, "address_count", None)
    return addresses_in(prefix).count() if count is None else count


def utilisation(prefix):
    """{'count', 'size', 'size_text', 'percent', 'colour'} of a prefix."""
    network = prefix.network
    count, size = address_count(prefix), usable_size(network)
    percent = min(100, round(100 * count / size)) if size else 100
    percent_text = "< 1" if count and not percent else str(percent)
    if size > PLAIN_SIZE_LIMIT:
        size_text = f"2^{network.max_prefixlen - network.prefixlen}"
    else:
        size_text = number_format(size, force_grouping=True)
    colour = "green" if percent < 70 else "orange" if percent < 90 else "red"
    return {
        "count": count,
        "count_text": number_format(count, force_grouping=True),
        "size": size,
        "size_text": size_text,
        "percent": percent,
        "percent_text": percent_text,
        "colour": colour,
    }


def utilisation_display(prefix):
    """« 37 / 254 (15 %) » over a small progress bar coloured by how full the prefix is."""
    usage = utilisation(prefix)
    return format_html(
        '<div class="text-nowrap small" data-utilisation="{}">{} / {} ({} %)</div>'
        '<div class="progress progress-sm" style="min-width: 6rem">'
        '<div class="progress-bar bg-{}" style="width: {}%" role="progressbar" '
        'aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100" aria-label="{}"></div></div>',
        usage["count"],
        usage["count_text"],
        usage["size_text"],
        usage["percent_text"],
        usage["colour"],
        usage["percent"],
        usage["percent"],
        gettext("%(percent)s %% used") % {"percent": usage["percent_text"]},
    )


# Free addresses ---------------------------------------------------------------------------
def host_range(network):
    """(first, last) integer values a host may take in a network.

    IPv4 up to /30 loses its network and broadcast addresses; an IPv6 network shorter than
    /127 loses its first address, the subnet-router anycast address (RFC 4291).
    """
    first, last = int(network.network_address), int(network.broadcast_address)
    if network.version == 4 and network.prefixlen <= 30:
        return first + 1, last - 1
    if network.version == 6 and network.prefixlen < 127:
        return first + 1, last
    return first, last


def free_addresses(prefix, limit=10):
    """The first `limit` host addresses of the prefix not recorded in its routing context.

    Walks the taken keys in order and fills the gaps, so an IPv6 /64 costs one short query,
    not 2^64 tests. Every recorded address is taken, whatever its status (reserved, DHCP…).
    """
    network = prefix.network
    first, last = host_range(network)
    family = network.version
    taken = (
        addresses_in(prefix)
        .filter(key__gte=value_key(family, first), key__lte=value_key(family, last))
        .values_list("key", flat=True)
    )
    found, candidate = [], first
    for key in taken.iterator(chunk_size=512):
        value = key_value(key)
        while candidate < value and len(found) < limit:
            found.append(candidate)
            candidate += 1
        if len(found) >= limit:
            break
        candidate = max(candidate, value + 1)
    while candidate <= last and len(found) < limit:
        found.append(candidate)
        candidate += 1
    return [str(network.network_address.__class__(value)) for value in found]


def next_free_address(prefix):
    """The first free host address of the prefix, or None when it is full."""
    free = free_addresses(prefix, limit=1)
    return free[0] if free else None


# Prefix card ------------------------------------------------------------------------------
def child_prefixes(prefix):
    """Prefixes inside this one, in the same routing context, in address order."""
    return in_context(
        Prefix.objects.filter(
            family=prefix.family, first_key__gte=prefix.first_key, last_key__lte=prefix.last_key
        ).exclude(pk=prefix.pk),
        prefix.vrf_id,
    ).order_by("first_key", "last_key")


def parent_prefix_queryset(prefix):
    """Prefixes containing this one in its context, the smallest first."""
    return in_context(
        Prefix.objects.filter(
            family=prefix.family, first_key__lte=prefix.first_key, last_key__gte=prefix.last_key
        ).exclude(pk=prefix.pk),
        prefix.vrf_id,
    ).order_by("-first_key", "last_key")


def address_list_url(prefix):
    """The IP address list narrowed to the prefix as far as its filters allow.

    The list has no « inside this prefix » filter: it is searched on the prefix's leading
    octets (IPv4) or its text up to the last ':' group (IPv6) and filtered on the VRF.
    """
    network = prefix.network
    if network.version == 4:
        octets = str(network.network_address).split(".")[: max(1, network.prefixlen // 8)]
        search = ".".join(octets) + "."
    else:
        search = str(network.network_address).rstrip(":")
    params = {"q": search, "family": network.version}
    if prefix.vrf_id:
        params["vrf"] = prefix.vrf_id
    return f"{reverse('itpark:ipaddress_list')}?{urlencode(params)}"


def prefix_panel(prefix, request):
    """The « Addressing » card of a prefix: utilisation, next free address, family, addresses."""
    user = request.user
    next_free = next_free_address(prefix)
    assign_url = None
    if next_free and has_model_permission(user, IpAddress, "add"):
        params = {"address": next_free}
        if prefix.vrf_id:
            params["vrf"] = prefix.vrf_id
        assign_url = f"{reverse('itpark:ipaddress_add')}?{urlencode(params)}"
    addresses = restrict(addresses_in(prefix), user).select_related("device", "interface")
    visible = list(addresses[: PANEL_ADDRESSES + 1])
    children = list(
        with_utilisation(restrict(child_prefixes(prefix), user).select_related("vlan"))[
            : PANEL_CHILDREN + 1
        ]
    )
    return {
        "title": gettext("Addressing"),
        "id": "addressing",
        "template": "itpark/panels/prefix.html",
        "context": {
            "prefix": prefix,
            "usage": utilisation(prefix),
            "next_free": next_free,
            "assign_url": assign_url,
            "parent": restrict(parent_prefix_queryset(prefix), user).first(),
            "children": [
                {"prefix": child, "utilisation": utilisation_display(child)}
                for child in children[:PANEL_CHILDREN]
            ],
            "more_children": len(children) > PANEL_CHILDREN,
            "addresses": visible[:PANEL_ADDRESSES],
            "more_addresses": len(visible) > PANEL_ADDRESSES,
            "address_limit": PANEL_ADDRESSES,
            "list_url": address_list_url(prefix),
        },
    }


# Links --------------------------------------------------------------------------------------
def sync_link(interface, previous, user):
    """Keep links symmetric after an interface is saved (A.link = B makes B.link = A).

    The former peers of both ends are unlinked; clearing A's link clears its peer's. Plain
    `.update()` calls (no save, so no hook runs again), each bumping the version so an editor
    holding a stale form of a peer is told it changed; all in the caller's transaction.
    """
    peer_id = interface.link_id
    if peer_id is None and (previous is None or previous.link_id is None):
        return  # never linked: nothing to undo
    bump = {"version": F("version") + 1}
    with transaction.atomic():
        # Whoever pointed at this interface, except its new peer, loses the link.
        Interface.objects.filter(link_id=interface.pk).exclude(pk=peer_id).update(link=None, **bump)
        if peer_id is None:
            return
        # Whoever pointed at the new peer, except this interface, loses it too.
        Interface.objects.filter(link_id=peer_id).exclude(pk=interface.pk).update(link=None, **bump)
        Interface.objects.filter(pk=peer_id).exclude(link_id=interface.pk).update(
            link_id=interface.pk, **bump
        )
