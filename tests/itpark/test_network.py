"""Network addressing: IP validation and uniqueness, prefix utilisation, free addresses,
the prefix page and the symmetric links between interfaces."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from dpti.core import roles
from dpti.core.api.serializers import api_url_name
from dpti.core.models import ImportJob
from dpti.core.registry import registry
from dpti.core.services import save_object
from dpti.itpark import network
from dpti.itpark.models import Interface, IpAddress, Prefix
from tests.factories import (
    DeviceFactory,
    InterfaceFactory,
    IpAddressFactory,
    PrefixFactory,
    VrfFactory,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"


def fr(message, **values):
    """The French text of a source message, formatted."""
    with translation.override("fr"):
        text = gettext(message)
    return text % values if values else text


def ip(address, vrf=None, **kwargs):
    return IpAddressFactory(address=address, vrf=vrf, **kwargs)


def prefix(text, vrf=None, **kwargs):
    return PrefixFactory(prefix=text, vrf=vrf, **kwargs)


@pytest.fixture
def it(client_for):
    """A client signed in as the IT manager (may add addresses and prefixes)."""
    return client_for(roles.IT_MANAGER)


def api_list(model):
    return reverse(api_url_name(registry.get(model), "list"))


# Validation through the model ------------------------------------------------------------------


def test_address_is_normalised_and_keyed_on_validation():
    """`2001:DB8::1` is stored as `2001:db8::1`, family 6, with its sort key."""
    address = IpAddress(address=" 2001:DB8::1 ")
    address.full_clean()
    assert (address.address, address.family) == ("2001:db8::1", 6)
    assert address.key == "6:20010db8000000000000000000000001"


def test_prefix_is_normalised_with_its_key_range():
    """A prefix keeps its range of keys: first = network, last = broadcast."""
    network_ = Prefix(prefix="2001:DB8:0:1::/64")
    network_.full_clean()
    assert (network_.prefix, network_.family) == ("2001:db8:0:1::/64", 6)
    assert network_.first_key == "6:20010db8000000010000000000000000"
    assert network_.last_key == "6:20010db800000001ffffffffffffffff"


def test_same_address_twice_in_a_vrf_is_refused():
    """The unique constraint per routing context refuses a second 10.1.1.1 in the same VRF."""
    vrf = VrfFactory()
    ip("10.1.1.1", vrf)
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        IpAddress(address="10.1.1.1", vrf=vrf).full_clean()
    assert fr("This address is already assigned in this routing context.") in str(caught.value)


def test_same_address_twice_in_the_global_table_is_refused():
    """Two addresses without VRF share the global table: the second is refused."""
    ip("10.1.1.1")
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        IpAddress(address="10.1.1.1").full_clean()
    assert fr("This address is already assigned in the global table.") in str(caught.value)


def test_same_address_in_two_vrfs_or_a_vrf_and_the_global_table_is_allowed():
    """10.1.1.1 may exist once per routing context (two VRFs, and the global table)."""
    first, second = VrfFactory(), VrfFactory()
    ip("10.1.1.1", first)
    ip("10.1.1.1")
    other = IpAddress(address="10.1.1.1", vrf=second)
    other.full_clean()
    other.save()
    assert IpAddress.objects.filter(address="10.1.1.1").count() == 3


def test_same_address_written_differently_is_still_a_duplicate():
    """The key, not the text, is unique: 2001:DB8::0001 collides with 2001:db8::1."""
    ip("2001:db8::1")
    with pytest.raises(ValidationError):
        IpAddress(address="2001:DB8:0:0::0001").full_clean()


# Validation through the form and the API -------------------------------------------------------


def test_form_refuses_a_prefix_with_host_bits_and_suggests_the_network(it):
    """The add form answers 422 with the French message naming 10.20.1.0/24; nothing saved."""
    response = it.post(reverse("itpark:prefix_add"), {"prefix": "10.20.1.5/24"})
    assert response.status_code == 422
    message = fr(
        "« %(value)s » has host bits set: the network is %(network)s.",
        value="10.20.1.5/24",
        network="10.20.1.0/24",
    )
    assert escape(message) in response.content.decode()
    assert not Prefix.objects.exists()


def test_form_refuses_an_invalid_address_and_saves_nothing(it):
    """A malformed address is refused with the French example; no address is created."""
    response = it.post(
        reverse("itpark:ipaddress_add"), {"address": "10.20.1.300", "status": "active"}
    )
    assert response.status_code == 422
    message = fr(
        "« %(value)s » is not a valid IP address (e.g. 10.20.1.15 or 2001:db8::1).",
        value="10.20.1.300",
    )
    assert escape(message) in response.content.decode()
    assert not IpAddress.objects.exists()


def test_form_normalises_an_ipv6_address(it):
    """2001:DB8::0:1 typed in the form is stored as 2001:db8::1 with its key."""
    response = it.post(
        reverse("itpark:ipaddress_add"), {"address": "2001:DB8::0:1", "status": "active"}
    )
    assert response.status_code == 302
    stored = IpAddress.objects.get()
    assert (stored.address, stored.family, stored.key[:2]) == ("2001:db8::1", 6, "6:")


def test_form_refuses_a_duplicate_address_in_the_same_vrf(it):
    """The second 10.1.1.1 in the same VRF is refused with the constraint's message."""
    vrf = VrfFactory()
    ip("10.1.1.1", vrf)
    response = it.post(
        reverse("itpark:ipaddress_add"),
        {"address": "10.1.1.1", "vrf": vrf.pk, "status": "active"},
    )
    assert response.status_code == 422
    assert escape(fr("This address is already assigned in this routing context.")) in (
        response.content.decode()
    )
    assert IpAddress.objects.count() == 1


