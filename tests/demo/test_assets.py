"""The demo assets: a few thousand numbered items, the requester's own equipment, history."""

import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count, Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dpti.assets.models import Asset, AssetCategory, AssetMovement, Disposal, InventoryCampaign
from dpti.core.deadlines import sync_object_deadlines
from dpti.core.models import Deadline, User
from dpti.core.models.numbering import NumberSequence
from dpti.core.services import save_object
from dpti.directory.models import Company, Person

pytestmark = pytest.mark.django_db

CATEGORY_CODES = {
    "LOG",
    "INF-PC",
    "INF-ECR",
    "INF-IMP",
    "INF-SRV",
    "INF-RES",
    "TEL",
    "BUR",
    "AV",
    "MOB-SIE",
    "MOB-BUR",
    "MOB-RAN",
    "COF",
    "CLIM",
    "VEH",
    "ART",
}


def test_a_few_thousand_assets_in_every_default_category():
    """About 2,500 to 3,500 assets, spread over the sixteen categories of the migration."""
    assert 2500 <= Asset.objects.count() <= 3500
    used = set(Asset.objects.values_list("category__code", flat=True).distinct())
    assert used == CATEGORY_CODES
    assert Asset.objects.filter(acquisition_date__year=2012).exists()
    assert Asset.objects.filter(acquisition_date__year=timezone.localdate().year).exists()
    assert not Asset.objects.filter(acquisition_date__gt=timezone.localdate()).exists()


def test_every_asset_has_a_unique_number_of_the_configured_rule():
    """Numbers follow '{year}-{seq:06d}' by acquisition year and are all different."""
    numbers = list(Asset.objects.values_list("inventory_number", "acquisition_date__year"))
    assert len({number for number, _year in numbers}) == len(numbers)
    for number, year in numbers:
        assert re.fullmatch(rf"{year}-\d{{6}}", number), number


def test_the_counters_go_on_after_the_demo():
    """Each year's counter holds the last number used: a new asset gets the next one."""
    last = (
        Asset.objects.filter(acquisition_date__year=2024)
        .aggregate(last=Max("inventory_number"))["last"]
        .split("-")[1]
    )
    assert NumberSequence.objects.get(scope="asset:year=2024").last_value == int(last)
    template = Asset.objects.filter(acquisition_date__year=2024).first()
    new = Asset(
        label="Nouvel écran",
        category=template.category,
        acquisition_date=template.acquisition_date,
        value=30_000,
    )
    save_object(new, user=None)
    assert new.inventory_number == f"2024-{int(last) + 1:06d}"


def test_values_show_both_treatments_and_works_of_art():
    """Some goods are below the 59,666 XPF threshold (expensed), works of art are kept."""
    assert Asset.objects.filter(value__lt=59_666).count() > 100
    assert Asset.objects.filter(value__gte=59_666).count() > 100
    art = Asset.objects.filter(category__code="ART")
    assert art.count() >= 3
    assert not AssetCategory.objects.get(code="ART").is_depreciated
    assert Asset.objects.filter(category__code="VEH").count() >= 3
    assert Asset.objects.filter(category__code="COF").exists()
    assert Asset.objects.filter(category__code="AV", room__use="hemicycle").count() >= 20
    assert Asset.objects.filter(category__code="INF-SRV", room__use="server_room").count() >= 5


def test_assets_have_suppliers_brands_and_plausible_statuses():
    """Suppliers from the directory's companies; mostly in service, some in stock or repair."""
    supplied = Asset.objects.exclude(supplier=None)
    assert supplied.count() > Asset.objects.count() * 0.9
    assert set(supplied.values_list("supplier__name", flat=True)) <= set(
        Company.objects.values_list("name", flat=True)
    )
    assert not Asset.objects.filter(category__code="INF-PC", brand="").exists()
    assert not Asset.objects.filter(category__code="INF-PC", serial_number="").exists()
    counts = dict(Asset.objects.values_list("status").annotate(n=Count("id")))
    assert counts["in_service"] > 0.8 * sum(counts.values())
    assert counts["in_stock"] > 0
    assert counts["in_repair"] > 0
    for asset in Asset.objects.order_by("pk")[::40]:
        asset.full_clean()


