"""The stored register (état de l'actif) equals the register computed from the assets.

`build_register` recomputes a year from every asset's schedule; the stored entries are built
once and then changed by each save. The guard below compares the two, year by year, on a
random but fixed set of assets under three rules (built-in defaults before 2000, M52 with a
one-year threshold, M57 prorata from 2020), then after creations, edits, disposals and
deletions made the ways the application makes them.
"""

import random
from datetime import date, timedelta

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dpti.assets.models import AccountingPolicy, Asset, Disposal, RegisterBuild, RegisterEntry
from dpti.assets.register import build_register
from dpti.assets.register_store import current_build, rebuild, stored_register
from dpti.assets.services import apply_disposal_state
from dpti.core import roles
from dpti.core.services import delete_object, save_object
from tests.factories import (
    AccountingAccountFactory,
    AssetCategoryFactory,
    AssetFactory,
    DisposalFactory,
)

pytestmark = pytest.mark.django_db

REGISTER_URL = reverse("assets:register")
YEARS = range(1996, 2042)


def assert_stored_equals_computed(years=YEARS):
    """Each year: same accounts in the same order, same figures, same total, same policies."""
    for year in years:
        computed = build_register(year)
        stored = stored_register(year)
        assert [(t.number, t.label, t.figures()) for t in stored.accounts] == [
            (t.number, t.label, t.figures()) for t in computed.accounts
        ], year
        assert stored.total.figures() == computed.total.figures(), year
        assert {p.pk for p in stored.policies} == {p.pk for p in computed.policies}, year


@pytest.fixture
def rules():
    """The default M52 policy closed at 2019 with a one-year threshold; M57 from 2020."""
    default = AccountingPolicy.objects.get(valid_to__isnull=True)
    default.valid_to = date(2019, 12, 31)
    default.one_year_threshold = 120_000
    default.save()
    m57 = AccountingPolicy.objects.create(
        name="M57 test",
        valid_from=date(2020, 1, 1),
        depreciation_method="m57",
        capitalisation_threshold=50_000,
    )
    it = AccountingAccountFactory(number="92183")
    furniture = AccountingAccountFactory(number="92184")
    art = AccountingAccountFactory(number="92161")
    categories = [
        AssetCategoryFactory(account=it, duration_years=3),
        AssetCategoryFactory(account=it, duration_years=2, always_capitalised=True),
        AssetCategoryFactory(account=furniture, duration_years=10),
        AssetCategoryFactory(account=furniture, duration_years=1),
        AssetCategoryFactory(
            account=art, is_depreciated=False, duration_years=None, always_capitalised=True
        ),
    ]
    return {"policies": (default, m57), "categories": categories}


VALUES = (0, 30_000, 55_000, 59_666, 60_000, 99_999, 150_000, 333_333, 1_000_001, 2_500_000)


def random_assets(rng, categories, count):
    """Assets of every kind: expensed, capitalised, overridden, in service later, disposed…"""
    assets = []
    for _ in range(count):
        acquired = date(1997, 1, 1) + timedelta(days=rng.randint(0, 31 * 365))
        asset = AssetFactory(
            category=rng.choice(categories),
            value=rng.choice(VALUES),
            acquisition_date=acquired,
            service_date=acquired + timedelta(days=rng.randint(0, 400))
            if rng.random() < 0.4
            else None,
            duration_override=rng.choice((None, None, None, 1, 4, 7)),
            override_reason="Usage intensif",
            room=None,
        )
        roll = rng.random()
        if roll < 0.3:
            DisposalFactory(
                asset=asset,
                state=Disposal.State.DECIDED,
                decision_reference="Arrêté test",
                decision_date=acquired + timedelta(days=rng.randint(0, 9 * 365)),
                reason=Disposal.Reason.SALE,
                sale_price=rng.choice((0, 5_000, 80_000)),
            )
        elif roll < 0.4:
            DisposalFactory(
                asset=asset,
                state=Disposal.State.PROPOSED,
                decision_date=acquired + timedelta(days=rng.randint(0, 900)),
            )
        assets.append(asset)
    return assets


