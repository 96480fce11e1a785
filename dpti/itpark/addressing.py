"""IP addresses and prefixes as text the database can compare, on PostgreSQL and SQLite alike.

An address is stored as written (normalised) and as a sort key: its integer value in 32
hexadecimal digits, prefixed by its family. Containment in a prefix is then a range of sort
keys, a plain indexed comparison on both databases.
"""

import ipaddress

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def parse_address(text):
    """An IPv4 or IPv6 address without mask, or a French ValidationError."""
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError as error:
        raise ValidationError(
            _("« %(value)s » is not a valid IP address (e.g. 10.20.1.15 or 2001:db8::1).")
            % {"value": text},
            code="invalid_ip",
        ) from error


def parse_prefix(text):
    """A network in CIDR notation, host bits zero, or a French ValidationError."""
    value = (text or "").strip()
    if "/" not in value:
        raise ValidationError(
            _("Write the prefix with its length, e.g. 10.20.1.0/24."), code="invalid_prefix"
        )
    try:
        return ipaddress.ip_network(value, strict=True)
    except ValueError as error:
        try:
            suggested = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ValidationError(
                _("« %(value)s » is not a valid prefix (e.g. 10.20.1.0/24).") % {"value": value},
                code="invalid_prefix",
            ) from error
        raise ValidationError(
            _("« %(value)s » has host bits set: the network is %(network)s.")
            % {"value": value, "network": suggested},
            code="invalid_prefix",
        ) from error


def sort_key(address):
    """'4:' or '6:' followed by the integer value in 32 hexadecimal digits."""
    return f"{address.version}:{int(address):032x}"


def value_key(family, value):
    """The sort key of an address given as its family and integer value."""
    return f"{family}:{value:032x}"


def key_value(key):
    """The integer value of an address from its sort key."""
    return int(key[2:], 16)
