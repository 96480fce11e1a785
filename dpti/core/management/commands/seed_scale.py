"""Fill the database with deterministic data at a named size, for benchmarks."""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from dpti.core.scale import SIZES, scale_modules, seed_history


class Command(BaseCommand):
    """`manage.py seed_scale --size large` (PostgreSQL recommended)."""

    help = "Remplit la base avec des données volumineuses et déterministes (bancs de mesure)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=SIZES, default="small")

    def handle(self, *args, size, **options):
        started = time.monotonic()
        for module in scale_modules():
            with transaction.atomic():
                module.seed(size=size, stdout=self.stdout)
        history_started = time.monotonic()
        with transaction.atomic():
            entries = seed_history(self.stdout)
        self.stdout.write(
            f"Historique : {entries:,} entrées en {time.monotonic() - history_started:.1f} s."
        )
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would give a live database in a while: without
            # them the planner scans the invoices once per budget line (1.3 s instead of 0.2 s
            # for the budget execution at medium size).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Terminé en {time.monotonic() - started:.1f} s."))