def test_the_rebuilt_register_equals_the_computed_one_every_year(rules):
    """After a rebuild, every year from before the first asset to long after the last schedule
    reads the same from the stored entries as from the assets, policies used included."""
    random_assets(random.Random(6), rules["categories"], 160)
    # An asset in service before its acquisition (the form refuses it; old data may have it)
    # and one disposed before it was acquired: both kept exactly as the computation does.
    AssetFactory(
        category=rules["categories"][0],
        value=400_000,
        acquisition_date=date(2021, 3, 1),
        service_date=date(2019, 6, 1),
        room=None,
    )
    DisposalFactory(
        asset=AssetFactory(
            category=rules["categories"][2], value=700_000, acquisition_date=date(2015, 5, 5)
        ),
        state=Disposal.State.DECIDED,
        decision_reference="x",
        decision_date=date(2014, 1, 1),
    )
    build = rebuild()
    assert RegisterBuild.objects.get() == build
    assert_stored_equals_computed()
    # Guard of the guard: the set does exercise every rule and every kind of line.
    lines = [
        line for year in (2005, 2018, 2022, 2025) for line in build_register(year, None, True).lines
    ]
    assert {line.schedule.treatment.rule for line in lines} == {
        "not_depreciated",
        "one_year",
        "straight_line",
    }
    assert {line.schedule.policy.pk for line in lines} >= {p.pk for p in rules["policies"]}
    assert any(line.exits for line in lines)
    assert any(line.sale_proceeds for line in lines)


def test_every_change_through_the_application_keeps_the_stored_register_exact(
    rules, user_with_role
):
    """Creations, edits (value, date, category, service date, override), disposals proposed,
    decided, undone and deleted, deletions: after each, stored == computed for every year,
    without any rebuild."""
    user = user_with_role(roles.PROPERTY_MANAGER)
    rng = random.Random(11)
    categories = rules["categories"]
    assets = random_assets(rng, categories, 40)
    rebuild()
    build = current_build()

    # A creation through the services (numbering, validation, journal).
    created = save_object(
        Asset(
            label="Serveur",
            category=categories[0],
            value=2_400_000,
            acquisition_date=date(2023, 9, 14),
        ),
        user=user,
    )
    assert_stored_equals_computed(range(2022, 2028))
    # Edits of every field a line depends on.
    created.value = 2_000_000
    created.service_date = date(2023, 12, 1)
    save_object(created, user=user)
    created.category = categories[2]
    created.acquisition_date = date(2018, 2, 2)
    created.service_date = None
    save_object(created, user=user)
    created.duration_override = 4
    created.override_reason = "Usage intensif"
    save_object(created, user=user)
    assert_stored_equals_computed()
    # A disposal proposed, decided, moved in time, undone, deleted.
    disposal = save_object(
        Disposal(asset=created, reason=Disposal.Reason.SALE, sale_price=300_000), user=user
    )
    disposal.state = Disposal.State.DECIDED
    disposal.decision_reference = "Délibération 12/2024"
    disposal.decision_date = date(2024, 6, 30)
    save_object(disposal, user=user)
    apply_disposal_state(disposal, user)
    assert_stored_equals_computed()
    disposal.decision_date = date(2021, 1, 15)
    save_object(disposal, user=user)
    assert_stored_equals_computed()
    disposal.state = Disposal.State.PROPOSED
    save_object(disposal, user=user)
    apply_disposal_state(disposal, user)
    delete_object(disposal, user=user)
    # Random edits of the others, then deletions of assets without disposal.
    for asset in rng.sample(assets, 15):
        asset.refresh_from_db()
        asset.value = rng.choice(VALUES)
        asset.acquisition_date += timedelta(days=rng.randint(-800, 800))
        asset.service_date = None
        asset.category = rng.choice(categories)
        save_object(asset, user=user, clean=False)
    deletable = [a for a in assets if not Disposal.objects.filter(asset=a).exists()]
    for asset in deletable[:5]:
        delete_object(asset, user=user)
    # A move (no figure changes) writes no entry.
    mover = deletable[6]
    with CaptureQueriesContext(connection) as queries:
        mover.save(update_fields=["status"])
    assert not any("registerentry" in q["sql"].lower() for q in queries.captured_queries)
    assert_stored_equals_computed()
    assert current_build() == build  # kept exact by the saves, never rebuilt


