"""Rebuild the stored register of fixed assets (état de l'actif) of every year from the assets.

Each save of an asset or a disposal keeps the stored register exact; run this every night as a
safeguard, and after data was loaded without going through the application (raw SQL, bulk
inserts). Pages keep reading the previous figures while it runs.
"""

from django.core.management.base import BaseCommand

from dpti.assets.models import RegisterEntry
from dpti.assets.register_store import rebuild


class Command(BaseCommand):
    """manage.py refresh_asset_registers"""

    help = "Rebuild the stored fixed-asset register of every year from the assets."

    def handle(self, *args, **options):
        build = rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Fixed-asset register rebuilt in {build.seconds:.1f} s "
                f"({RegisterEntry.objects.count()} entries)."
            )
        )
