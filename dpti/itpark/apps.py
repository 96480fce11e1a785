"""Application configuration of the IT and telecom park."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItparkConfig(AppConfig):
    """Devices, network addressing, applications, licences, telecom lines, information assets."""

    name = "dpti.itpark"
    label = "itpark"
    verbose_name = _("IT and telecoms")
