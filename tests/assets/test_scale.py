"""The assets seeder: numbers from the rule's counters, movements, disposals; bench pages."""

import io
import re
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.test import Client
from django.utils import timezone

from dpti.assets.models import Asset, AssetMovement, Disposal
from dpti.core import roles
from dpti.core.models import Deadline
from dpti.core.models.numbering import NumberSequence
from dpti.core.services import save_object
from dpti.sampledata.assets import bench, scale
from dpti.sampledata.scale import scale_modules
from tests.factories import AssetCategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    """Every app's tiny data set, as `seed_scale --size tiny` makes it."""
    for module in scale_modules():
        module.seed(size="tiny", stdout=io.StringIO())


def test_seed_creates_the_assets_of_the_size_with_numbers_of_the_rule(seeded):
    """--size tiny gives exactly its assets, numbered '{year}-{seq:06d}' without a gap."""
    assets = Asset.objects.all()
    assert assets.count() == scale.SIZES["tiny"]
    numbers = list(assets.values_list("inventory_number", "acquisition_date__year"))
    assert len({number for number, _year in numbers}) == len(numbers)
    for number, year in numbers:
        assert re.fullmatch(rf"{year}-\d{{6}}", number)
    for sequence in NumberSequence.objects.filter(scope__startswith="asset:"):
        year = int(sequence.scope.split("=")[1])
        in_year = assets.filter(acquisition_date__year=year)
        last = in_year.aggregate(last=Max("inventory_number"))["last"]
        assert int(last.split("-")[1]) == sequence.last_value == in_year.count()
    Asset.objects.order_by("?").first().full_clean()


def test_the_application_numbers_after_the_seeded_assets(seeded):
    """An asset created after seeding gets the number that follows the reserved block."""
    year_2024 = Asset.objects.filter(acquisition_date__year=2024)
    count = year_2024.count()
    template = year_2024.first()
    new = Asset(
        label="Bien créé après l'amorçage",
        category=template.category,
        acquisition_date=template.acquisition_date,
        value=1000,
    )
    save_object(new, user=None)
    assert new.inventory_number == f"2024-{count + 1:06d}"


def test_a_pattern_with_the_category_counts_per_category_and_year(settings):
    """With '{category}-{year}-{seq:05d}', blocks are reserved per category and year."""
    settings.DPTI = {**settings.DPTI, "INVENTORY_NUMBER_PATTERN": "{category}-{year}-{seq:05d}"}
    chairs = AssetCategoryFactory(code="SIE")
    existing = Asset(label="Siège", category=chairs, acquisition_date=date(2025, 3, 1), value=1)
    save_object(existing, user=None)
    batch = [
        Asset(label="Siège", category=chairs, acquisition_date=existing.acquisition_date, value=1)
        for _n in range(3)
    ]
    scale.number_assets(batch)
    assert existing.inventory_number == "SIE-2025-00001"
    assert [a.inventory_number for a in batch] == [f"SIE-2025-0000{n}" for n in (2, 3, 4)]
    assert NumberSequence.objects.get(scope="asset:category=SIE:year=2025").last_value == 4


def test_movements_disposals_and_deadlines_of_the_seeded_assets(seeded):
    """A share of assets has an entry and a move, disposed ones a decision, warranties a row."""
    moved = AssetMovement.objects.values("asset").distinct().count()
    assert 0.15 * scale.SIZES["tiny"] < moved < 0.45 * scale.SIZES["tiny"]
    assert not AssetMovement.objects.filter(moved_at__gt=timezone.now()).exists()
    disposed = Asset.objects.filter(status="disposed")
    assert disposed.count() == Disposal.objects.filter(state="decided").count() > 0
    Disposal.objects.select_related("asset").first().full_clean()
    deadlines = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Asset))
    in_register = Asset.objects.exclude(warranty_end=None).exclude(status="disposed")
    assert deadlines.count() == in_register.count() > 0


def test_bench_pages_of_the_assets_module_answer(seeded, client_for, monkeypatch):
    """The bench lists the register, a building's list, a labels PDF and a detail, all answering."""
    monkeypatch.setattr(bench, "LABEL_COUNT", 24)  # 500 in the bench; one sheet is enough here
    client = client_for(roles.ADMINISTRATOR)
    found = {label: (url, count) for label, url, count in bench.pages(client)}
    assert set(found) == {
        f"état de l'actif {timezone.localdate().year - 1}",
        "biens liste filtrée par bâtiment",
        "étiquettes PDF (24)",
        "bien fiche (historique le plus long)",
    }
    assert all(count > 0 for _url, count in found.values())
    assert found["étiquettes PDF (24)"][0].count("pk=") == 24
    url, count = found["biens liste filtrée par bâtiment"]
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["table"].paginator.count == count


def test_bench_pages_leave_out_a_page_that_does_not_answer(seeded):
    """A page refused to the client (here: not signed in) is left out, not a failure."""
    assert bench.pages(Client()) == []
