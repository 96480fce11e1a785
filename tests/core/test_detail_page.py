"""What the generic detail page reads: related lists and history in few queries."""

import itertools

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dpti.assets.models import Asset, AssetMovement
from dpti.core.detail import first_rows_and_total
from tests.factories import AssetFactory, RoomFactory

pytestmark = pytest.mark.django_db


def room_changes(asset, rooms):
    """One history entry per move of the asset from one room to the next, as auditlog writes."""
    asset_type = ContentType.objects.get_for_model(Asset)
    for before, after in itertools.pairwise(rooms):
        LogEntry.objects.create(
            content_type=asset_type,
            object_pk=str(asset.pk),
            object_id=asset.pk,
            object_repr=str(asset),
            action=LogEntry.Action.UPDATE,
            changes={"room": [str(before.pk) if before else "None", str(after.pk)]},
        )


def detail(client, asset):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(asset.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_history_names_the_rooms_with_one_query_whatever_the_number_of_moves(client_for):
    """Each moved-to room is named in the history; more moves cost no more queries."""
    client = client_for("administrator")
    asset = AssetFactory()
    rooms = [RoomFactory(name=f"Bureau {n}") for n in range(8)]
    room_changes(asset, [None, rooms[0], rooms[1]])
    _page, few = detail(client, asset)
    room_changes(asset, rooms[1:])
    page, many = detail(client, asset)
    assert many == few
    for room in rooms:
        assert str(room) in page


def test_history_says_empty_and_deleted_relations_in_french(client_for):
    """An empty value reads « — », never « None »; a deleted room says it was deleted."""
    client = client_for("administrator")
    asset = AssetFactory()
    gone = RoomFactory(name="Ancienne réserve")
    gone_pk = gone.pk
    room_changes(asset, [None, gone])
    AssetMovement.objects.filter(to_room_id=gone_pk).delete()
    Asset.objects.filter(room_id=gone_pk).update(room=None)
    gone.delete()
    with translation.override("fr"):
        page, _count = detail(client, asset)
    history = page[page.index('data-testid="history"') :]
    assert f"{gone_pk} (supprimé)" in history
    assert "None" not in history


def test_a_short_related_list_costs_one_query_a_long_one_a_count_more():
    """Up to a page of rows: one query, its length is the total; past it: the page and a
    COUNT, never a scan of every row for a window count."""
    from dpti.estate.models import Room

    for n in range(12):
        RoomFactory(name=f"Salle {n:02}")
    rooms = Room.objects.filter(name__startswith="Salle").order_by("name")
    with CaptureQueriesContext(connection) as queries:
        rows, total = first_rows_and_total(rooms, 12)
    assert (len(rows), total, len(queries)) == (12, 12, 1)
    with CaptureQueriesContext(connection) as queries:
        rows, total = first_rows_and_total(rooms, 10)
    assert (len(rows), total, len(queries)) == (10, 12, 2)
    assert [room.name for room in rows] == [f"Salle {n:02}" for n in range(10)]
    assert not any("OVER" in q["sql"] for q in queries.captured_queries)
    assert first_rows_and_total(Room.objects.none(), 10) == ([], 0)


def test_a_very_long_related_list_is_counted_up_to_a_bound(client_for, monkeypatch):
    """Past the bound the badge says « plus de … » and the count stops there."""
    from dpti.core import detail as detail_module

    monkeypatch.setattr(detail_module, "RELATED_COUNT_LIMIT", 3)
    room = RoomFactory()
    AssetFactory.create_batch(5, room=room)
    client = client_for("administrator")
    with translation.override("fr"):
        page = client.get(room.get_absolute_url()).content.decode()
    assert "plus de 3" in page
    rooms_assets = first_rows_and_total(room.assets.order_by("pk"), 2)
    assert rooms_assets[1] == 4  # counted up to the bound and one more