def test_api_refuses_a_prefix_with_host_bits_with_the_message(it):
    """POST /api/ answers 400 carrying the message that suggests the network."""
    response = it.post(api_list(Prefix), {"prefix": "10.20.1.5/24"}, content_type=JSON)
    assert response.status_code == 400
    body = response.json()
    message = fr(
        "« %(value)s » has host bits set: the network is %(network)s.",
        value="10.20.1.5/24",
        network="10.20.1.0/24",
    )
    assert message in [text for messages in body.values() for text in messages]
    assert not Prefix.objects.exists()


def test_api_puts_the_prefix_message_on_the_prefix_field(it):
    """The 400 answer puts the host-bits message on the `prefix` field itself."""
    response = it.post(api_list(Prefix), {"prefix": "10.20.1.5/24"}, content_type=JSON)
    assert response.status_code == 400
    assert "prefix" in response.json()


def test_api_refuses_a_duplicate_address_and_accepts_it_in_another_vrf(it):
    """400 for 10.1.1.1 twice in the global table; 201 for the same address in a VRF."""
    ip("10.1.1.1")
    response = it.post(api_list(IpAddress), {"address": "10.1.1.1"}, content_type=JSON)
    assert response.status_code == 400
    assert fr("This address is already assigned in the global table.") in str(response.json())
    vrf = VrfFactory()
    response = it.post(
        api_list(IpAddress), {"address": "10.1.1.1", "vrf": vrf.pk}, content_type=JSON
    )
    assert response.status_code == 201, response.json()
    assert IpAddress.objects.filter(address="10.1.1.1").count() == 2


def test_api_normalises_the_address(it):
    """An address posted as 2001:DB8::1 is answered and stored as 2001:db8::1."""
    response = it.post(api_list(IpAddress), {"address": "2001:DB8::1"}, content_type=JSON)
    assert response.status_code == 201, response.json()
    assert response.json()["address"] == "2001:db8::1"
    assert IpAddress.objects.get().key.startswith("6:")


def test_import_refuses_a_duplicate_address_row_by_row(client_for):
    """An import file whose address is already stored, or repeated, is refused row by row."""
    admin = client_for(roles.ADMINISTRATOR)
    ip("10.9.9.1")
    content = b"address;dns_name\n10.9.9.1;pris.congres.nc\n10.9.9.2;libre.congres.nc\n"
    admin.post(
        reverse("itpark:ipaddress_import"),
        {"file": SimpleUploadedFile("adresses.csv", content)},
    )
    job = ImportJob.objects.order_by("-pk").first()
    rows = {row["row"]: row["errors"] for row in job.report["rows"]}
    assert fr("This address is already assigned in the global table.") in " ".join(rows[2])
    assert rows[3] == []
    assert IpAddress.objects.count() == 1


# Utilisation -------------------------------------------------------------------------------


