"""Application configuration of the movable assets module."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    """Movable assets, categories, depreciation, disposal and inventory campaigns."""

    name = "dpti.assets"
    label = "assets"
    verbose_name = _("Movable assets")

    def ready(self):
        from dpti.assets.reference_data import install_reference_data

        post_migrate.connect(install_reference_data, sender=self)