def test_the_agent_account_holds_a_laptop_a_screen_and_a_phone():
    """The requester demo account's person holds his equipment, and sees it on his list."""
    person = Person.objects.get(user__username="agent")
    held = Asset.objects.filter(holder=person)
    assert held.count() >= 3
    assert {"INF-PC", "INF-ECR", "TEL"} <= set(held.values_list("category__code", flat=True))
    assert held.filter(label__startswith="Ordinateur portable").exists()
    client = Client()
    client.force_login(User.objects.get(username="agent"))
    page = client.get(reverse("assets:asset_list")).content.decode()
    for number in held.values_list("inventory_number", flat=True):
        assert number in page
    other = Asset.objects.exclude(holder=person).first()
    assert other.inventory_number not in page


def test_disposals_decided_by_deliberation_and_one_proposed():
    """A few disposals decided by a 2025 deliberation (asset disposed), one still proposed."""
    decided = Disposal.objects.filter(state="decided")
    assert decided.count() >= 5
    for disposal in decided.select_related("asset"):
        assert re.fullmatch(r"Délibération n° \d+/2025", disposal.decision_reference)
        assert disposal.decision_date.year == 2025
        assert disposal.asset.status == Asset.Status.DISPOSED
        disposal.full_clean()
    proposed = Disposal.objects.get(state="proposed")
    assert proposed.asset.status != Asset.Status.DISPOSED


def test_movements_record_entries_and_later_moves():
    """Located assets have an entry movement, and so have the disposed ones, which then left
    their store on the decision day; some were moved since, on past dates."""
    located = Asset.objects.exclude(room=None, holder=None, holder_unit=None)
    disposed = Asset.objects.filter(disposal__state="decided")
    assert disposed.count() == 11
    assert not disposed.exclude(room=None, holder=None, holder_unit=None).exists()
    entered = AssetMovement.objects.filter(from_room=None, from_holder=None, from_unit=None)
    assert entered.values("asset").distinct().count() == located.count() + disposed.count()
    leaving = AssetMovement.objects.filter(asset__in=disposed, to_room=None).exclude(from_room=None)
    assert leaving.count() == disposed.count()
    assert leaving.first().reason.startswith("Réforme décidée (Délibération n° ")
    moves = AssetMovement.objects.exclude(from_room=None, from_holder=None)
    assert moves.count() >= 50
    assert not AssetMovement.objects.filter(moved_at__gt=timezone.now()).exists()
    assert AssetMovement.objects.filter(moved_at__year=2015).exists()
    laptop = Asset.objects.get(holder__user__username="agent", category__code="INF-PC")
    assert laptop.movements.exclude(from_holder=None).exists()


def test_warranty_deadlines_are_in_step_with_the_assets():
    """Every asset with a warranty end has its deadline, as the services would have written it."""
    with_warranty = Asset.objects.exclude(warranty_end=None).exclude(status="disposed")
    content_type = ContentType.objects.get_for_model(Asset)
    deadlines = Deadline.objects.filter(content_type=content_type, kind="warranty_end")
    assert with_warranty.count() > 100
    assert deadlines.count() == with_warranty.count()
    asset = with_warranty.first()
    before = Deadline.objects.get(content_type=content_type, object_id=asset.pk)
    sync_object_deadlines(asset)
    after = Deadline.objects.get(content_type=content_type, object_id=asset.pk)
    assert (after.pk, after.title, after.due_date) == (before.pk, before.title, before.due_date)
    assert asset.inventory_number in before.title


def test_a_draft_campaign_over_one_building():
    """One inventory campaign in draft covers the administration building, with no count yet."""
    campaign = InventoryCampaign.objects.get()
    assert campaign.status == InventoryCampaign.Status.DRAFT
    assert list(campaign.buildings.values_list("code", flat=True)) == ["VAU-B"]
    assert not campaign.items.exists()


def test_load_demo_if_empty_leaves_a_loaded_demo_alone(settings):
    """On a database that has the demo, --if-empty adds nothing."""
    settings.DPTI = {**settings.DPTI, "DEMO_MODE": True}
    before = (Asset.objects.count(), AssetMovement.objects.count())
    call_command("load_demo", "--if-empty", stdout=io.StringIO())
    assert (Asset.objects.count(), AssetMovement.objects.count()) == before


def test_the_command_reports_the_assets(demo):
    """load_demo says what it created for the assets, in French."""
    # The IT park's demo adds the assets of its devices, and says the total.
    assert f"total des biens\u202f: {Asset.objects.count()}." in demo.output
