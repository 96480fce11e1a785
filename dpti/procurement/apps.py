"""Application configuration of the procurement and budget module."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    """Budget, purchase needs, contracts and their lots, amendments, orders and invoices."""

    name = "dpti.procurement"
    label = "procurement"
    verbose_name = _("Procurement and budget")

    def ready(self):
        from dpti.procurement.reference_data import install_reference_data

        post_migrate.connect(install_reference_data, sender=self)
