"""Parsing of IP addresses and prefixes, and their sort keys (no database)."""

import ipaddress

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from dpti.itpark.addressing import key_value, parse_address, parse_prefix, sort_key, value_key


def fr(message, **values):
    """The French text of a source message, formatted."""
    with translation.override("fr"):
        text = gettext(message)
    return text % values if values else text


def test_ipv4_and_ipv6_addresses_are_parsed_and_normalised():
    """An address is read without surrounding spaces; IPv6 is written compressed, lower case."""
    assert str(parse_address(" 10.20.1.15 ")) == "10.20.1.15"
    assert str(parse_address("2001:DB8::1")) == "2001:db8::1"
    assert str(parse_address("2001:0db8:0000:0000:0000:0000:0000:0001")) == "2001:db8::1"


@pytest.mark.parametrize("text", ["", "10.20.1", "10.20.1.256", "10.20.1.0/24", "2001:db8::g"])
def test_invalid_address_is_refused_with_a_french_message(text):
    """Anything that is not one address without mask is refused, naming the value."""
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        parse_address(text)
    assert caught.value.messages == [
        fr(
            "« %(value)s » is not a valid IP address (e.g. 10.20.1.15 or 2001:db8::1).",
            value=text,
        )
    ]


def test_prefixes_are_parsed_and_normalised():
    """A CIDR prefix keeps its length; IPv6 is compressed and in lower case."""
    assert str(parse_prefix("10.20.1.0/24")) == "10.20.1.0/24"
    assert str(parse_prefix(" 2001:DB8:0:1::/64 ")) == "2001:db8:0:1::/64"
    assert str(parse_prefix("10.20.1.7/32")) == "10.20.1.7/32"


def test_prefix_with_host_bits_set_suggests_the_network():
    """10.20.1.5/24 is refused and the message gives the network, 10.20.1.0/24."""
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        parse_prefix("10.20.1.5/24")
    message = caught.value.messages[0]
    assert message == fr(
        "« %(value)s » has host bits set: the network is %(network)s.",
        value="10.20.1.5/24",
        network="10.20.1.0/24",
    )
    assert "10.20.1.0/24" in message
    with pytest.raises(ValidationError) as caught:
        parse_prefix("2001:db8::1/64")
    assert "2001:db8::/64" in caught.value.messages[0]


def test_prefix_without_length_or_malformed_is_refused():
    """A prefix needs its length; a wrong text is refused with an example."""
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        parse_prefix("10.20.1.0")
    assert caught.value.messages == [fr("Write the prefix with its length, e.g. 10.20.1.0/24.")]
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        parse_prefix("10.20.1.0/33")
    assert caught.value.messages == [
        fr("« %(value)s » is not a valid prefix (e.g. 10.20.1.0/24).", value="10.20.1.0/33")
    ]


def test_sort_keys_order_addresses_numerically_and_by_family():
    """Keys compare as strings in numeric order (10.0.0.9 < 10.0.0.10), IPv4 before IPv6."""
    keys = [sort_key(ipaddress.ip_address(a)) for a in ("10.0.0.9", "10.0.0.10", "::1")]
    assert keys == sorted(keys)
    assert keys[0] == "4:" + "0" * 24 + "0a000009"
    assert len(keys[2]) == 34


def test_value_key_and_key_value_are_inverse():
    """value_key(family, n) is sort_key of the address n; key_value reads it back."""
    address = ipaddress.ip_address("2001:db8::42")
    assert value_key(6, int(address)) == sort_key(address)
    assert key_value(sort_key(address)) == int(address)
