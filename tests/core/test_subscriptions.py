"""Store subscriptions: a store declared through the registry follows every write."""

import pytest
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from dpti.assets.models import AccountingPolicy, Asset, AssetCategory, Disposal
from dpti.core.registry import registry
from dpti.core.subscriptions import StoreSubscription
from dpti.directory.models import Company
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def watched():
    """A store watching companies' names, recording what it is told; disconnected after."""
    calls = []
    subscription = StoreSubscription(
        "test_store",
        Company,
        before=lambda company, deleting: (
            calls.append(("before", company.name, deleting)) or company.name
        ),
        after=lambda company, state, deleting: calls.append(("after", state, deleting)),
        loaded=lambda: calls.append(("loaded",)),
        fields=frozenset({"name"}),
    )
    subscription.connect()
    yield calls
    for signal, suffix in ((pre_save, "ps"), (post_save, "as"), (pre_delete, "pd")):
        signal.disconnect(sender=Company, dispatch_uid=f"{subscription.key}:{suffix}")
    post_delete.disconnect(sender=Company, dispatch_uid=f"{subscription.key}:ad")


def test_a_store_sees_saves_and_deletions_with_the_state_noted_before(watched):
    """Before each write the store notes a state, after it receives that state."""
    company = CompanyFactory(name="Ancien nom")
    company.name = "Nouveau nom"
    company.save()
    company.delete()
    assert watched == [
        ("before", "Ancien nom", False),
        ("after", "Ancien nom", False),
        ("before", "Nouveau nom", False),
        ("after", "Nouveau nom", False),
        ("before", "Nouveau nom", True),
        ("after", "Nouveau nom", True),
    ]


def test_a_save_of_other_fields_or_a_raw_row_is_not_followed_row_by_row(watched):
    """update_fields outside the watched ones change nothing; a raw row calls `loaded`."""
    company = CompanyFactory()
    watched.clear()
    company.phone = "27 00 00"
    company.save(update_fields=["phone"])
    assert watched == []
    company.save_base(raw=True)
    assert watched == [("loaded",)]


def test_the_asset_register_watches_what_it_sums():
    """Assets, disposals, categories and policies are declared, and no other receiver keeps
    the register (one route: the subscriptions)."""
    declared = {s.model for s in registry.stores() if s.store == "asset_register"}
    assert declared == {Asset, Disposal, AssetCategory, AccountingPolicy}
    for model in declared:
        receivers = [
            r
            for r in pre_save._live_receivers(model)[0]
            if "register" in getattr(r, "__module__", "")
        ]
        assert receivers == []
