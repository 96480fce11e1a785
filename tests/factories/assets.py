"""Factories of the assets: accounting, categories, assets and their life, campaigns."""

from datetime import timedelta

import factory
from django.utils import timezone

from dpti.assets.models import (
    AccountingAccount,
    AccountingPolicy,
    Asset,
    AssetCategory,
    AssetMovement,
    CampaignItem,
    CampaignScan,
    Disposal,
    InventoryCampaign,
)
from tests.factories.estate import RoomFactory


class AccountingAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountingAccount

    number = factory.Sequence(lambda n: f"29{n:03d}")
    label = factory.Sequence(lambda n: f"Compte de test {n}")


class AccountingPolicyFactory(factory.django.DjangoModelFactory):
    """A closed policy of the distant past, so that it never overlaps the default one."""

    class Meta:
        model = AccountingPolicy

    name = factory.Sequence(lambda n: f"Règles {n}")
    valid_from = factory.Sequence(lambda n: timezone.datetime(1800 + n % 190, 1, 1).date())
    valid_to = factory.LazyAttribute(lambda o: o.valid_from.replace(month=12, day=31))


class AssetCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssetCategory

    code = factory.Sequence(lambda n: f"CAT{n:03d}")
    name = factory.Sequence(lambda n: f"Catégorie {n}")
    account = factory.SubFactory(AccountingAccountFactory)
    duration_years = 5


class AssetFactory(factory.django.DjangoModelFactory):
    """An asset; the number is set here because factories bypass the numbering service."""

    class Meta:
        model = Asset

    inventory_number = factory.Sequence(lambda n: f"T-{n:06d}")
    label = factory.Sequence(lambda n: f"Fauteuil de bureau {n}")
    category = factory.SubFactory(AssetCategoryFactory)
    acquisition_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=400))
    value = 150_000
    room = factory.SubFactory(RoomFactory)


class AssetMovementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssetMovement

    asset = factory.SubFactory(AssetFactory)
    to_room = factory.SubFactory(RoomFactory)
    reason = "Déménagement"


class DisposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disposal

    asset = factory.SubFactory(AssetFactory)
    reason = Disposal.Reason.DESTRUCTION


class InventoryCampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InventoryCampaign

    name = factory.Sequence(lambda n: f"Inventaire {2026 + n}")
    start_date = factory.LazyFunction(timezone.localdate)


class CampaignItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignItem

    campaign = factory.SubFactory(InventoryCampaignFactory)
    asset = factory.SubFactory(AssetFactory)
    expected_room = factory.LazyAttribute(lambda o: o.asset.room)


class CampaignScanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignScan

    campaign = factory.SubFactory(InventoryCampaignFactory)
    room = factory.SubFactory(RoomFactory)
    code = factory.Sequence(lambda n: f"INCONNU-{n}")
    kind = CampaignScan.Kind.UNKNOWN_CODE
