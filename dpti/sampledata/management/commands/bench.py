"""Benchmark the real request path of every registered type against the current database.

For each type: list page, detail page, API list and detail (50 rows), with p50/p95 server time
over repeated runs, SQL queries per request, and for lists the ratio to the raw SQL floor (the
COUNT and page queries the list needs, run directly). Then the pages a domain app's optional
`bench` module lists (`pages(client) -> [(label, url, row count)]`), measured the same way.
Also the global search, the XLSX and CSV exports of a filtered list of 10,000 assets and the dry
run of an import of 100,000 people. Results go to bench/results/latest.json and latest.md.
Timings are reported, never asserted.
"""

import csv
import gc
import io
import json
import os
import platform
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dpti.core.api.serializers import api_url_name
from dpti.core.models import ImportJob, User
from dpti.core.registry import registry
from dpti.sampledata.discovery import app_modules

RESULTS = Path(settings.BASE_DIR) / "bench" / "results"
EXPORT_ROWS = 10_000
EXPORT_RUNS = 3
IMPORT_ROWS = 100_000


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def cpu_description():
    """« 2 CPU AMD EPYC · 24 Gio » where /proc tells, the architecture otherwise."""
    cpus = os.cpu_count() or 1
    model, memory = platform.machine(), ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f" · {round(int(line.split()[1]) / 1024**2)} Gio"
                break
    except OSError:
        pass
    return f"{cpus} CPU {model}{memory}"