def test_utilisation_counts_the_addresses_of_the_prefix_context_only():
    """A prefix counts its own VRF's addresses inside its range, not another VRF's or outside."""
    vrf, other = VrfFactory(), VrfFactory()
    lan = prefix("10.1.1.0/24", vrf)
    global_lan = prefix("10.1.1.0/24")
    for host in (1, 2, 3):
        ip(f"10.1.1.{host}", vrf)
    ip("10.1.1.4", other)
    ip("10.1.1.5")
    ip("10.1.2.1", vrf)
    counts = dict(network.with_utilisation(Prefix.objects.all()).values_list("pk", "address_count"))
    assert counts == {lan.pk: 3, global_lan.pk: 1}


def test_utilisation_of_ipv6_prefixes():
    """An IPv6 /64 counts its addresses; an IPv4 address with the same digits does not count."""
    v6 = prefix("2001:db8:0:1::/64")
    ip("2001:db8:0:1::10")
    ip("2001:db8:0:1::11")
    ip("2001:db8:0:2::1")
    annotated = network.with_utilisation(Prefix.objects.filter(pk=v6.pk)).get()
    assert annotated.address_count == 2
    assert network.utilisation(annotated)["size_text"] == "2^64"


def test_utilisation_display_shows_count_size_percent_and_colour():
    """37 addresses in a /24 read « 37 / 254 (15 %) » with a green bar; 240 is red."""
    lan = prefix("10.5.5.0/24")
    for host in range(1, 38):
        ip(f"10.5.5.{host}")
    html = network.utilisation_display(network.with_utilisation(Prefix.objects.all()).get())
    assert "37 / 254 (15 %)" in html
    assert "bg-green" in html
    for host in range(38, 241):
        ip(f"10.5.5.{host}")
    lan.refresh_from_db()  # no annotation: counted with one query
    assert "bg-red" in network.utilisation_display(lan)
    assert "240 / 254" in network.utilisation_display(lan)


def test_usable_size_keeps_all_addresses_of_small_and_ipv6_networks():
    """/24 → 254, /30 → 2, /31 → 2, /32 → 1, IPv6 /126 → 4."""
    sizes = [
        network.usable_size(Prefix(prefix=text).network)
        for text in ("10.0.0.0/24", "10.0.0.0/30", "10.0.0.0/31", "10.0.0.0/32", "2001:db8::/126")
    ]
    assert sizes == [254, 2, 2, 1, 4]


def test_missing_annotation_is_computed_with_one_query(django_assert_num_queries):
    """A prefix loaded without the annotation costs one counting query."""
    lan = prefix("10.6.6.0/24")
    ip("10.6.6.9")
    lan = Prefix.objects.get(pk=lan.pk)
    with django_assert_num_queries(1):
        assert network.address_count(lan) == 1


def test_prefix_list_query_count_does_not_grow_with_the_prefixes(it):
    """The list page runs as many queries for 30 prefixes as for 3, and shows the utilisation."""
    vrf = VrfFactory()
    for n in range(3):
        prefix(f"10.7.{n}.0/24", vrf)
        ip(f"10.7.{n}.1", vrf)
    url = reverse("itpark:prefix_list")
    it.get(url)  # warm the caches (filter row counts, preferences)
    with CaptureQueriesContext(connection) as few:
        response = it.get(url)
    assert response.status_code == 200
    assert "1 / 254" in response.content.decode()
    for n in range(3, 30):
        prefix(f"10.7.{n}.0/24", vrf)
        ip(f"10.7.{n}.1", vrf)
    it.get(url)
    with CaptureQueriesContext(connection) as many:
        response = it.get(url)
    assert response.content.decode().count("1 / 254") == 30
    assert len(many) == len(few)


# Free addresses -----------------------------------------------------------------------------


def test_next_free_skips_network_taken_and_reserved_addresses():
    """In 10.8.0.0/24 with .1 taken and .2 reserved, the next free address is .3."""
    lan = prefix("10.8.0.0/24")
    ip("10.8.0.1")
    ip("10.8.0.2", status=IpAddress.Status.RESERVED)
    ip("10.8.0.5")
    assert network.next_free_address(lan) == "10.8.0.3"
    assert network.free_addresses(lan, limit=4) == ["10.8.0.3", "10.8.0.4", "10.8.0.6", "10.8.0.7"]


def test_next_free_ignores_addresses_of_another_vrf():
    """An address taken in another VRF is free in this prefix's VRF."""
    vrf = VrfFactory()
    lan = prefix("10.8.1.0/24", vrf)
    ip("10.8.1.1", VrfFactory())
    ip("10.8.1.1")
    assert network.next_free_address(lan) == "10.8.1.1"


