"""Trigram indexes on the search fields of the big tables, for the quick and global search
(PostgreSQL only: see dpti.core.trigram)."""

from django.db import migrations

from dpti.core.trigram import AddTrigramIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_trigram_extension"),
        ("procurement", "0003_invoice_supplier_index"),
    ]

    operations = [
        AddTrigramIndexes("purchaseorder", ["number", "object"]),
        AddTrigramIndexes("invoice", ["number", "supplier_reference", "payment_reference"]),
        AddTrigramIndexes("commitment", ["number", "object"]),
        AddTrigramIndexes("contract", ["reference", "object"]),
        AddTrigramIndexes("contractlot", ["title"]),
    ]
