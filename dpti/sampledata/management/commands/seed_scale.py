"""Fill the database with deterministic data at a named size, for benchmarks."""

import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from dpti.core.trigram import TRIGRAM_OPCLASS
from dpti.sampledata.scale import SIZES, scale_modules, seed_history


class Command(BaseCommand):
    """`manage.py seed_scale --size large` (PostgreSQL recommended)."""

    help = "Remplit la base avec des données volumineuses et déterministes (bancs de mesure)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=SIZES, default="small")

    def handle(self, *args, size, **options):
        started = time.monotonic()
        with self.without_search_indexes():
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

    @contextmanager
    def without_search_indexes(self):
        """Drop the trigram indexes (`dpti.core.trigram`) for the load, build them after.

        Keeping a GIN index up to date row by row costs far more than building it once over
        the loaded table; the indexes come back even when the load fails.
        """
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND indexdef LIKE %s",
                [f"%{TRIGRAM_OPCLASS}%"],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        try:
            yield
        finally:
            built = time.monotonic()
            with connection.cursor() as cursor:
                # Inside an enclosing transaction (tests), deferred foreign-key checks still
                # pending would forbid CREATE INDEX on their tables: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for _name, definition in indexes:
                    cursor.execute(definition)
            self.stdout.write(
                f"Index de recherche : {len(indexes)} reconstruits "
                f"en {time.monotonic() - built:.1f} s."
            )
