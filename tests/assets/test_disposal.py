"""Disposal (réforme) of assets: proposed, decided, refused, and what it does to the register."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from dpti.assets.models import Asset, Disposal
from dpti.core import roles
from dpti.core.services import save_object
from tests.factories import AssetCategoryFactory, AssetFactory, DisposalFactory, RoomFactory

pytestmark = pytest.mark.django_db


def french(message, **params):
    """The French text of an English source string."""
    with translation.override("fr"):
        text = gettext(message)
    return text % params if params else text


def dispose_url(asset):
    return reverse("assets:asset_dispose", args=[asset.pk])


def detail_url(asset):
    return reverse("assets:asset_detail", args=[asset.pk])


def flash_messages(response):
    return [str(message) for message in response.context["messages"]]


def decision(**values):
    """The form of a decided destruction, with values to override."""
    return {
        "reason": "destruction",
        "decision_reference": "Arrêté n° 2026-118/CNC",
        "decision_date": timezone.localdate().isoformat(),
        "sale_price": "",
        "beneficiary": "",
        "notes": "Écran cassé, hors d'usage.",
        **values,
    }


def test_dispose_page_shows_the_asset_and_the_form(manager):
    """The disposal page names the asset and asks for the reason and the decision."""
    asset = AssetFactory(label="Photocopieur Ricoh")

    response = manager.get(dispose_url(asset))

    assert response.status_code == 200
    html = response.content.decode()
    assert asset.inventory_number in html
    assert "Photocopieur Ricoh" in html
    for name in ("reason", "decision_reference", "decision_date", "sale_price", "beneficiary"):
        assert f'name="{name}"' in html
    assert french("Record the disposal") in html


def test_decided_disposal_takes_the_asset_out_of_the_active_register(manager):
    """With its reference and date, a disposal is decided and the asset becomes disposed."""
    asset = AssetFactory()

    response = manager.post(dispose_url(asset), decision(), follow=True)

    assert response.redirect_chain == [(detail_url(asset), 302)]
    disposal = Disposal.objects.get(asset=asset)
    assert disposal.state == Disposal.State.DECIDED
    assert disposal.decision_reference == "Arrêté n° 2026-118/CNC"
    assert disposal.created_by == manager.user
    asset.refresh_from_db()
    assert asset.status == Asset.Status.DISPOSED
    assert not Asset.objects.active().filter(pk=asset.pk).exists()
    assert reverse("assets:disposal_detail", args=[disposal.pk]) in response.content.decode()
    assert flash_messages(response) == [
        french(
            "Disposal of « %(asset)s » decided: the asset has left the active register.",
            asset=asset,
        )
    ]


def test_sale_keeps_its_price_and_buyer(manager):
    """A sale records its price and its buyer."""
    asset = AssetFactory()

    manager.post(
        dispose_url(asset),
        decision(reason="sale", sale_price="25000", beneficiary="Association Les Amis du Caillou"),
    )

    disposal = Disposal.objects.get(asset=asset)
    assert (disposal.reason, disposal.sale_price) == ("sale", 25_000)
    assert disposal.beneficiary == "Association Les Amis du Caillou"


def test_disposal_without_decision_is_proposed_and_the_asset_stays(manager):
    """Without reference and date, the disposal is proposed; the asset stays in the register."""
    asset = AssetFactory(status=Asset.Status.IN_STOCK)

    response = manager.post(
        dispose_url(asset), decision(decision_reference="", decision_date=""), follow=True
    )

    disposal = Disposal.objects.get(asset=asset)
    assert disposal.state == Disposal.State.PROPOSED
    asset.refresh_from_db()
    assert asset.status == Asset.Status.IN_STOCK
    assert Asset.objects.active().filter(pk=asset.pk).exists()
    assert flash_messages(response) == [
        french(
            "Disposal of « %(asset)s » proposed: the asset stays in the register until "
            "the decision is recorded.",
            asset=asset,
        )
    ]


def test_sale_price_on_a_donation_is_refused(manager):
    """Only a sale has a price: a donation with a price is refused and nothing is saved."""
    asset = AssetFactory()

    response = manager.post(dispose_url(asset), decision(reason="donation", sale_price="5000"))

    assert response.status_code == 422
    assert response.context["form"].errors["sale_price"] == [
        french("Only a sale has a sale price.")
    ]
    assert not Disposal.objects.filter(asset=asset).exists()
    asset.refresh_from_db()
    assert asset.status == Asset.Status.IN_SERVICE


def test_decision_without_its_reference_is_refused(manager):
    """A decision date without the decision reference is refused, not kept as a proposal."""
    asset = AssetFactory()

    response = manager.post(dispose_url(asset), decision(decision_reference=""))

    assert response.status_code == 422
    assert response.context["form"].errors["decision_reference"] == [
        french("A decided disposal needs its decision reference.")
    ]
    assert not Disposal.objects.filter(asset=asset).exists()
    asset.refresh_from_db()
    assert asset.status == Asset.Status.IN_SERVICE


def test_decision_before_the_acquisition_is_refused(manager):
    """A disposal cannot be decided before the asset was acquired."""
    asset = AssetFactory(acquisition_date=datetime.date(2025, 3, 1))

    response = manager.post(dispose_url(asset), decision(decision_date="2024-12-31"))

    assert response.status_code == 422
    assert response.context["form"].errors["decision_date"] == [
        french("The disposal cannot precede the acquisition.")
    ]
    assert not Disposal.objects.filter(asset=asset).exists()


@pytest.mark.parametrize("role", [roles.TECHNICIAN, roles.IT_MANAGER, roles.REQUESTER])
def test_users_without_the_right_to_add_disposals_are_refused(client_for, role):
    """Without the right to add disposals, the page and the form answer 403, nothing saved."""
    client = client_for(role)
    asset = AssetFactory()

    page = client.get(dispose_url(asset))
    post = client.post(dispose_url(asset), decision())

    assert (page.status_code, post.status_code) == (403, 403)
    assert not Disposal.objects.filter(asset=asset).exists()
    asset.refresh_from_db()
    assert asset.status == Asset.Status.IN_SERVICE


def test_anonymous_user_is_sent_to_sign_in(db):
    """The disposal page asks to sign in first."""
    asset = AssetFactory()

    response = Client().post(dispose_url(asset), decision())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Disposal.objects.exists()


def test_second_disposal_of_an_asset_is_refused(manager):
    """An asset with a disposal, proposed or decided, cannot get a second one."""
    proposed = DisposalFactory(state=Disposal.State.PROPOSED)

    page = manager.get(dispose_url(proposed.asset))
    post = manager.post(dispose_url(proposed.asset), decision(reason="theft"))

    assert page.status_code == 409
    assert post.status_code == 409
    assert reverse("assets:disposal_detail", args=[proposed.pk]) in page.content.decode()
    assert Disposal.objects.filter(asset=proposed.asset).count() == 1
    proposed.refresh_from_db()
    assert proposed.reason == Disposal.Reason.DESTRUCTION


def test_asset_already_disposed_cannot_be_disposed_again(manager):
    """An asset already out of the register (disposed status) is refused with a message."""
    asset = AssetFactory(status=Asset.Status.DISPOSED)

    response = manager.post(dispose_url(asset), decision())

    assert response.status_code == 409
    assert response.context["message"] == french(
        "« %(asset)s » is already disposed of.", asset=asset
    )
    assert not Disposal.objects.filter(asset=asset).exists()


def test_generic_disposal_pages_list_show_and_decide_a_proposal(manager):
    """Deciding a proposed disposal in its generic edit page takes the asset out of the register."""
    disposal = DisposalFactory(state=Disposal.State.PROPOSED, reason=Disposal.Reason.DONATION)
    asset = disposal.asset

    listing = manager.get(reverse("assets:disposal_list"))
    detail = manager.get(reverse("assets:disposal_detail", args=[disposal.pk]))
    edit_page = manager.get(reverse("assets:disposal_edit", args=[disposal.pk]))
    response = manager.post(
        reverse("assets:disposal_edit", args=[disposal.pk]),
        {
            "asset": asset.pk,
            "reason": "donation",
            "state": "decided",
            "decision_reference": "Délibération n° 45/2026",
            "decision_date": timezone.localdate().isoformat(),
            "sale_price": "0",
            "beneficiary": "École de Païta",
            "notes": "",
            "version": disposal.version,
        },
    )

    assert (listing.status_code, detail.status_code, edit_page.status_code) == (200, 200, 200)
    assert asset.inventory_number in listing.content.decode()
    assert response.status_code == 302
    disposal.refresh_from_db()
    assert disposal.state == Disposal.State.DECIDED
    asset.refresh_from_db()
    assert asset.status == Asset.Status.DISPOSED


def test_disposed_asset_keeps_its_number_and_history_and_the_number_is_never_reused(manager):
    """A disposed asset leaves the active register, keeps its number and history; no reuse."""
    user = manager.user
    category = AssetCategoryFactory()
    acquired = datetime.date(2026, 2, 10)

    def new_asset(label):
        asset = Asset(label=label, category=category, acquisition_date=acquired, value=90_000)
        asset.room = RoomFactory()
        return save_object(asset, user=user)

    asset = new_asset("Vidéoprojecteur salle des séances")
    number = asset.inventory_number
    manager.post(dispose_url(asset), decision(decision_date="2026-06-30"))
    newcomer = new_asset("Vidéoprojecteur neuf")

    asset.refresh_from_db()
    assert asset.status == Asset.Status.DISPOSED
    assert asset.inventory_number == number
    assert not Asset.objects.active().filter(pk=asset.pk).exists()
    assert Asset.objects.filter(inventory_number=number).count() == 1
    assert newcomer.inventory_number not in ("", number)
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Asset), object_id=asset.pk
    )
    assert entries.filter(action=LogEntry.Action.CREATE).exists()
    assert any(
        entry.changes_dict.get("status", [None, None])[1] == Asset.Status.DISPOSED
        for entry in entries.filter(action=LogEntry.Action.UPDATE)
    )
    assert LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Disposal),
        action=LogEntry.Action.CREATE,
    ).exists()
    page = manager.get(detail_url(asset))
    assert page.status_code == 200
    assert number in page.content.decode()
