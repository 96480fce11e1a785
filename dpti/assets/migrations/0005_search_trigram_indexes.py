"""Trigram indexes on the search fields of the big tables, for the quick and global search
(PostgreSQL only: see dpti.core.trigram)."""

from django.db import migrations

from dpti.core.trigram import AddTrigramIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_trigram_extension"),
        ("assets", "0004_register_snapshot"),
    ]

    operations = [
        AddTrigramIndexes(
            "asset", ["inventory_number", "label", "brand", "model_name", "serial_number"]
        ),
        AddTrigramIndexes("disposal", ["decision_reference", "beneficiary"]),
        AddTrigramIndexes("assetmovement", ["reason"]),
    ]
