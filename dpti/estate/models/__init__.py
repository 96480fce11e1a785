"""Models of the real estate: premises and leases."""

from dpti.estate.models.leases import Lease
from dpti.estate.models.premises import (
    Building,
    BuildingQuerySet,
    Floor,
    FloorQuerySet,
    Room,
    Site,
    SiteQuerySet,
    Tenure,
    latitude_field,
    longitude_field,
)

__all__ = [
    "Building",
    "BuildingQuerySet",
    "Floor",
    "FloorQuerySet",
    "Lease",
    "Room",
    "Site",
    "SiteQuerySet",
    "Tenure",
    "latitude_field",
    "longitude_field",
]
