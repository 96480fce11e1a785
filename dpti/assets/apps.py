"""Application configuration of the movable assets module."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    """Movable assets, categories, depreciation, disposal and inventory campaigns."""

    name = "dpti.assets"
    label = "assets"
    verbose_name = _("Movable assets")
