"""Application configuration of the directory."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """People, organisation units, teams and companies."""

    name = "dpti.directory"
    label = "directory"
    verbose_name = _("Directory")
