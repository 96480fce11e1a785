"""A decided disposal takes the asset out of its room and away from its holder (journaled, with
the author); a disposed asset is never deleted, only kept."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from dpti.assets.models import Asset, AssetMovement, Disposal
from dpti.core.api.serializers import api_url_name
from dpti.core.registry import registry
from tests.factories import (
    AssetFactory,
    DisposalFactory,
    OrganisationUnitFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

KEPT = "est réformé ou en cours de réforme : il reste au registre avec son historique"


@pytest.fixture
def placed_asset():
    """An asset in a room, held by an agent and his service."""
    person = PersonFactory()
    return AssetFactory(holder=person, holder_unit=OrganisationUnitFactory())


def decide(client, asset):
    """Dispose of the asset through its « Dispose » page, decided at once."""
    return client.post(
        reverse("assets:asset_dispose", args=[asset.pk]),
        {
            "reason": "destruction",
            "decision_reference": "Arrêté n° 2026-77/CNC",
            "decision_date": timezone.localdate().isoformat(),
            "notes": "",
        },
    )


def test_a_decided_disposal_takes_the_asset_out_of_its_room_and_from_its_holder(
    manager, placed_asset
):
    """Decided, the disposal empties the asset's room, holder and service; the move is
    journaled with its reason and author, and the history shows the change by its author."""
    room, holder, unit = placed_asset.room, placed_asset.holder, placed_asset.holder_unit
    response = decide(manager, placed_asset)
    assert response.status_code == 302
    placed_asset.refresh_from_db()
    assert placed_asset.status == Asset.Status.DISPOSED
    assert (placed_asset.room, placed_asset.holder, placed_asset.holder_unit) == (None, None, None)
    move = AssetMovement.objects.get(asset=placed_asset)
    assert (move.from_room, move.from_holder, move.from_unit) == (room, holder, unit)
    assert (move.to_room, move.to_holder, move.to_unit) == (None, None, None)
    assert move.reason == "Réforme décidée (Arrêté n° 2026-77/CNC)"
    assert move.moved_by == manager.user
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Asset),
        object_id=placed_asset.pk,
        action=LogEntry.Action.UPDATE,
    ).latest("timestamp")
    assert entry.actor == manager.user
    assert set(entry.changes_dict) >= {"status", "room", "holder", "holder_unit"}
    page = manager.get(reverse("assets:asset_detail", args=[placed_asset.pk])).content.decode()
    assert "Réforme décidée (Arrêté n° 2026-77/CNC)" in page


def test_a_proposal_decided_later_also_empties_the_room(manager, placed_asset):
    """A proposed disposal keeps the asset in place; deciding it later (bulk edit of the
    disposals) takes it out."""
    disposal = DisposalFactory(asset=placed_asset)
    assert disposal.state == Disposal.State.PROPOSED
    room = placed_asset.room
    response = manager.post(
        reverse("assets:disposal_bulk_edit"),
        {
            "pk": [disposal.pk],
            "apply": "1",
            "state": "decided",
            "decision_reference": "Délibération n° 12/2026",
            "decision_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    placed_asset.refresh_from_db()
    assert placed_asset.status == Asset.Status.DISPOSED
    assert placed_asset.room is None
    assert AssetMovement.objects.get(asset=placed_asset).from_room == room


def test_a_disposed_asset_is_not_put_back_in_a_room(manager, placed_asset):
    """Editing a disposed asset to give it a room or a holder is refused in French."""
    decide(manager, placed_asset)
    placed_asset.refresh_from_db()
    form = manager.get(reverse("assets:asset_edit", args=[placed_asset.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data["room"] = AssetFactory().room_id
    response = manager.post(reverse("assets:asset_edit", args=[placed_asset.pk]), data)
    assert response.status_code == 422
    assert "Un bien réformé n&#x27;est dans aucun local" in response.content.decode()
    placed_asset.refresh_from_db()
    assert placed_asset.room is None


def test_a_disposed_asset_cannot_be_deleted_from_its_page(manager, placed_asset):
    """The delete button of a disposed asset is refused in French; the asset stays."""
    decide(manager, placed_asset)
    response = manager.post(reverse("assets:asset_delete", args=[placed_asset.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("assets:asset_detail", args=[placed_asset.pk])
    assert KEPT in response.content.decode().replace("&nbsp;", "\u00a0").replace("\u00a0", " ")
    assert Asset.objects.filter(pk=placed_asset.pk).exists()


def test_an_asset_being_disposed_cannot_be_deleted_through_the_api(manager, placed_asset):
    """DELETE on the API answers 409 with the French reason, even for a proposal not yet
    decided; the asset stays."""
    DisposalFactory(asset=placed_asset)
    url = reverse(api_url_name(registry.get(Asset), "detail"), args=[placed_asset.pk])
    response = manager.delete(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 409
    assert KEPT in response.json()["detail"].replace("\u00a0", " ")
    assert Asset.objects.filter(pk=placed_asset.pk).exists()


def test_a_bulk_delete_with_a_disposed_asset_deletes_nothing(manager, placed_asset):
    """Selected with a plain asset, a disposed asset makes the bulk delete refuse the whole
    selection, in French."""
    decide(manager, placed_asset)
    other = AssetFactory()
    response = manager.post(
        reverse("assets:asset_bulk_delete"),
        {"pk": [placed_asset.pk, other.pk], "confirm": "1"},
        follow=True,
    )
    text = response.content.decode().replace("\u00a0", " ").replace("&nbsp;", " ")
    assert "Rien n&#x27;a été supprimé" in text
    assert KEPT in text
    assert Asset.objects.filter(pk__in=[placed_asset.pk, other.pk]).count() == 2


def test_a_plain_asset_can_still_be_deleted(manager):
    """The rule spares assets that were never disposed of."""
    asset = AssetFactory()
    response = manager.post(reverse("assets:asset_delete", args=[asset.pk]))
    assert response.status_code == 302
    assert not Asset.objects.filter(pk=asset.pk).exists()