def test_full_slash_30_has_no_free_address_and_skips_broadcast():
    """A /30 has two hosts: once both are taken there is none (broadcast is not offered)."""
    link = prefix("10.8.2.0/30")
    ip("10.8.2.1")
    assert network.free_addresses(link, limit=5) == ["10.8.2.2"]
    ip("10.8.2.2")
    assert network.next_free_address(link) is None


def test_slash_31_and_32_offer_every_address():
    """A point-to-point /31 offers both addresses; a /32 its only one."""
    assert network.free_addresses(prefix("10.8.3.0/31"), limit=5) == ["10.8.3.0", "10.8.3.1"]
    assert network.free_addresses(prefix("10.8.4.7/32"), limit=5) == ["10.8.4.7"]


def test_ipv6_slash_64_answers_instantly():
    """In a /64 with the first 200 hosts taken, the next free one is found in a blink."""
    lan = prefix("2001:db8:0:9::/64")
    IpAddress.objects.bulk_create(
        IpAddress(address=f"2001:db8:0:9::{n:x}", family=6, key=f"6:20010db8000000090000{n:012x}")
        for n in range(1, 201)
    )
    start = time.perf_counter()
    free = network.free_addresses(lan, limit=3)
    assert time.perf_counter() - start < 0.5
    assert free == ["2001:db8:0:9::c9", "2001:db8:0:9::ca", "2001:db8:0:9::cb"]
    empty = prefix("2001:db8:0:a::/64")
    assert network.next_free_address(empty) == "2001:db8:0:a::1"


# Prefix page ----------------------------------------------------------------------------------


