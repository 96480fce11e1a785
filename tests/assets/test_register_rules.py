"""Rules of the asset register: numbering, moves and assignments, who sees what, policies."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from dpti.assets.models import AccountingPolicy, Asset, AssetCategory, AssetMovement
from dpti.core import roles
from dpti.core.numbering import next_number
from dpti.core.services import save_object
from dpti.directory.scoping import person_of
from tests.factories import (
    AssetCategoryFactory,
    AssetFactory,
    PersonFactory,
    RoomFactory,
)

pytestmark = pytest.mark.django_db


def new_asset(**values):
    """An unsaved asset with everything but its inventory number."""
    if "category" not in values:
        values["category"] = AssetCategoryFactory()
    values.setdefault("acquisition_date", date(2026, 3, 2))
    values.setdefault("value", 120_000)
    values.setdefault("room", None)  # a built factory room would be unsaved
    return AssetFactory.build(inventory_number="", label="Portable 14 pouces", **values)


def test_a_new_asset_gets_the_next_number_of_its_year(user_with_role):
    """The default rule numbers by acquisition year: 2026-000001, 2026-000002, 2025-000001."""
    user = user_with_role(roles.PROPERTY_MANAGER)
    first = save_object(new_asset(), user=user)
    second = save_object(new_asset(category=first.category), user=user)
    older = save_object(
        new_asset(category=first.category, acquisition_date=date(2025, 6, 1)), user=user
    )

    assert (first.inventory_number, second.inventory_number) == ("2026-000001", "2026-000002")
    assert older.inventory_number == "2025-000001"


def test_the_numbering_rule_is_a_setting(settings, user_with_role):
    """A rule naming the category restarts the counter per category and year."""
    settings.DPTI = {**settings.DPTI, "INVENTORY_NUMBER_PATTERN": "{category}/{year}/{seq:04d}"}
    user = user_with_role(roles.PROPERTY_MANAGER)
    chairs = AssetCategoryFactory(code="SIE")
    screens = AssetCategoryFactory(code="ECR")

    numbers = [
        save_object(new_asset(category=category), user=user).inventory_number
        for category in (chairs, chairs, screens)
    ]

    assert numbers == ["SIE/2026/0001", "SIE/2026/0002", "ECR/2026/0001"]


def test_a_number_given_by_an_existing_inventory_is_kept(user_with_role):
    """A number typed in (an old inventory) is kept and does not consume the counter."""
    user = user_with_role(roles.PROPERTY_MANAGER)
    kept = new_asset()
    kept.inventory_number = "INV-2015-0042"
    save_object(kept, user=user)
    generated = save_object(new_asset(category=kept.category), user=user)

    assert kept.inventory_number == "INV-2015-0042"
    assert generated.inventory_number == "2026-000001"


def test_a_number_is_never_reused_after_a_deletion(user_with_role):
    """Deleting the last asset does not give its number to the next one."""
    user = user_with_role(roles.PROPERTY_MANAGER)
    first = save_object(new_asset(), user=user)
    first.delete()
    second = save_object(new_asset(category=first.category), user=user)
    assert second.inventory_number == "2026-000002"


def test_an_inventory_number_cannot_be_changed(user_with_role):
    """The number follows the asset for life: an edit that changes it is refused."""
    asset = save_object(new_asset(), user=user_with_role(roles.PROPERTY_MANAGER))
    asset.inventory_number = "AUTRE-1"
    with pytest.raises(ValidationError) as error:
        save_object(asset, user=None)
    assert "inventory_number" in error.value.message_dict
    assert Asset.objects.get(pk=asset.pk).inventory_number == "2026-000001"


def test_a_rule_longer_than_25_characters_is_refused(settings, user_with_role):
    """Public accounting caps the number at 25 characters: nothing is saved beyond that."""
    settings.DPTI = {
        **settings.DPTI,
        "INVENTORY_NUMBER_PATTERN": "CONGRES-NC-PATRIMOINE-{year}-{seq:06d}",
    }
    with pytest.raises(ValidationError):
        save_object(new_asset(), user=user_with_role(roles.PROPERTY_MANAGER))
    assert not Asset.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_never_share_a_number():
    """Eight threads creating assets at once get eight different consecutive numbers."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL, the production database")
    category = AssetCategoryFactory(code="CONC")
    barrier = threading.Barrier(8)
    numbers, errors = [], []

    def create():
        try:
            barrier.wait()
            asset = save_object(new_asset(category=category), user=None)
            numbers.append(asset.inventory_number)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(numbers) == [f"2026-{n:06d}" for n in range(1, 9)]
    assert Asset.objects.filter(category=category).count() == 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_counters_hand_out_each_value_once():
    """The raw counter under contention: 200 values taken by 8 threads, no value twice."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL, the production database")
    taken = []
    lock = threading.Lock()

    def take():
        try:
            for _n in range(25):
                value = next_number("{seq}", "contention")
                with lock:
                    taken.append(int(value))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == list(range(1, 201))


def test_moves_and_assignments_are_journaled(user_with_role):
    """Entering the register, changing room and changing holder each leave a movement."""
    user = user_with_role(roles.PROPERTY_MANAGER)
    office, store = RoomFactory(code="VAU-1-101"), RoomFactory(code="DUC-0-001")
    agent = PersonFactory()
    asset = save_object(new_asset(room=office), user=user)
    asset.room = store
    save_object(asset, user=user)
    asset.holder = agent
    save_object(asset, user=user)
    asset.notes = "Rayure sur le capot"
    save_object(asset, user=user)

    movements = list(AssetMovement.objects.filter(asset=asset).order_by("id"))
    assert [(m.from_room, m.to_room) for m in movements] == [
        (None, office),
        (office, store),
        (store, store),
    ]
    assert [(m.from_holder, m.to_holder) for m in movements] == [
        (None, None),
        (None, None),
        (None, agent),
    ]
    assert all(m.moved_by == user for m in movements)


def test_a_move_made_in_the_edit_form_is_journaled(client_for):
    """The generic edit page runs the same hook: the move shows on the asset's page."""
    client = client_for(roles.PROPERTY_MANAGER)
    asset = AssetFactory(room=RoomFactory(code="VAU-2-201"))
    target = RoomFactory(code="VAU-2-202")
    form = client.get(reverse("assets:asset_edit", args=[asset.pk])).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update({"room": target.pk, "version": asset.version})

    response = client.post(reverse("assets:asset_edit", args=[asset.pk]), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    movement = AssetMovement.objects.get(asset=asset)
    assert (movement.from_room.code, movement.to_room.code) == ("VAU-2-201", "VAU-2-202")
    page = client.get(reverse("assets:asset_detail", args=[asset.pk])).content.decode()
    assert "VAU-2-202" in page


def test_a_requester_sees_only_the_equipment_assigned_to_him(client_for):
    """The asset list and API of a requester hold his own equipment and nothing else."""
    client = client_for(roles.REQUESTER)
    mine = AssetFactory(holder=person_of(client.user), label="Téléphone portable de l agent")
    other = AssetFactory(label="Écran du collègue")

    listing = client.get(reverse("assets:asset_list")).content.decode()
    api = client.get("/api/assets/assets/").json()
    refused = client.get(reverse("assets:asset_detail", args=[other.pk]))

    assert mine.label in listing
    assert other.label not in listing
    assert [row["id"] for row in api["results"]] == [mine.pk]
    assert refused.status_code == 404


def test_a_contractor_sees_no_asset(client_for):
    """Contractors have no access to the asset register."""
    AssetFactory()
    response = client_for(roles.CONTRACTOR).get(reverse("assets:asset_list"))
    assert response.status_code == 403


def test_a_new_policy_closes_the_open_one_the_day_before(user_with_role):
    """Adopting a new deliberation is one record: the open policy ends the day before."""
    current = AccountingPolicy.objects.get()
    new = AccountingPolicy(
        name="Passage à la M57",
        valid_from=date(2027, 1, 1),
        depreciation_method="m57",
        capitalisation_threshold=100_000,
    )
    save_object(new, user=user_with_role(roles.PROPERTY_MANAGER))

    current.refresh_from_db()
    assert current.valid_to == date(2026, 12, 31)
    assert AccountingPolicy.objects.in_force(date(2026, 12, 31)) == current
    assert AccountingPolicy.objects.in_force(date(2027, 1, 1)) == new


def test_overlapping_policies_are_refused(user_with_role):
    """Two policies cannot both apply to the same day."""
    AccountingPolicy.objects.update(valid_to=date(2026, 12, 31))
    overlapping = AccountingPolicy(name="Erreur", valid_from=date(2026, 6, 1))
    with pytest.raises(ValidationError):
        save_object(overlapping, user=user_with_role(roles.PROPERTY_MANAGER))
    assert AccountingPolicy.objects.count() == 1


def test_the_category_tree_refuses_cycles_and_depreciation_without_duration():
    """A category cannot sit under its own child; a depreciated one needs a duration."""
    parent = AssetCategory.objects.get(code="MOB")
    child = AssetCategory.objects.get(code="MOB-SIE")
    parent.parent = child
    with pytest.raises(ValidationError):
        parent.full_clean()
    child.duration_years = None
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert "duration_years" in error.value.message_dict


def test_the_reference_chart_and_nomenclature_are_installed():
    """A fresh database holds the M52 accounts, the nomenclature and a policy in force."""
    assert AssetCategory.objects.get(code="LOG").account.number == "2051"
    assert AssetCategory.objects.get(code="ART").is_depreciated is False
    assert AccountingPolicy.objects.in_force(date.today()).depreciation_method == "m52"


def test_the_register_menu_link_is_for_internal_roles_only(client_for):
    """A requester, who sees only his own equipment, is not offered the fixed-asset register."""
    register_url = reverse("assets:register")
    manager_home = client_for(roles.PROPERTY_MANAGER).get("/").content.decode()
    requester_home = client_for(roles.REQUESTER).get("/").content.decode()
    assert f'href="{register_url}"' in manager_home
    assert f'href="{register_url}"' not in requester_home


def test_an_asset_page_shows_its_photos_as_thumbnails(client_for):
    """A photo attached to an asset is shown on its page, served inline."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dpti.core.attachments import attach_file
    from tests.files import png_bytes

    client = client_for(roles.PROPERTY_MANAGER)
    asset = AssetFactory()
    photo = attach_file(
        obj=asset,
        uploaded=SimpleUploadedFile("face.png", png_bytes(), content_type="image/png"),
        user=client.user,
        description="Vue de face",
    )

    page = client.get(reverse("assets:asset_detail", args=[asset.pk])).content.decode()

    assert 'id="photos"' in page
    assert f"{reverse('attachment_download', args=[photo.pk])}?inline=1" in page
    assert "Vue de face" in page
