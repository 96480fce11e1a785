"""Application configuration of the real estate module."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstateConfig(AppConfig):
    """Sites, buildings, floors, rooms and leases (patrimoine immobilier)."""

    name = "dpti.estate"
    label = "estate"
    verbose_name = _("Real estate")
