"""The scale seeder and the benchmark harness keep working (sizes tiny, one run)."""

import io
import json

import pytest
from django.core.management import call_command

from dpti.directory.models import Person
from dpti.directory.scale import SIZES

pytestmark = pytest.mark.django_db


def test_seed_scale_creates_the_announced_numbers():
    """seed_scale --size tiny creates exactly the tiny directory, and valid people."""
    call_command("seed_scale", "--size", "tiny", stdout=io.StringIO())
    _units, _companies, people = SIZES["tiny"]
    assert Person.objects.count() == people
    Person.objects.order_by("?").first().full_clean()


def test_bench_measures_every_registered_page(tmp_path):
    """The benchmark writes JSON and Markdown with a row per page, API, search, export, import."""
    from dpti.core.registry import registry

    call_command("seed_scale", "--size", "tiny", stdout=io.StringIO())
    call_command(
        "bench",
        "--runs",
        "1",
        "--import-rows",
        "200",
        "--output",
        str(tmp_path),
        stdout=io.StringIO(),
    )
    result = json.loads((tmp_path / "latest.json").read_text())
    labels = [row["mesure"] for row in result["rows"]]
    for object_type in registry:
        assert f"{object_type.label} liste" in labels
        assert f"{object_type.label} API liste" in labels
    assert any(row.get("lignes_par_s") for row in result["rows"])
    exports = {row["mesure"]: row["lignes"] for row in result["rows"] if "export" in row["mesure"]}
    assert set(exports) == {
        "export XLSX d'une liste filtrée de biens",
        "export CSV d'une liste filtrée de biens",
    }
    assert all(count > 0 for count in exports.values())
    assert "| mesure |" in (tmp_path / "latest.md").read_text()
