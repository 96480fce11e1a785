"""Models of the movable assets: accounting, assets and their life, inventory campaigns."""

from dpti.assets.models.accounting import (
    AccountingAccount,
    AccountingPolicy,
    AssetCategory,
    DepreciationMethod,
    RegisterBuild,
    RegisterEntry,
)
from dpti.assets.models.assets import Asset, AssetMovement, AssetQuerySet, Disposal
from dpti.assets.models.campaigns import CampaignItem, CampaignScan, InventoryCampaign

__all__ = [
    "AccountingAccount",
    "AccountingPolicy",
    "Asset",
    "AssetCategory",
    "AssetMovement",
    "AssetQuerySet",
    "CampaignItem",
    "CampaignScan",
    "DepreciationMethod",
    "Disposal",
    "InventoryCampaign",
    "RegisterBuild",
    "RegisterEntry",
]
