"""The pg_trgm extension, for the trigram indexes of the search fields (PostgreSQL only)."""

from django.db import migrations

from dpti.core.trigram import CreateTrigramExtension


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_numbersequence"),
    ]

    operations = [
        CreateTrigramExtension(),
    ]
