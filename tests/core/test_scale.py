"""The scale seeder and the benchmark harness keep working (sizes tiny, one run)."""

import io
import json

import pytest
from django.core.management import call_command

from dpti.directory.models import Person
from dpti.sampledata.directory.scale import SIZES

pytestmark = pytest.mark.django_db


def test_seed_scale_creates_the_announced_numbers():
    """seed_scale --size tiny creates exactly the tiny directory, and valid people."""
    call_command("seed_scale", "--size", "tiny", stdout=io.StringIO())
    _units, _companies, people = SIZES["tiny"]
    assert Person.objects.count() == people
    Person.objects.order_by("?").first().full_clean()
    _the_history_is_seeded()


def _the_history_is_seeded():
    """Every seeded object has its creation entry, dated when it was created; each asset
    movement between rooms left an update entry on the asset, « room: A → B »."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from dpti.assets.models import Asset, AssetMovement

    assets = ContentType.objects.get_for_model(Asset)
    people = ContentType.objects.get_for_model(Person)
    created = LogEntry.objects.filter(action=LogEntry.Action.CREATE)
    assert created.filter(content_type=people).count() == Person.objects.count()
    assert created.filter(content_type=assets).count() == Asset.objects.count()
    asset = Asset.objects.order_by("pk").last()
    entry = created.get(content_type=assets, object_id=asset.pk)
    assert entry.object_repr == str(asset)
    assert entry.timestamp == asset.created_at
    assert entry.changes["inventory_number"] == ["None", asset.inventory_number]
    # An empty value is written "None", as auditlog does (its display fails on a JSON null).
    values = [v for changes in created.values_list("changes", flat=True) for v in changes.values()]
    assert values
    assert all(isinstance(old, str) and isinstance(new, str) for old, new in values)
    movement = (
        AssetMovement.objects.exclude(from_room=None)
        .exclude(to_room=None)
        .select_related("from_room", "to_room")
        .order_by("pk")
        .first()
    )
    update = LogEntry.objects.get(
        content_type=assets,
        action=LogEntry.Action.UPDATE,
        object_id=movement.asset_id,
        timestamp=movement.moved_at,
    )
    assert update.changes == {"room": [movement.from_room.code, movement.to_room.code]}
    moves = AssetMovement.objects.exclude(from_room=None, to_room=None)
    between_rooms = [m for m in moves.values_list("from_room", "to_room") if m[0] != m[1]]
    assert LogEntry.objects.filter(
        content_type=assets, action=LogEntry.Action.UPDATE
    ).count() == len(between_rooms)


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