def test_a_direct_save_is_also_counted(rules):
    """A save outside the services (a script, a factory) goes through the same signals."""
    rebuild()
    asset = AssetFactory(category=rules["categories"][2], value=500_000, room=None)
    DisposalFactory(
        asset=asset,
        state=Disposal.State.DECIDED,
        decision_reference="x",
        decision_date=asset.acquisition_date + timedelta(days=30),
    )
    year = asset.acquisition_date.year
    assert_stored_equals_computed(range(year - 1, year + 3))
    assert stored_register(year).total.acquisitions == 500_000


def test_loaded_fixtures_mark_the_register_stale(rules):
    """Rows saved as stored (loaddata) are not counted one by one: the register is rebuilt."""
    asset = AssetFactory(category=rules["categories"][0], value=500_000, room=None)
    data = serializers.serialize("json", [asset])
    rebuild()
    for loaded in serializers.deserialize("json", data):
        loaded.save()
    assert current_build() is None


def test_a_policy_or_category_rule_change_marks_the_register_stale(rules, client_for):
    """A new threshold or a category's new duration changes many assets: the mark is deleted
    and the next view rebuilds; renaming a category changes no figure and keeps the mark."""
    random_assets(random.Random(3), rules["categories"], 20)
    rebuild()
    category = rules["categories"][2]
    category.name = "Mobilier renommé"
    category.save()
    assert current_build() is not None
    category.duration_years = 5
    category.save()
    assert current_build() is None
    client = client_for(roles.PROPERTY_MANAGER)
    response = client.get(REGISTER_URL + "?year=2024")
    assert response.status_code == 200
    assert current_build() is not None
    assert_stored_equals_computed()
    policy = rules["policies"][1]
    policy.capitalisation_threshold = 100_000
    policy.save()
    assert current_build() is None
    assert not RegisterEntry.objects.exists()
    rebuild()
    assert_stored_equals_computed()


def test_the_page_reads_the_stored_register_in_constant_queries(client_for, rules):
    """The page never reads the assets: the same queries with 20 or 60 assets, and the figures
    are those of the computation; the time of the computation is shown."""
    random_assets(random.Random(5), rules["categories"], 20)
    call_command("refresh_asset_registers", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = client_for(roles.PROPERTY_MANAGER)
    client.get(REGISTER_URL + "?year=2024")  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        response = client.get(REGISTER_URL + "?year=2024")
    random_assets(random.Random(7), rules["categories"], 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(REGISTER_URL + "?year=2024")
    assert response.status_code == 200
    assert len(many) == len(few)
    asset_table = Asset._meta.db_table
    reads = [q["sql"] for q in many.captured_queries if f'FROM "{asset_table}"' in q["sql"]]
    assert len(reads) == 1  # the first year, for the list of years
    assert "MIN(" in reads[0]
    page = response.context["register"]
    assert page.total.figures() == build_register(2024).total.figures()
    assert 'data-testid="register-computed-at"' in response.content.decode()


def test_the_page_rebuilds_a_missing_register_once(client_for, rules):
    """Without a stored register (a new installation) the first view computes and stores it;
    the next one only reads."""
    random_assets(random.Random(9), rules["categories"], 10)
    RegisterBuild.objects.all().delete()
    client = client_for(roles.PROPERTY_MANAGER)
    first = client.get(REGISTER_URL + "?year=2023")
    assert first.status_code == 200
    build = current_build()
    assert build is not None
    client.get(REGISTER_URL + "?year=2010")
    assert current_build() == build
    assert first.context["register"].total.figures() == build_register(2023).total.figures()