def test_prefix_page_shows_next_free_address_assign_link_and_family(it):
    """The prefix page offers the next free address with a pre-filled add link, its parent,
    its children and its addresses."""
    vrf = VrfFactory()
    parent = prefix("10.30.0.0/16", vrf, description="Site Vauban")
    lan = prefix("10.30.1.0/24", vrf)
    child = prefix("10.30.1.128/25", vrf)
    prefix("10.30.2.0/24", vrf)  # a sibling, not a child
    prefix("10.30.1.0/24")  # same text in the global table: another context
    server = DeviceFactory(name="SRV-FICHIERS")
    ip("10.30.1.1", vrf, device=server, dns_name="fichiers.congres.nc")
    response = it.get(lan.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="next-free-address">10.30.1.2<' in page
    assign = f"{reverse('itpark:ipaddress_add')}?address=10.30.1.2&amp;vrf={vrf.pk}"
    assert assign in page
    assert escape(fr("Assign this address")) in page
    assert parent.get_absolute_url() in page
    assert child.get_absolute_url() in page
    assert 'data-prefix="10.30.2.0/24"' not in page
    assert "fichiers.congres.nc" in page
    assert server.get_absolute_url() in page
    assert "1 / 254" in page


def test_assign_link_prefills_the_add_form(it):
    """Following the assign link opens the add form with the address and VRF filled in."""
    vrf = VrfFactory()
    lan = prefix("10.31.1.0/24", vrf)
    url = network.prefix_panel(lan, type("R", (), {"user": it.user})())["context"]["assign_url"]
    response = it.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["address"] == "10.31.1.1"
    assert str(form.initial["vrf"]) == str(vrf.pk)


def test_full_prefix_page_says_so_and_offers_no_assign_button(it):
    """A full /30 shows « no free address » and no assign button."""
    link = prefix("10.32.0.0/30")
    ip("10.32.0.1")
    ip("10.32.0.2")
    page = it.get(link.get_absolute_url()).content.decode()
    assert escape(fr("No free address left in this prefix.")) in page
    assert 'data-testid="assign-address"' not in page


def test_prefix_page_limits_the_address_table(it, monkeypatch):
    """Beyond the limit, the table stops and links to the address list."""
    monkeypatch.setattr(network, "PANEL_ADDRESSES", 3)
    lan = prefix("10.33.0.0/24")
    for host in range(1, 6):
        ip(f"10.33.0.{host}")
    page = it.get(lan.get_absolute_url()).content.decode()
    assert page.count("data-address=") == 3
    assert 'data-testid="more-addresses"' in page
    assert escape(network.address_list_url(lan)) in page


def test_reader_sees_no_assign_button_without_add_right(client_for):
    """A reader without the right to add addresses gets no assign button."""
    reader = client_for(roles.DIRECTION)
    lan = prefix("10.34.0.0/24")
    response = reader.get(lan.get_absolute_url())
    assert response.status_code == 200
    assert 'data-testid="next-free-address"' in response.content.decode()
    assert 'data-testid="assign-address"' not in response.content.decode()


# Links between interfaces ----------------------------------------------------------------------


def link(interface, peer, user):
    interface.link = peer
    return save_object(interface, user=user)


def test_link_is_made_symmetric(user_with_role):
    """Saving A connected to B makes B connected to A."""
    user = user_with_role(roles.IT_MANAGER)
    a, b = InterfaceFactory(), InterfaceFactory()
    link(a, b, user)
    b.refresh_from_db()
    assert b.link_id == a.pk
    assert b.version == 2  # bumped: a stale form of B is told it changed


def test_relinking_unlinks_the_former_peer(user_with_role):
    """A moved from B to C: C points to A, B is free again."""
    user = user_with_role(roles.IT_MANAGER)
    a, b, c = InterfaceFactory(), InterfaceFactory(), InterfaceFactory()
    link(a, b, user)
    a.refresh_from_db()
    link(a, c, user)
    assert Interface.objects.get(pk=b.pk).link_id is None
    assert Interface.objects.get(pk=c.pk).link_id == a.pk
    assert Interface.objects.get(pk=a.pk).link_id == c.pk


def test_clearing_a_link_clears_the_peer(user_with_role):
    """Disconnecting A also disconnects B."""
    user = user_with_role(roles.IT_MANAGER)
    a, b = InterfaceFactory(), InterfaceFactory()
    link(a, b, user)
    a.refresh_from_db()
    link(a, None, user)
    assert Interface.objects.get(pk=b.pk).link_id is None


def test_link_through_the_form_is_symmetric(it):
    """Editing A in the form to connect it to B also connects B to A."""
    a, b = InterfaceFactory(), InterfaceFactory()
    response = it.post(
        reverse("itpark:interface_edit", args=[a.pk]),
        {"device": a.device_id, "name": a.name, "kind": "ethernet", "link": b.pk, "version": 1},
    )
    assert response.status_code == 302
    assert Interface.objects.get(pk=b.pk).link_id == a.pk


def test_link_to_an_interface_of_the_same_device_is_refused(it):
    """Two ports of one device cannot be linked: French message, nothing saved."""
    device = DeviceFactory()
    a, b = InterfaceFactory(device=device), InterfaceFactory(device=device)
    response = it.post(
        reverse("itpark:interface_edit", args=[a.pk]),
        {"device": device.pk, "name": a.name, "kind": "ethernet", "link": b.pk, "version": 1},
    )
    assert response.status_code == 422
    assert escape(fr("A link joins two different devices.")) in response.content.decode()
    assert Interface.objects.filter(link__isnull=False).count() == 0


def test_link_to_itself_is_refused():
    """An interface cannot be connected to itself."""
    a = InterfaceFactory()
    a.link = a
    with pytest.raises(ValidationError) as caught:
        a.full_clean()
    assert "link" in caught.value.message_dict


def test_linking_to_an_interface_already_connected_is_refused_until_freed(it):
    """B is connected to C: connecting A to B is refused by the form, nothing changes."""
    a, b, c = InterfaceFactory(), InterfaceFactory(), InterfaceFactory()
    c.link = b
    save_object(c, user=it.user)
    response = it.post(
        reverse("itpark:interface_edit", args=[a.pk]),
        {"device": a.device_id, "name": a.name, "kind": "ethernet", "link": b.pk, "version": 1},
    )
    assert response.status_code == 422
    assert Interface.objects.get(pk=a.pk).link_id is None
    assert Interface.objects.get(pk=b.pk).link_id == c.pk
    assert Interface.objects.get(pk=c.pk).link_id == b.pk


def test_address_list_link_narrows_the_list_to_the_prefix_context(it):
    """The card's list link shows the prefix's addresses of its VRF, not another VRF's."""
    vrf, other = VrfFactory(), VrfFactory()
    lan = prefix("10.35.1.0/24", vrf)
    ip("10.35.1.7", vrf)
    ip("10.35.1.8", other)
    ip("10.35.2.9", vrf)
    response = it.get(network.address_list_url(lan))
    assert response.status_code == 200
    page = response.content.decode()
    assert "10.35.1.7" in page
    assert "10.35.1.8" not in page
    assert "10.35.2.9" not in page