class Command(BaseCommand):
    """`manage.py bench [--runs 20]` (make bench)."""

    help = "Mesure les pages, l'API, la recherche, l'export et l'import sur la base courante."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--output", type=Path, default=RESULTS)
        parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS)

    def handle(self, *args, runs, output, import_rows, **options):
        self.runs, self.output, self.import_rows = runs, output, import_rows
        user, _created = User.objects.get_or_create(
            username="bench", defaults={"is_superuser": True, "is_staff": True}
        )
        self.client = Client()
        self.client.force_login(user)
        # As the WSGI entry point does once the application is loaded (dpti/wsgi.py).
        gc.collect()
        gc.freeze()
        rows = []
        for object_type in registry:
            first = object_type.get_queryset().first()
            count = object_type.model._default_manager.count()
            list_url = reverse(object_type.url_name("list"))
            rows.append(
                self.measure(
                    f"{object_type.label} liste",
                    list_url,
                    count,
                    floor=self.list_floor(object_type),
                )
            )
            rows.append(
                self.measure(
                    f"{object_type.label} API liste",
                    reverse(api_url_name(object_type, "list")),
                    count,
                )
            )
            if first is not None:
                rows.append(
                    self.measure(
                        f"{object_type.label} fiche",
                        reverse(object_type.url_name("detail"), args=[first.pk]),
                        count,
                    )
                )
                rows.append(
                    self.measure(
                        f"{object_type.label} API fiche",
                        reverse(api_url_name(object_type, "detail"), args=[first.pk]),
                        count,
                    )
                )
        # Domain apps may add their own heavy pages: a `bench` module with pages(client).
        for module in app_modules("bench"):
            for label, url, count in module.pages(self.client):
                rows.append(self.measure(label, url, count))
        rows.append(
            self.measure("recherche globale « Martin »", reverse("search") + "?q=Martin", None)
        )
        rows.extend(self.export_rows())
        rows.append(self.import_row(user))
        from dpti.core.imports import jobs

        rows.append(self.import_row(user, jobs.COMMIT, rows=min(self.import_rows, 20_000)))
        self.write(rows)

    def timed(self, url):
        samples, queries = [], 0
        for _run in range(self.runs):
            # The query log keeps 9 000 entries: once full, a capture would count 0.
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = self.client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured)
        return samples, queries

    def list_floor(self, object_type):
        """Milliseconds of the raw SQL a list page needs: its count (the statistics' estimate
        where the page takes it from there, COUNT(*) otherwise) plus the first page of rows."""
        from dpti.core.pagination import estimated_count, table_estimate

        queryset = object_type.get_queryset()
        model = object_type.model
        page_sql, page_params = queryset[:50].query.sql_with_params()
        estimated = estimated_count(queryset, 50) is not None
        count_sql = f"SELECT COUNT(*) FROM {model._meta.db_table}"
        samples = []
        with connection.cursor() as cursor:
            for _run in range(self.runs):
                started = time.perf_counter()
                if estimated:
                    table_estimate(model, connection.alias)
                else:
                    cursor.execute(count_sql)
                    cursor.fetchall()
                cursor.execute(page_sql, page_params)
                cursor.fetchall()
                samples.append((time.perf_counter() - started) * 1000)
        return statistics.median(samples)

    def measure(self, label, url, count, floor=None):
        samples, queries = self.timed(url)
        p50 = statistics.median(samples)
        row = {
            "mesure": label,
            "lignes": count,
            "p50_ms": round(p50, 1),
            "p95_ms": round(percentile(samples, 0.95), 1),
            "requetes_sql": queries,
        }
        if floor:
            row["plancher_sql_ms"] = round(floor, 2)
            row["ratio_plancher"] = round(p50 / floor, 1)
        self.stdout.write(
            f"  {label}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, {queries} requêtes"
        )
        return row

    def export_rows(self):
        """XLSX and CSV export of a filtered list of about EXPORT_ROWS assets (the widest list):
        those acquired first, up to the date that gives that many."""
        from dpti.assets.models import Asset

        object_type = registry.get(Asset)
        by_date = Asset.objects.order_by("acquisition_date", "pk").values_list(
            "acquisition_date", flat=True
        )
        last_day = by_date[EXPORT_ROWS - 1 : EXPORT_ROWS].first() or by_date.last()
        if last_day is None:
            return []
        total = Asset.objects.filter(acquisition_date__lte=last_day).count()
        base = reverse(object_type.url_name("list"))
        rows = []
        for fmt in ("xlsx", "csv"):
            url = f"{base}?acquisition_date__lte={last_day.isoformat()}&export={fmt}"
            samples = []
            for _run in range(EXPORT_RUNS):
                started = time.perf_counter()
                response = self.client.get(url)
                content = (
                    b"".join(response.streaming_content)
                    if hasattr(response, "streaming_content")
                    else response.content
                )
                samples.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            p50 = statistics.median(samples)
            self.stdout.write(
                f"  export {fmt.upper()} de {total:,} biens : {p50:.0f} ms ({len(content):,} o)"
            )
            rows.append(
                {
                    "mesure": f"export {fmt.upper()} d'une liste filtrée de biens",
                    "lignes": total,
                    "p50_ms": round(p50),
                    "p95_ms": round(percentile(samples, 0.95)),
                    "requetes_sql": None,
                }
            )
        return rows

    def people_file(self, rows):
        """A CSV file of `rows` new people, as an import receives it."""
        from dpti.directory.models import OrganisationUnit

        unit = OrganisationUnit.objects.order_by("pk").first()
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(["last_name", "first_name", "kind", "unit", "email", "phone"])
        for i in range(rows):
            writer.writerow(
                [
                    f"Bench{i}",
                    "Marie",
                    "agent",
                    unit.code if unit else "",
                    f"bench{i}@import.congres.nc",
                    "27 31 29",
                ]
            )
        return buffer.getvalue().encode()

    def import_row(self, user, action=None, rows=None):
        """An import of new people, dry run (validated rows per second) or commit (saved rows
        per second, history included, rolled back afterwards so that the database stays as
        seeded)."""
        from dpti.core.imports import jobs

        action = action or jobs.VALIDATE
        rows = rows or self.import_rows
        job = jobs.create_job(
            registry.get("directory.person"), user, "bench.csv", self.people_file(rows)
        )
        with transaction.atomic():
            started = time.perf_counter()
            jobs.execute(job, action)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).delete()
        rate = rows / elapsed
        label = "essai à blanc" if action == jobs.VALIDATE else "enregistrement"
        self.stdout.write(f"  import ({label}) : {rate:,.0f} lignes/s")
        return {
            "mesure": f"import personnes ({label})",
            "lignes": rows,
            "p50_ms": round(elapsed * 1000),
            "p95_ms": round(elapsed * 1000),
            "requetes_sql": None,
            "lignes_par_s": round(rate),
        }

    def write(self, rows):
        self.output.mkdir(parents=True, exist_ok=True)
        database = connection.vendor
        if database == "postgresql":
            database += f" {connection.pg_version // 10000}"
        machine = f"{platform.node()} · {cpu_description()} · {database}"
        payload = {"date": timezone.localtime().isoformat(), "machine": machine, "rows": rows}
        (self.output / "latest.json").write_text(json.dumps(payload, indent=1, ensure_ascii=False))
        header = (
            "| mesure | lignes | p50 (ms) | p95 (ms) | requêtes SQL | plancher SQL (ms) | ratio |"
        )
        lines = [
            f"Mesuré le {payload['date'][:16]} sur {machine}, {self.runs} passages.",
            "",
            header,
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in rows:
            lines.append(
                f"| {row['mesure']} | {row['lignes'] if row['lignes'] is not None else ''} | "
                f"{row['p50_ms']} | {row['p95_ms']} | {row['requetes_sql'] or ''} | "
                f"{row.get('plancher_sql_ms', '')} | {row.get('ratio_plancher', '')} |"
            )
        (self.output / "latest.md").write_text("\n".join(lines) + "\n")
        self.stdout.write(f"Résultats : {self.output / 'latest.md'}")
