"""Fill the database with deterministic data at a named size, for benchmarks."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from dpti.core.scale import SIZES, scale_modules


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
        self.stdout.write(self.style.SUCCESS(f"Terminé en {time.monotonic() - started:.1f} s."))
