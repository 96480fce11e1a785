"""Trigram indexes on the search fields of the big tables, for the quick and global search
(PostgreSQL only: see dpti.core.trigram)."""

from django.db import migrations

from dpti.core.trigram import AddTrigramIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_trigram_extension"),
        ("itpark", "0005_list_order_indexes"),
    ]

    operations = [
        AddTrigramIndexes("device", ["name", "mac_addresses"]),
        AddTrigramIndexes("ipaddress", ["address", "dns_name", "description"]),
    ]
